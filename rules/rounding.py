"""Explicit corrections so that QBO's arithmetic lands on Shopify's current total and tax.

Shopify rounds tax per line; QBO (non-US) rounds per tax rate over the whole document, so the two
can be a cent or so apart on orders with several lines. Amounts converted per field (presentment
money) and partial refunds can also leave the lines a cent away from the total. Both differences
go on the merchant's rounding item, visible on the document:
- tax (non-US): a pair of lines "+a" on a taxed code (the one with the largest base that can
  reach the missing cents: a code of several rates may only move its tax two cents at a time,
  when its rates round up on the same amount) and "−a" on the untaxed code; together they add
  nothing to sales but move QBO's tax by the missing cents;
- total: one untaxed line for what is left.
A difference larger than rounding can explain is a problem for a person, never a correction.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from rules.documents import DocLine, SalesDocument
from rules.money import minor_unit
from rules.problems import Problem
from rules.settings import US_NON_TAXABLE, SalesOptions
from rules.taxes import untaxed_code
from rules.totals import expected_totals

MAX_PASSES = 4


def tolerance(doc: SalesDocument) -> Decimal:
    """The most rounding can explain: one minor unit per line, plus two."""
    return minor_unit(doc.currency) * (len(doc.lines) + 2)


def _with(doc: SalesDocument, *lines: DocLine) -> SalesDocument:
    """The document with extra lines."""
    return replace(doc, lines=doc.lines + lines)


def _rounding_line(
    amount: Decimal, code: str | None, description: str, item: str | None
) -> DocLine:
    """A line on the rounding item."""
    return DocLine("rounding", amount, description=description, item_id=item, tax_code=code)


def _taxed_codes(doc: SalesDocument, options: SalesOptions) -> list[str]:
    """The tax codes with a non-zero rate on the document, largest amount carried first."""
    rates = options.lookups.tax_rates
    bases: dict[str, Decimal] = {}
    for line in doc.lines:
        code = line.tax_code or ""
        if code in rates and rates[code].percent:
            bases[code] = bases.get(code, Decimal(0)) + line.amount
    return sorted(bases, key=lambda c: (bases[c], c), reverse=True)


def _fix_tax_on(
    doc: SalesDocument, options: SalesOptions, gap: Decimal, code: str, untaxed: str
) -> SalesDocument | None:
    """The document plus a +a/−a pair on `code` that moves QBO's tax by `gap`; None if none."""
    rates, unit = options.lookups.tax_rates, minor_unit(doc.currency)
    item = options.rounding_item_id
    # Each rate of the code is rounded on its own: the slowest one may need (gap + 1 unit) / rate.
    slowest = min(p for _, p in rates[code].rates if p)
    reach = int((abs(gap) / unit + 1) * (100 + rates[code].percent) / slowest) + 3
    sign = 1 if gap > 0 else -1
    for k in range(1, reach + 1):
        a = unit * k * sign
        trial = _with(
            doc,
            _rounding_line(a, code, "Tax rounding (QuickBooks rounds per rate)", item),
            _rounding_line(-a, untaxed, "Tax rounding (balancing line)", item),
        )
        if expected_totals(trial, rates).tax == doc.target_tax:
            return trial
    return None


def _fix_tax(doc: SalesDocument, options: SalesOptions, gap: Decimal) -> SalesDocument | None:
    """The document plus the +a/−a pair that moves QBO's tax by `gap`; None if none does.

    Codes are tried largest first; a later one helps when the larger one's rates all round on
    the same amount (GST 5% + PST 7% both move at a base ending in .50) and so skip the gap.
    """
    untaxed = untaxed_code(options)
    if options.rounding_item_id is None or isinstance(untaxed, Problem):
        return None  # nowhere to put it
    for code in _taxed_codes(doc, options):  # none: nothing taxed to move
        fixed = _fix_tax_on(doc, options, gap, code, untaxed)
        if fixed is not None:
            return fixed
    return None


def _problem(doc: SalesDocument, field: str, qbo: Decimal, shopify: Decimal) -> Problem:
    """A difference the rules will not paper over."""
    if field == "tax" and any(ln.kind == "discount_total" for ln in doc.lines):
        fix = "choose a discount item in the sales settings so discounts keep their tax codes"
    else:
        fix = "check the order in Shopify; contact support if the order looks right"
    return Problem(
        f"{field}_mismatch",
        f"QuickBooks would compute a {field} of {qbo} {doc.currency} where Shopify has "
        f"{shopify} {doc.currency}",
        fix,
    )


def _missing_rounding_item(doc: SalesDocument, field: str, gap: Decimal) -> Problem:
    """A correction is needed but the merchant chose no rounding item."""
    return Problem(
        "rounding_item_missing",
        f"QuickBooks' rounding would leave the {field} {gap} {doc.currency} away from Shopify's",
        "choose a rounding item in the sales settings (and, outside the US, a tax code for "
        "untaxed sales)",
    )


def balance(doc: SalesDocument, options: SalesOptions) -> SalesDocument | Problem:
    """The document with whatever rounding lines make QBO's total and tax equal Shopify's."""
    rates = options.lookups.tax_rates
    for _ in range(MAX_PASSES):
        qbo = expected_totals(doc, rates)
        if not doc.us_tax and qbo.tax != doc.target_tax:
            gap = doc.target_tax - qbo.tax
            if abs(gap) > tolerance(doc):
                return _problem(doc, "tax", qbo.tax, doc.target_tax)
            if options.rounding_item_id is None or isinstance(untaxed_code(options), Problem):
                return _missing_rounding_item(doc, "tax", gap)
            fixed = _fix_tax(doc, options, gap)
            if fixed is None:
                return _problem(doc, "tax", qbo.tax, doc.target_tax)
            doc = fixed
            continue
        gap = doc.target_total - qbo.total
        if not gap:
            return doc
        if abs(gap) > tolerance(doc):
            return _problem(doc, "total", qbo.total, doc.target_total)
        code = US_NON_TAXABLE if doc.us_tax else untaxed_code(options)
        if options.rounding_item_id is None or isinstance(code, Problem):
            return _missing_rounding_item(doc, "total", gap)
        doc = _with(doc, _rounding_line(gap, code, "Rounding", options.rounding_item_id))
    qbo = expected_totals(doc, rates)
    return _problem(doc, "total", qbo.total, doc.target_total)
