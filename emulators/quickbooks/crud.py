"""Create, read, update (full and sparse), delete and void, applying every entity rule."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from emulators.quickbooks import account_types, books, currency, ledger, sales, validate
from emulators.quickbooks.entities import Rule
from emulators.quickbooks.faults import PACIFIC, QBOFault, business, not_found, required
from emulators.quickbooks.money import ZERO, dec
from emulators.quickbooks.store import Company

# Read-only or home-currency fields python-quickbooks echoes back (HomeTotalAmt 0 and so on).
_SERVER_FIELDS = ("MetaData", "domain", "sparse", "status", "HomeTotalAmt", "HomeBalance")


def unsupported(op: str, entity: str) -> QBOFault:
    """500 Unsupported Operation (https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes)."""
    return QBOFault(
        "500", "Unsupported Operation", f"Operation {op} is not supported for {entity}."
    )


def stale(entity: str, ident: str) -> QBOFault:
    """5010 Stale Object Error for a SyncToken that is not the current one (error codes page)."""
    return QBOFault(
        "5010",
        "Stale Object Error",
        "Stale Object Error : You and root were working on this at the same time. "
        f"root finished before you did, so your work was not saved. "
        f"({entity} Id={ident})",
    )


@contextmanager
def atomic(company: Company) -> Iterator[None]:
    """All or nothing: restore the company's entities if the operation raises."""
    with company.lock:
        point = company.begin()
        try:
            yield
        except BaseException:
            company.rollback(point)
            raise
        company.commit()


def read(company: Company, rule: Rule, ident: str) -> dict[str, Any]:
    """A copy of one entity, or 610."""
    obj = company.snapshot(rule.name, ident)
    if obj is None:
        raise not_found(rule.name, ident)
    return obj


def _current(company: Company, rule: Rule, body: dict[str, Any]) -> dict[str, Any]:
    """The stored entity an update/delete/void names, after the SyncToken check (5010)."""
    ident = str(body.get("Id") or "")
    if not ident:
        raise required("Id")
    old = company.snapshot(rule.name, ident)
    if old is None:
        raise not_found(rule.name, ident)
    if str(body.get("SyncToken", "")) != old["SyncToken"]:
        raise stale(rule.name, ident)
    ledger.check_not_deposited(company, rule, old)
    books.check_open(company, rule, old)
    return old


def _defaults(company: Company, rule: Rule, obj: dict[str, Any]) -> None:
    """Values QBO fills in when the request leaves them out."""
    if rule.kind == "list":
        obj.setdefault("Active", True)
        if rule.name == "Customer" and not obj.get("DisplayName"):
            parts = [
                obj.get(k) for k in ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix")
            ]
            obj["DisplayName"] = " ".join(p for p in parts if p) or obj.get("CompanyName", "")
        name = obj.get("DisplayName") if rule.name == "Customer" else obj.get("Name")
        if name:
            obj["FullyQualifiedName"] = name
        return
    obj.setdefault("TxnDate", company.clock.now().astimezone(PACIFIC).date().isoformat())
    if rule.doc_number:
        prefs = (company.get("Preferences", "1") or {}).get("SalesFormsPrefs") or {}
        # Finance.xsd DocNumber: auto-sequenced when custom numbers are off, or on AUTO_GENERATE.
        if obj.get("DocNumber") == "AUTO_GENERATE" or (
            not obj.get("DocNumber") and not prefs.get("CustomTxnNumbers")
        ):
            obj["DocNumber"] = company.next_doc_number(rule.name)
    if rule.name == "Invoice":
        obj.setdefault("DueDate", obj["TxnDate"])
    if rule.name in ("Payment", "SalesReceipt") and not obj.get("DepositToAccountRef"):
        # Omitted deposit account means Undeposited Funds (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/salesreceipt).
        obj["DepositToAccountRef"] = _undeposited_funds(company)


def _undeposited_funds(company: Company) -> dict[str, str] | None:
    """A ref to the company's Undeposited Funds account (None if it has none)."""
    for account in company.all("Account"):
        if account.get("AccountSubType") == "UndepositedFunds":
            return {"value": account["Id"], "name": account["Name"]}
    return None


def _prepare(
    company: Company,
    rule: Rule,
    obj: dict[str, Any],
    allow_dup: bool,
    old: dict[str, Any] | None = None,
) -> None:
    """Validate `obj` (a new version of `old`, if given) and compute its derived fields.

    No side effects on other entities.
    """
    _defaults(company, rule, obj)
    validate.check_required(rule, obj)
    validate.check_limits(rule, obj)
    if rule.name == "Item":
        validate.check_item(company, obj)
    validate.check_refs(company, rule, obj)
    if rule.name == "Item":
        account_types.check_item(company, obj)
    account_types.check_deposit(company, rule.name, obj)
    books.check_open(company, rule, obj)
    validate.check_unique(company, rule, obj)
    validate.check_doc_number(company, rule, obj, allow_dup)
    currency.apply(company, rule, obj, old)
    if rule.sales:
        sales.compute(company, obj)
        ledger.set_balance(company, rule.name, obj)
    elif rule.name == "Payment":
        ledger.check_payment(company, obj)
    elif rule.name == "Deposit":
        obj["TotalAmt"] = sum((dec(ln.get("Amount")) for ln in obj["Line"]), ZERO)
    ledger.check_start_dates(company, rule, obj)


def _after(
    company: Company, rule: Rule, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> None:
    """Side effects on other entities: stock, linked balances and customer balances."""
    ledger.move_stock(company, rule, old, -1)
    ledger.move_stock(company, rule, new, 1)
    changes: list[ledger.Change] = [(rule.name, old, new)]
    if rule.name == "Payment":
        pairs = ledger.linked_docs(old) | ledger.linked_docs(new)
        changes += ledger.refresh_linked(company, pairs)
    ledger.adjust_customers(company, changes)


def create(company: Company, rule: Rule, body: dict[str, Any], allow_dup: bool = False) -> dict:
    """Create an entity."""
    if rule.kind == "read":
        raise unsupported("Create", rule.name)
    obj = validate.normalise(body)
    for key in ("Id", "SyncToken", *_SERVER_FIELDS):
        obj.pop(key, None)
    with atomic(company):
        _prepare(company, rule, obj, allow_dup)
        stored = company.add(rule.name, obj)
        _after(company, rule, None, stored)
        return copy.deepcopy(stored)


def update(company: Company, rule: Rule, body: dict[str, Any], allow_dup: bool = False) -> dict:
    """Full update (omitted writable fields cleared) or sparse update (sparse: true)."""
    if rule.kind == "read":
        raise unsupported("Update", rule.name)
    with atomic(company):
        old = _current(company, rule, body)
        incoming = validate.normalise(body)
        obj = {**old, **incoming} if body.get("sparse") is True else incoming
        for key in _SERVER_FIELDS:
            obj.pop(key, None)
        if rule.name == "Customer":  # the balance is QBO's to keep (read-only on update)
            obj["Balance"] = old.get("Balance", ZERO)
        if rule.name == "Item" and old.get("TrackQtyOnHand") and obj.get("TrackQtyOnHand") is False:
            raise business("TrackQtyOnHand cannot be turned off once it is on.")
        _prepare(company, rule, obj, allow_dup, old)
        obj["MetaData"] = old["MetaData"]
        stored = company.replace(rule.name, obj)
        _after(company, rule, old, stored)  # undo the old version's effects, apply the new
        return copy.deepcopy(stored)


def delete(company: Company, rule: Rule, body: dict[str, Any]) -> dict[str, Any]:
    """Delete a transaction; name lists are only made inactive (Active=false) in QBO."""
    if rule.kind != "txn":
        raise unsupported("Delete", rule.name)
    with atomic(company):
        old = _current(company, rule, body)
        company.remove(rule.name, old["Id"])
        _after(company, rule, old, None)
    return {"status": "Deleted", "domain": "QBO", "Id": old["Id"]}


def void(company: Company, rule: Rule, body: dict[str, Any]) -> dict[str, Any]:
    """Void: amounts zeroed, lines kept, note "Voided", effects undone (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#void-an-invoice)."""
    if rule.void is None:
        raise unsupported("Void", rule.name)
    with atomic(company):
        old = _current(company, rule, body)
        new = copy.deepcopy(old)
        sales.void_amounts(new)
        if rule.name == "Payment":
            new["Line"] = []
        stored = company.replace(rule.name, new)
        _after(company, rule, old, stored)
        return copy.deepcopy(stored)
