"""Plain-data descriptions of the QBO documents to post, and their QBO JSON form.

The JSON follows Finance.xsd (SalesReceipt, Invoice, Line, SalesItemLineDetail,
DiscountLineDetail, TxnTaxDetail) and is what python-quickbooks' `from_json` accepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from rules.customers import CustomerSpec
from rules.items import NewItem
from rules.money import ZERO, quantize
from rules.settings import DocumentType, TaxCodeRates

LineKind = Literal[
    "item", "discount", "shipping", "tip", "duty", "gift_card", "rounding", "discount_total"
]
DOC_NUMBER_MAX = 21  # Finance.xsd / Intuit reference: DocNumber "maximum of 21 chars"
UNIT_PRICE_PLACES = Decimal("0.0000001")


@dataclass(frozen=True)
class DocLine:
    """One QBO line. `amount` is what QBO holds for it: tax-inclusive on TaxInclusive documents.

    kind "discount_total" is a DiscountLineDetail (positive amount, subtracted by QBO); every
    other kind is a SalesItemLineDetail line (discounts on the discount item are negative).
    """

    kind: LineKind
    amount: Decimal
    description: str = ""
    item_id: str | None = None
    new_item: NewItem | None = None
    qty: Decimal | None = None
    unit_price: Decimal | None = None
    tax_code: str | None = None
    class_id: str | None = None


@dataclass(frozen=True)
class PaymentSpec:
    """A QBO Payment to record against an Invoice: one per gateway."""

    gateway: str
    amount: Decimal
    txn_date: date
    deposit_account_id: str | None
    payment_method_id: str | None
    reference: str


@dataclass(frozen=True)
class SalesDocument:
    """One QBO SalesReceipt or Invoice, with what QBO must compute for it."""

    doc_type: DocumentType
    doc_number: str | None
    txn_date: date
    private_note: str
    customer: CustomerSpec
    lines: tuple[DocLine, ...]
    currency: str
    exchange_rate: Decimal | None
    us_tax: bool
    using_sales_tax: bool
    global_tax: str | None
    total_tax: Decimal | None
    target_total: Decimal
    target_tax: Decimal
    shopify_order_id: str
    shopify_order_name: str
    customer_id: str | None = None
    department_id: str | None = None
    ship_country: str | None = None
    ship_province: str | None = None
    deposit_account_id: str | None = None
    payment_method_id: str | None = None
    payments: tuple[PaymentSpec, ...] = field(default_factory=tuple)
    # In a foreign currency: Shopify's total in shop (= QBO home) money, which QBO's HomeTotalAmt
    # (TotalAmt × ExchangeRate) must come to.
    home_total: Decimal | None = None
    home_currency: str | None = None

    @property
    def qbo_entity(self) -> str:
        """The QBO entity name: SalesReceipt or Invoice."""
        return "SalesReceipt" if self.doc_type == "sales_receipt" else "Invoice"

    @property
    def new_items(self) -> list[NewItem]:
        """The items the poster must create before posting (one per distinct name)."""
        seen: dict[str, NewItem] = {}
        for line in self.lines:
            if line.new_item is not None:
                seen.setdefault(line.new_item.name, line.new_item)
        return list(seen.values())


def net_of_tax(gross: Decimal, code: str | None, rates: Mapping[str, TaxCodeRates]) -> Decimal:
    """A tax-inclusive amount without its tax (unrounded), as QBO splits it."""
    pct = rates[code].percent if code is not None and code in rates else ZERO
    return gross * 100 / (100 + pct)


def _plain(value: Decimal) -> Decimal:
    """Trailing zeros dropped without an exponent (10.0000000 -> 10, never 1E+1)."""
    return Decimal(format(value.normalize(), "f"))


def _ref(value: str | None) -> dict[str, str] | None:
    """A ReferenceType, or None."""
    return {"value": value} if value else None


def _sales_line(
    doc: SalesDocument,
    line: DocLine,
    item_ids: Mapping[str, str],
    rates: Mapping[str, TaxCodeRates],
) -> dict[str, Any]:
    """A SalesItemLineDetail line; TaxInclusive lines carry net Amount and gross TaxInclusiveAmt."""
    item = line.item_id or (item_ids.get(line.new_item.name) if line.new_item else None)
    detail: dict[str, Any] = {"ItemRef": _ref(item), "TaxCodeRef": _ref(line.tax_code)}
    amount = line.amount
    if doc.global_tax == "TaxInclusive":
        amount = quantize(net_of_tax(line.amount, line.tax_code, rates), doc.currency)
        detail["TaxInclusiveAmt"] = line.amount
    if line.qty:
        detail["Qty"] = line.qty
        unit = line.unit_price if doc.global_tax != "TaxInclusive" else amount / line.qty
        detail["UnitPrice"] = _plain((unit or ZERO).quantize(UNIT_PRICE_PLACES))
    if line.class_id:
        detail["ClassRef"] = _ref(line.class_id)
    detail = {k: v for k, v in detail.items() if v is not None}
    out = {"DetailType": "SalesItemLineDetail", "Amount": amount, "SalesItemLineDetail": detail}
    if line.description:
        out["Description"] = line.description[:4000]  # Finance.xsd Line.Description max 4000
    return {k: v for k, v in out.items() if v is not None}


def _discount_line(line: DocLine) -> dict[str, Any]:
    """A DiscountLineDetail line by amount (QBO's default discount account)."""
    detail: dict[str, Any] = {"PercentBased": False}
    if line.class_id:
        detail["ClassRef"] = _ref(line.class_id)
    return {"DetailType": "DiscountLineDetail", "Amount": line.amount, "DiscountLineDetail": detail}


def to_qbo_dict(
    doc: SalesDocument,
    rates: Mapping[str, TaxCodeRates],
    item_ids: Mapping[str, str] | None = None,
    customer_id: str | None = None,
) -> dict[str, Any]:
    """The SalesReceipt/Invoice JSON (new items' ids and the customer id filled in when known)."""
    item_ids = item_ids or {}
    lines = [
        _discount_line(ln) if ln.kind == "discount_total" else _sales_line(doc, ln, item_ids, rates)
        for ln in doc.lines
    ]
    out: dict[str, Any] = {
        "TxnDate": doc.txn_date.isoformat(),
        "DocNumber": doc.doc_number,
        "PrivateNote": doc.private_note,
        "CustomerRef": _ref(customer_id or doc.customer_id),
        "Line": lines,
        "DepartmentRef": _ref(doc.department_id),
        "ApplyTaxAfterDiscount": True,
    }
    if doc.ship_country or doc.ship_province:
        out["ShipAddr"] = {"Country": doc.ship_country, "CountrySubDivisionCode": doc.ship_province}
    out.update(_currency(doc))
    if doc.global_tax:
        out["GlobalTaxCalculation"] = doc.global_tax
    if doc.total_tax is not None:
        out["TxnTaxDetail"] = {"TotalTax": doc.total_tax}
    if doc.doc_type == "sales_receipt":
        out["DepositToAccountRef"] = _ref(doc.deposit_account_id)
        out["PaymentMethodRef"] = _ref(doc.payment_method_id)
    return {k: v for k, v in out.items() if v is not None}


def payment_to_qbo_dict(
    payment: PaymentSpec, invoice_id: str, customer_id: str, doc: SalesDocument
) -> dict[str, Any]:
    """The QBO Payment JSON linking `payment` to the posted invoice (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment)."""
    out: dict[str, Any] = {
        "CustomerRef": {"value": customer_id},
        "TotalAmt": payment.amount,
        "TxnDate": payment.txn_date.isoformat(),
        "PaymentRefNum": payment.reference[:21],
        "Line": [
            {"Amount": payment.amount, "LinkedTxn": [{"TxnId": invoice_id, "TxnType": "Invoice"}]}
        ],
        "DepositToAccountRef": _ref(payment.deposit_account_id),
        "PaymentMethodRef": _ref(payment.payment_method_id),
    }
    out.update(_currency(doc))  # in the invoice's currency, at the invoice's rate
    return {k: v for k, v in out.items() if v is not None}


def _currency(doc: SalesDocument) -> dict[str, Any]:
    """CurrencyRef always — Intuit's reference asks for it whenever the company has
    multi-currency, and the home currency is accepted without — and a foreign document's rate."""
    out: dict[str, Any] = {"CurrencyRef": {"value": doc.currency}}
    if doc.exchange_rate is not None:
        out["ExchangeRate"] = doc.exchange_rate
    return out
