"""Sales tax: US automated sales tax and the non-US per-line tax-code model.

US: https://developer.intuit.com/app/developer/qbo/docs/develop/tutorials/manage-sales-tax-for-us-locales
(line TaxCodeRef TAX/NON; under AST an omitted line code counts as TAX; the rate comes from the
ship-to address; TxnTaxDetail.TotalTax may be sent to override the computed amount [U]).
Non-US: https://developer.intuit.com/app/developer/qbo/docs/develop/tutorials/manage-sales-tax-for-non-us-locales
(GlobalTaxCalculation TaxExcluded | TaxInclusive | NotApplicable, a TaxCode on every line whose
TaxRates apply; Finance.xsd TaxInclusiveAmt = "total amount of line item including tax").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from emulators.quickbooks.faults import business
from emulators.quickbooks.money import ZERO, dec, to_unit
from emulators.quickbooks.store import Company


@dataclass
class TaxableLine:
    """A line's tax input: its amount (gross when tax-inclusive) and tax code."""

    line: dict[str, Any]
    amount: Decimal
    code: str | None
    discountable: bool


@dataclass
class _Bucket:
    """Accumulated base and tax for one TaxRate."""

    base: Decimal = ZERO
    tax: Decimal = ZERO
    percent: Decimal = ZERO


@dataclass
class TaxResult:
    """What tax computation hands back to the document totals."""

    total: Decimal = ZERO
    detail: dict[str, Any] = field(default_factory=dict)


def rates_of(company: Company, code_id: str) -> list[tuple[str, Decimal]]:
    """(TaxRate Id, percent) pairs of a TaxCode's sales rate list."""
    code = company.get("TaxCode", code_id) or {}
    details = ((code.get("SalesTaxRateList") or {}).get("TaxRateDetail")) or []
    out = []
    for d in details:
        rate_id = str((d.get("TaxRateRef") or {}).get("value"))
        out.append((rate_id, dec((company.get("TaxRate", rate_id) or {}).get("RateValue"))))
    return out


def us_tax(
    company: Company,
    doc: dict[str, Any],
    lines: list[TaxableLine],
    factor: Decimal,
    unit: Decimal,
) -> TaxResult:
    """AST: taxable lines (TAX or no code) at the combined rate of the ship-to state."""
    state = (doc.get("ShipAddr") or doc.get("BillAddr") or {}).get(
        "CountrySubDivisionCode"
    ) or company.ast_rates.get("default")
    code_id = company.ast_rates.get(str(state).upper(), company.ast_rates.get("default"))
    buckets: dict[str, _Bucket] = {}
    after_discount = doc.get("ApplyTaxAfterDiscount") is True
    for tl in lines:
        if tl.code == "NON":
            continue
        base = tl.amount * factor if (after_discount and tl.discountable) else tl.amount
        for rate_id, pct in rates_of(company, code_id):
            b = buckets.setdefault(rate_id, _Bucket(percent=pct))
            b.base += base
            b.tax += base * pct / 100
    result = _result(buckets, unit)
    # A non-zero TotalTax overrides AST [U]; python-quickbooks' TxnTaxDetail() sends 0 by default.
    override = dec((doc.get("TxnTaxDetail") or {}).get("TotalTax"))
    if override and result.detail["TaxLine"]:
        result.detail["TaxLine"][-1]["Amount"] += to_unit(override, unit) - result.total
        result.total = result.detail["TotalTax"] = to_unit(override, unit)
    result.detail = {"TxnTaxCodeRef": {"value": code_id}, **result.detail}
    return result


def global_tax(
    company: Company,
    doc: dict[str, Any],
    lines: list[TaxableLine],
    factor: Decimal,
    unit: Decimal,
) -> TaxResult:
    """Non-US: each line's TaxCode rates; inclusive amounts hold tax, exclusive ones don't."""
    mode = doc.get("GlobalTaxCalculation") or "TaxExcluded"
    if mode == "NotApplicable":
        return TaxResult(ZERO, {"TotalTax": ZERO})
    buckets: dict[str, _Bucket] = {}
    for tl in lines:
        if not tl.code:
            # The UI's "Make sure all your transactions have a GST/HST rate" rule [U].
            raise business("Make sure all your transactions have a tax rate before you save.")
        rates = rates_of(company, tl.code)
        total_pct = sum((p for _, p in rates), ZERO)
        amount = tl.amount * factor if tl.discountable else tl.amount
        net = amount * 100 / (100 + total_pct) if mode == "TaxInclusive" else amount
        for rate_id, pct in rates:
            b = buckets.setdefault(rate_id, _Bucket(percent=pct))
            b.base += net
            b.tax += net * pct / 100
        if mode == "TaxInclusive":
            detail = tl.line.setdefault("SalesItemLineDetail", {})
            detail["TaxInclusiveAmt"] = to_unit(tl.amount, unit)
            tl.line["Amount"] = to_unit(tl.amount * 100 / (100 + total_pct), unit)
    return _result(buckets, unit)


def _result(buckets: dict[str, _Bucket], unit: Decimal) -> TaxResult:
    """TxnTaxDetail with one TaxLine per rate, each rounded to the currency's minor unit."""
    tax_lines = [
        {
            "Amount": to_unit(b.tax, unit),
            "DetailType": "TaxLineDetail",
            "TaxLineDetail": {
                "TaxRateRef": {"value": rate_id},
                "PercentBased": True,
                "TaxPercent": b.percent,
                "NetAmountTaxable": to_unit(b.base, unit),
            },
        }
        for rate_id, b in buckets.items()
    ]
    total = sum((t["Amount"] for t in tax_lines), ZERO)
    return TaxResult(total, {"TotalTax": total, "TaxLine": tax_lines})
