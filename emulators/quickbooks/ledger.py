"""Cross-entity effects: invoice balances from payments, customer balances, inventory quantities.

ref: https://developer.intuit.com/app/developer/qbo/api/docs/api/accounting/all-entities/payment
(a Payment line links Invoices — and CreditMemos, whose credit it uses — via LinkedTxn; the amount
not applied stays as UnappliedAmt) and
https://developer.intuit.com/app/developer/qbo/api/docs/api/accounting/all-entities/item
(QtyOnHand of TrackQtyOnHand items; InvStartDate is the as-of date of the opening quantity)
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from emulators.quickbooks import currency
from emulators.quickbooks.entities import Rule
from emulators.quickbooks.faults import QBOFault, business
from emulators.quickbooks.money import ZERO, dec
from emulators.quickbooks.store import Company

APPLIES_TO = ("Invoice", "CreditMemo")
# What each document adds to its customer's Balance: (sign, field).
BALANCE_FIELDS = {
    "Invoice": (1, "Balance"),
    "CreditMemo": (-1, "Balance"),
    "Payment": (-1, "UnappliedAmt"),
}
Change = tuple[str, dict[str, Any] | None, dict[str, Any] | None]  # (type, old, new)


def _links(doc: dict[str, Any], kind: str) -> list[tuple[str, Decimal]]:
    """(TxnId, line Amount) for each line link of `kind` on a payment."""
    out = []
    for line in doc.get("Line") or []:
        for link in line.get("LinkedTxn") or []:
            if link.get("TxnType") == kind:
                out.append((str(link.get("TxnId")), dec(line.get("Amount"))))
    return out


def linked_docs(doc: dict[str, Any] | None) -> set[tuple[str, str]]:
    """(TxnType, Id) of the invoices and credit memos a payment applies."""
    if not doc:
        return set()
    return {(kind, i) for kind in APPLIES_TO for i, _ in _links(doc, kind)}


def check_payment(company: Company, doc: dict[str, Any]) -> None:
    """Set UnappliedAmt: total less invoices paid plus credit memos used; refuse overuse."""
    total = dec(doc.get("TotalAmt"))
    paid = sum((amount for _, amount in _links(doc, "Invoice")), ZERO)
    credits = sum((amount for _, amount in _links(doc, "CreditMemo")), ZERO)
    if paid - credits > total:
        raise business(
            "The payment amount must be at least the total of the amounts applied to transactions."
        )
    doc["TotalAmt"] = total
    doc["UnappliedAmt"] = total - paid + credits


def open_balance(company: Company, doc: dict[str, Any], kind: str) -> Decimal:
    """An invoice's or credit memo's TotalAmt less what payments apply; sets its LinkedTxn."""
    used = ZERO
    links = []
    for payment in company.referrers(kind, doc["Id"], "Payment"):
        for txn_id, amount in _links(payment, kind):
            if txn_id == doc["Id"]:
                used += amount
        links.append({"TxnId": payment["Id"], "TxnType": "Payment"})
    doc["LinkedTxn"] = links
    return dec(doc.get("TotalAmt")) - used


def set_balance(company: Company, kind: str, doc: dict[str, Any]) -> None:
    """Balance of a sales form: open amount (Invoice, CreditMemo) or zero (paid at sale); and
    its home-currency amounts."""
    if kind not in APPLIES_TO:
        doc["Balance"] = ZERO
    else:
        doc["Balance"] = open_balance(company, doc, kind) if doc.get("Id") else doc["TotalAmt"]
    if kind == "CreditMemo":
        doc["RemainingCredit"] = doc["Balance"]
    currency.home_amounts(company, kind, doc)


def refresh_linked(company: Company, pairs: set[tuple[str, str]]) -> list[Change]:
    """Recompute the balances a payment touched (a new version of each); the changes made."""
    changes: list[Change] = []
    for kind, ident in sorted(pairs):
        old = company.get(kind, ident)
        if old is not None:
            doc = copy.deepcopy(old)
            set_balance(company, kind, doc)
            changes.append((kind, old, company.replace(kind, doc)))
    return changes


def _owed(kind: str, doc: dict[str, Any] | None) -> tuple[str, Decimal] | None:
    """(customer Id, what the document adds to the customer's balance)."""
    if doc is None or kind not in BALANCE_FIELDS or not doc.get("CustomerRef"):
        return None
    sign, field = BALANCE_FIELDS[kind]
    return str(doc["CustomerRef"].get("value")), sign * dec(doc.get(field))


def adjust_customers(company: Company, changes: list[Change]) -> None:
    """Move customer Balances by what changed: open invoices less credit and unapplied cash."""
    deltas: dict[str, Decimal] = {}
    for kind, old, new in changes:
        for owed, sign in ((_owed(kind, old), -1), (_owed(kind, new), 1)):
            if owed is not None:
                deltas[owed[0]] = deltas.get(owed[0], ZERO) + sign * owed[1]
    for customer_id, delta in deltas.items():
        customer = company.get("Customer", customer_id)
        if customer is not None and delta:
            company.patch("Customer", customer_id, Balance=dec(customer.get("Balance")) + delta)


def check_not_deposited(company: Company, rule: Rule, doc: dict[str, Any]) -> None:
    """6540: a payment or receipt on a deposit cannot be changed (https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes)."""
    if rule.name not in ("Payment", "SalesReceipt"):
        return
    for deposit in company.referrers(rule.name, doc["Id"], "Deposit"):
        if deposit:
            raise QBOFault(
                "6540",
                "Deposited Transaction cannot be changed",
                "This transaction has been deposited. If you want to change "
                "or delete it, you must first edit the deposit it appears "
                f"on and remove it. (Deposit Id={deposit['Id']})",
            )


def _stock_lines(company: Company, doc: dict[str, Any]) -> list[tuple[dict[str, Any], Decimal]]:
    """(tracked inventory item, quantity) for each sales line of a document."""
    out = []
    for line in doc.get("Line") or []:
        detail = line.get("SalesItemLineDetail") or {}
        item = company.get("Item", (detail.get("ItemRef") or {}).get("value"))
        if item and item.get("Type") == "Inventory" and item.get("TrackQtyOnHand"):
            out.append((item, dec(detail.get("Qty"), Decimal(1))))
    return out


def check_start_dates(company: Company, rule: Rule, doc: dict[str, Any]) -> None:
    """Refuse a document dated before an inventory item's InvStartDate [U: wording, code 6000]."""
    if not rule.stock:
        return
    for item, _ in _stock_lines(company, doc):
        if str(doc.get("TxnDate", "")) < str(item.get("InvStartDate", "")):
            raise business(
                f"Transaction date is prior to start date for inventory item "
                f"{item.get('Name')} ({item.get('InvStartDate')})."
            )


def move_stock(company: Company, rule: Rule, doc: dict[str, Any] | None, sign: int) -> None:
    """Apply (sign 1) or undo (sign -1) a document's QtyOnHand movements."""
    if not rule.stock or doc is None:
        return
    for item, qty in _stock_lines(company, doc):
        current = company.get("Item", item["Id"])  # a previous line may have moved it already
        moved = dec(current.get("QtyOnHand")) + rule.stock * sign * qty
        company.patch("Item", item["Id"], QtyOnHand=moved)
