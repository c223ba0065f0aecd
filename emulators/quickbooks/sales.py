"""Sales-form arithmetic: line amounts, discount, shipping, SubTotalLine, tax, TotalAmt, Balance.

ref: https://developer.intuit.com/app/developer/qbo/api/docs/api/accounting/all-entities/invoice
(SubTotalLineDetail is computed by QBO and ignored on input; DiscountLineDetail by amount or
PercentBased/DiscountPercent; shipping as a SalesItemLine on SHIPPING_ITEM_ID)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from emulators.quickbooks import currency
from emulators.quickbooks.money import ZERO, dec, to_unit
from emulators.quickbooks.store import Company
from emulators.quickbooks.tax import TaxableLine, TaxResult, global_tax, us_tax
from emulators.quickbooks.validate import SHIPPING_ITEM_ID

_SUBTOTAL = "SubTotalLineDetail"


def _item_amount(line: dict[str, Any], inclusive: bool, unit: Decimal) -> Decimal:
    """A sales line's amount: TaxInclusiveAmt (inclusive docs), Amount, or UnitPrice × Qty."""
    detail = line.get("SalesItemLineDetail") or {}
    if inclusive and dec(detail.get("TaxInclusiveAmt")):  # python-quickbooks sends 0 when unset
        return to_unit(dec(detail["TaxInclusiveAmt"]), unit)
    if line.get("Amount") not in (None, ""):
        return to_unit(dec(line["Amount"]), unit)
    return to_unit(dec(detail.get("UnitPrice")) * dec(detail.get("Qty"), Decimal(1)), unit)


def _is_shipping(line: dict[str, Any]) -> bool:
    """True for QBO's shipping line (ItemRef SHIPPING_ITEM_ID)."""
    ref = (line.get("SalesItemLineDetail") or {}).get("ItemRef") or {}
    return str(ref.get("value")) == SHIPPING_ITEM_ID


def _tax_code(line: dict[str, Any], us: bool) -> str | None:
    """The line's tax code; under US AST an omitted code counts as TAX (https://developer.intuit.com/app/developer/qbo/docs/develop/tutorials/manage-sales-tax-for-us-locales)."""
    ref = (line.get("SalesItemLineDetail") or {}).get("TaxCodeRef") or {}
    return str(ref["value"]) if ref.get("value") else ("TAX" if us else None)


def _discount(lines: list[dict[str, Any]], subtotal: Decimal, unit: Decimal) -> Decimal:
    """Set each discount line's Amount (percent of the subtotal, or as sent); return the sum."""
    total = ZERO
    for line in lines:
        detail = line.get("DiscountLineDetail") or {}
        if detail.get("PercentBased"):
            line["Amount"] = to_unit(subtotal * dec(detail.get("DiscountPercent")) / 100, unit)
        else:
            line["Amount"] = to_unit(dec(line.get("Amount")), unit)
        total += line["Amount"]
    return total


def compute(company: Company, doc: dict[str, Any]) -> None:
    """Fill in Line amounts and Ids, SubTotalLine, TxnTaxDetail, TotalAmt (in place).

    Amounts round to the minor unit of the document's currency (JPY: whole yen).
    """
    unit = currency.unit(currency.code_of(doc) or currency.home(company))
    inclusive = not company.us and doc.get("GlobalTaxCalculation") == "TaxInclusive"
    if company.us:
        doc.pop("GlobalTaxCalculation", None)  # a US company has no global tax model
    lines = [ln for ln in doc.get("Line") or [] if ln.get("DetailType") != _SUBTOTAL]
    items = [ln for ln in lines if ln.get("DetailType") == "SalesItemLineDetail"]
    taxable: list[TaxableLine] = []
    subtotal = shipping = ZERO
    for line in items:
        amount = _item_amount(line, inclusive, unit)
        line["Amount"] = amount
        ship = _is_shipping(line)
        taxable.append(TaxableLine(line, amount, _tax_code(line, company.us), not ship))
        shipping, subtotal = (
            (shipping + amount, subtotal) if ship else (shipping, subtotal + amount)
        )
    discount = _discount(
        [ln for ln in lines if ln.get("DetailType") == "DiscountLineDetail"], subtotal, unit
    )
    factor = (1 - discount / subtotal) if subtotal else Decimal(1)
    tax = _tax(company, doc, taxable, factor, unit)
    taken = [int(ln["Id"]) for ln in lines if str(ln.get("Id", "")).isdigit()]
    next_id = max(taken, default=0) + 1
    for n, line in enumerate(lines, start=1):
        if not str(line.get("Id", "")).isdigit():  # new lines get fresh Ids, kept ones keep theirs
            line["Id"], next_id = str(next_id), next_id + 1
        line["LineNum"] = n
        if line.get("DetailType") not in ("SalesItemLineDetail", "DiscountLineDetail"):
            line["Amount"] = to_unit(dec(line.get("Amount")), unit)
    lines.append({"Amount": subtotal, "DetailType": _SUBTOTAL, _SUBTOTAL: {}})
    doc["Line"] = lines
    doc["TxnTaxDetail"] = tax.detail
    gross = subtotal - discount + shipping
    doc["TotalAmt"] = gross if inclusive else gross + tax.total


def _tax(
    company: Company,
    doc: dict[str, Any],
    lines: list[TaxableLine],
    factor: Decimal,
    unit: Decimal,
) -> TaxResult:
    """Dispatch to the US or the non-US tax model."""
    if company.us:
        prefs = (company.get("Preferences", "1") or {}).get("TaxPrefs") or {}
        if not prefs.get("UsingSalesTax"):
            return TaxResult(ZERO, {"TotalTax": ZERO})  # TxnTaxDetail ignored without sales tax
        return us_tax(company, doc, lines, factor, unit)
    return global_tax(company, doc, lines, factor, unit)


def void_amounts(doc: dict[str, Any]) -> None:
    """Zero a voided document's amounts, keeping its lines, as QBO does ("Voided" note)."""
    for line in doc.get("Line") or []:
        line["Amount"] = ZERO
        detail = line.get("SalesItemLineDetail")
        if isinstance(detail, dict):
            detail.pop("TaxInclusiveAmt", None)
            if "Qty" in detail:
                detail["Qty"] = ZERO
    doc["TotalAmt"] = ZERO
    doc["Balance"] = ZERO
    for field in ("HomeTotalAmt", "HomeBalance"):
        if field in doc:
            doc[field] = ZERO
    if "TxnTaxDetail" in doc:
        doc["TxnTaxDetail"] = {"TotalTax": ZERO}
    if "UnappliedAmt" in doc:
        doc["UnappliedAmt"] = ZERO
    doc["PrivateNote"] = "Voided"
