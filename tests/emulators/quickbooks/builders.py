"""Builders of python-quickbooks objects for the emulator tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from quickbooks.objects.base import CustomerMemo, LinkedTxn, Ref
from quickbooks.objects.customer import Customer
from quickbooks.objects.detailline import (
    DiscountLine,
    DiscountLineDetail,
    SalesItemLine,
    SalesItemLineDetail,
)
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.item import Item
from quickbooks.objects.payment import Payment, PaymentLine
from quickbooks.objects.salesreceipt import SalesReceipt

__all__ = [
    "CustomerMemo",
    "make_doc",
    "item_id",
    "ref",
    "customer_id",
    "line",
    "discount",
    "payment",
    "Invoice",
    "SalesReceipt",
]


def ref(value: str, name: str = "") -> Ref:
    """A python-quickbooks Ref."""
    r = Ref()
    r.value, r.name = value, name
    return r


def item_id(qb: Any, name: str) -> str:
    """The Id of the template item called `name`."""
    return Item.filter(Name=name, qb=qb)[0].Id


def customer_id(qb: Any, name: str = "Cool Cars") -> str:
    """The Id of a template customer."""
    return Customer.filter(DisplayName=name, qb=qb)[0].Id


def line(
    item: str, amount: str, qty: str = "1", tax: str | None = None, inclusive: str | None = None
) -> SalesItemLine:
    """A sales line on an item id (or SHIPPING_ITEM_ID)."""
    ln = SalesItemLine()
    ln.Amount = Decimal(amount)
    ln.SalesItemLineDetail = SalesItemLineDetail()
    ln.SalesItemLineDetail.ItemRef = ref(item)
    ln.SalesItemLineDetail.Qty = Decimal(qty)
    ln.SalesItemLineDetail.UnitPrice = Decimal(amount) / Decimal(qty)
    if tax:
        ln.SalesItemLineDetail.TaxCodeRef = ref(tax)
    if inclusive:
        ln.SalesItemLineDetail.TaxInclusiveAmt = Decimal(inclusive)
    return ln


def discount(amount: str = "0", percent: str | None = None) -> DiscountLine:
    """A discount line, by amount or percent."""
    ln = DiscountLine()
    ln.Amount = Decimal(amount)
    ln.DiscountLineDetail = DiscountLineDetail()
    if percent is not None:
        ln.DiscountLineDetail.PercentBased = True
        ln.DiscountLineDetail.DiscountPercent = Decimal(percent)
    return ln


def make_doc(
    qb: Any,
    cls: type = Invoice,
    lines: list | None = None,
    save: bool = True,
    customer: str | None = None,
    **fields: Any,
) -> Any:
    """A sales document for a template customer; saved unless save=False."""
    doc = cls()
    doc.CustomerRef = ref(customer or customer_id(qb))
    doc.Line = lines if lines is not None else [line(item_id(qb, "Design"), "100.00")]
    for key, value in fields.items():
        setattr(doc, key, value)
    return doc.save(qb=qb) if save else doc


def payment(
    qb: Any, customer: str, total: str, links: list[tuple[str, ...]], currency: str | None = None
) -> Payment:
    """A Payment of `total` applied to (id, amount[, TxnType]) — invoices unless told; in
    `currency` when given (else QBO's default, the home currency)."""
    p = Payment()
    p.CustomerRef = ref(customer)
    if currency:
        p.CurrencyRef = ref(currency)
    p.TotalAmt = Decimal(total)
    for txn_id, amount, *kind in links:
        pl = PaymentLine()
        pl.Amount = Decimal(amount)
        link = LinkedTxn()
        link.TxnId, link.TxnType = txn_id, (kind[0] if kind else "Invoice")
        pl.LinkedTxn = [link]
        p.Line.append(pl)
    return p.save(qb=qb)
