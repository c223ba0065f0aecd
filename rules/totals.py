"""What QBO will compute for a document (TotalAmt, TxnTaxDetail.TotalTax), and the check that it
equals Shopify's current total and tax.

QBO's arithmetic, as the emulator implements it (emulators/quickbooks/sales.py and tax.py):
- each sales line's amount is rounded to the cent; DiscountLineDetail amounts are subtracted from
  the subtotal (the non-shipping lines) and, for tax, scale every discountable line by
  1 − discount / subtotal; lines on SHIPPING_ITEM_ID are neither in the subtotal nor discounted;
- US (automated sales tax): a sent TxnTaxDetail.TotalTax is honoured as the document's tax
  (https://developer.intuit.com/hub/blog/2017/12/11/using-quickbooks-online-api-automated-sales-tax);
- non-US: per TaxRate, base and tax are summed over the lines unrounded, then each rate's tax is
  rounded; TaxInclusive lines hold tax: net = gross × 100 / (100 + the code's combined percent)
  (https://developer.intuit.com/app/developer/qbo/docs/develop/tutorials/manage-sales-tax-for-non-us-locales);
- TotalAmt = subtotal − discount + shipping + tax, or the gross sum when TaxInclusive.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

from rules.documents import DocLine, SalesDocument, net_of_tax
from rules.money import ZERO, quantize
from rules.settings import QBO_SHIPPING_ITEM, US_NON_TAXABLE, TaxCodeRates


class QboTotals(NamedTuple):
    """A document's total and tax as QBO computes them."""

    total: Decimal
    tax: Decimal


class Difference(NamedTuple):
    """QBO's figure against Shopify's for one amount."""

    field: str
    qbo: Decimal
    shopify: Decimal


def _is_builtin_shipping(line: DocLine) -> bool:
    """True for a line on QBO's own shipping item (outside the subtotal, never discounted)."""
    return line.kind != "discount_total" and line.item_id == QBO_SHIPPING_ITEM


def _us_tax(doc: SalesDocument, sales: list[DocLine]) -> Decimal:
    """The US document's tax: the amount sent, when sales tax is on and a line is taxable."""
    if not doc.using_sales_tax or doc.total_tax is None:
        return ZERO
    taxable = any(ln.tax_code != US_NON_TAXABLE for ln in sales)
    return quantize(doc.total_tax, doc.currency) if taxable else ZERO


def _global_tax(
    doc: SalesDocument, sales: list[DocLine], factor: Decimal, rates: Mapping[str, TaxCodeRates]
) -> Decimal:
    """Non-US tax: per-rate sums of each line's (discounted, net) amount × percent, rounded."""
    if doc.global_tax == "NotApplicable":
        return ZERO
    buckets: dict[str, Decimal] = {}
    for line in sales:
        code = rates.get(line.tax_code or "")
        if code is None:
            continue
        amount = quantize(line.amount, doc.currency)
        if not _is_builtin_shipping(line):
            amount *= factor
        if doc.global_tax == "TaxInclusive":
            amount = net_of_tax(amount, line.tax_code, rates)
        for rate_id, pct in code.rates:
            buckets[rate_id] = buckets.get(rate_id, ZERO) + amount * pct / 100
    return sum((quantize(t, doc.currency) for t in buckets.values()), ZERO)


def expected_totals(doc: SalesDocument, rates: Mapping[str, TaxCodeRates]) -> QboTotals:
    """(TotalAmt, TotalTax) QBO will compute for the document, in the document's currency."""
    sales = [ln for ln in doc.lines if ln.kind != "discount_total"]
    shipping = sum(
        (quantize(ln.amount, doc.currency) for ln in sales if _is_builtin_shipping(ln)), ZERO
    )
    subtotal = sum(
        (quantize(ln.amount, doc.currency) for ln in sales if not _is_builtin_shipping(ln)), ZERO
    )
    discount = sum(
        (quantize(ln.amount, doc.currency) for ln in doc.lines if ln.kind == "discount_total"), ZERO
    )
    factor = (1 - discount / subtotal) if subtotal else Decimal(1)
    if doc.us_tax:
        tax = _us_tax(doc, sales)
    else:
        tax = _global_tax(doc, sales, factor, rates)
    gross = subtotal - discount + shipping
    return QboTotals(gross if doc.global_tax == "TaxInclusive" else gross + tax, tax)


class Expected(NamedTuple):
    """What Shopify says a posted document must come to: all reconciliation needs, kept on the
    ledger row before sending so a re-sent batch is reconciled like a first-time one."""

    currency: str
    target_total: Decimal
    target_tax: Decimal
    home_currency: str | None = None
    home_total: Decimal | None = None

    @classmethod
    def of(cls, doc: SalesDocument) -> Expected:
        """The expectation of a built document."""
        return cls(
            doc.currency, doc.target_total, doc.target_tax, doc.home_currency, doc.home_total
        )

    def to_json(self) -> dict[str, str | None]:
        """Amounts as strings, for a JSON column."""
        return {k: None if v is None else str(v) for k, v in self._asdict().items()}

    @classmethod
    def from_json(cls, data: dict[str, str | None]) -> Expected:
        """Back from `to_json`."""
        home_total = data.get("home_total")
        return cls(
            currency=str(data["currency"]),
            target_total=Decimal(str(data["target_total"])),
            target_tax=Decimal(str(data["target_tax"])),
            home_currency=data.get("home_currency"),
            home_total=None if home_total is None else Decimal(home_total),
        )


def reconcile(
    doc: SalesDocument | Expected,
    total: Decimal,
    tax: Decimal,
    home_total: Decimal | None = None,
) -> list[Difference]:
    """Differences between QBO's total/tax (computed or as posted) and Shopify's current ones;
    for a foreign-currency document also QBO's home-currency total against the shop-money one."""
    out = []
    for field, qbo, shopify in (
        ("total", total, doc.target_total),
        ("tax", tax, doc.target_tax),
    ):
        if quantize(qbo, doc.currency) != quantize(shopify, doc.currency):
            out.append(Difference(field, qbo, shopify))
    if home_total is not None and doc.home_total is not None and doc.home_currency:
        if quantize(home_total, doc.home_currency) != quantize(doc.home_total, doc.home_currency):
            out.append(Difference("home currency total", home_total, doc.home_total))
    return out
