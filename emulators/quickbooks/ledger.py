"""Cross-entity effects: invoice balances from payments, customer balances, inventory quantities.

ref: https://developer.intuit.com/app/developer/qbo/api/docs/api/accounting/all-entities/payment
(a Payment line links Invoices — and CreditMemos, whose credit it uses — via LinkedTxn; the amount
not applied stays as UnappliedAmt) and
https://developer.intuit.com/app/developer/qbo/api/docs/api/accounting/all-entities/item
(QtyOnHand of TrackQtyOnHand items; InvStartDate is the as-of date of the opening quantity)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from emulators.quickbooks.entities import Rule
from emulators.quickbooks.faults import QBOFault, business
from emulators.quickbooks.money import ZERO, dec
from emulators.quickbooks.store import Company

APPLIES_TO = ("Invoice", "CreditMemo")


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
    for payment in company.all("Payment"):
        for txn_id, amount in _links(payment, kind):
            if txn_id == doc["Id"]:
                used += amount
                links.append({"TxnId": payment["Id"], "TxnType": "Payment"})
    doc["LinkedTxn"] = links
    return dec(doc.get("TotalAmt")) - used


def set_balance(company: Company, kind: str, doc: dict[str, Any]) -> None:
    """Balance of a sales form: open amount (Invoice, CreditMemo) or zero (paid at sale)."""
    if kind not in APPLIES_TO:
        doc["Balance"] = ZERO
        return
    doc["Balance"] = open_balance(company, doc, kind) if doc.get("Id") else doc["TotalAmt"]
    if kind == "CreditMemo":
        doc["RemainingCredit"] = doc["Balance"]


def refresh_linked(company: Company, pairs: set[tuple[str, str]]) -> None:
    """Recompute the balances a payment touched (a new version of each document)."""
    for kind, ident in pairs:
        doc = company.snapshot(kind, ident)
        if doc is not None:
            set_balance(company, kind, doc)
            company.replace(kind, doc)


def refresh_customer(company: Company, customer_id: Any) -> None:
    """Customer Balance: open invoices less unused credit memos and unapplied payments."""
    customer = company.get("Customer", customer_id)
    if customer is None:
        return
    total = ZERO
    for kind, sign in (("Invoice", 1), ("CreditMemo", -1), ("Payment", -1)):
        for doc in company.all(kind):
            if str((doc.get("CustomerRef") or {}).get("value")) == customer["Id"]:
                field = "UnappliedAmt" if kind == "Payment" else "Balance"
                total += sign * dec(doc.get(field))
    company.patch("Customer", customer["Id"], Balance=total)


def check_not_deposited(company: Company, rule: Rule, doc: dict[str, Any]) -> None:
    """6540: a payment or receipt on a deposit cannot be changed (API_NOTES E3)."""
    if rule.name not in ("Payment", "SalesReceipt"):
        return
    for deposit in company.all("Deposit"):
        for line in deposit.get("Line") or []:
            for link in line.get("LinkedTxn") or []:
                if link.get("TxnType") == rule.name and str(link.get("TxnId")) == doc["Id"]:
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
