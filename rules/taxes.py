"""Shopify taxes → QBO tax codes: the mapping keys the merchant maps, and each line's code.

US (automated sales tax): a line is TAX or NON; QBO's engine picks the jurisdiction and we send
the amount Shopify charged ("Whenever an explicit tax amount is sent in the transaction request the
AST engine honors the amount and prorates it across tax rates in the AST-assigned tax code":
https://developer.intuit.com/hub/blog/2017/12/11/using-quickbooks-online-api-automated-sales-tax).
Non-US: every line carries one TaxCode (a group when Shopify charged several taxes on it):
https://developer.intuit.com/app/developer/qbo/docs/develop/tutorials/manage-sales-tax-for-non-us-locales
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from rules.orders import ShopifyOrder, TaxLine
from rules.problems import Problem
from rules.settings import US_NON_TAXABLE, US_TAXABLE, SalesOptions

SEPARATOR = " + "


def percent_label(rate: Decimal) -> str:
    """A Shopify rate fraction as a percentage label: 0.05 -> '5%', 0.0875 -> '8.75%'."""
    pct = (rate * 100).normalize()
    text = f"{pct:f}"
    return f"{text}%"


def tax_label(tax_lines: Iterable[TaxLine]) -> str:
    """The merchant-facing name of a combination of taxes: 'GST 5% + PST 7%'."""
    parts = sorted({f"{t.title} {percent_label(t.rate)}".strip() for t in tax_lines})
    return SEPARATOR.join(parts)


def tax_key(tax_lines: Iterable[TaxLine], country: str | None = None) -> str:
    """The tax-mapping key of a line's taxes: its label, with '|CC' for the country when known."""
    label = tax_label(tax_lines)
    return f"{label}|{country.upper()}" if country else label


def order_tax_keys(order: ShopifyOrder) -> set[str]:
    """The distinct tax combinations an order charged (what the tax-mapping page lists)."""
    groups = [li.tax_lines for li in order.line_items] + [s.tax_lines for s in order.shipping_lines]
    return {tax_key(g, order.country_code) for g in groups if g}


def charged(tax_lines: Iterable[TaxLine]) -> bool:
    """True when any of the taxes is a non-zero amount."""
    return any(t.amount.shop or t.amount.presentment for t in tax_lines)


def us_tax_code(tax_lines: tuple[TaxLine, ...]) -> str:
    """TAX when Shopify charged tax on the line, NON otherwise."""
    return US_TAXABLE if charged(tax_lines) else US_NON_TAXABLE


def mapped_code(
    tax_lines: tuple[TaxLine, ...], options: SalesOptions, country: str | None
) -> str | Problem:
    """The QBO tax code of a non-US line from the merchant's mapping (country first)."""
    codes = options.lookups.tax_codes
    if tax_lines:
        for key in (tax_key(tax_lines, country), tax_key(tax_lines)):
            if key in codes:
                return codes[key]
        if charged(tax_lines):
            label = tax_label(tax_lines)
            return Problem(
                "tax_unmapped",
                f"Shopify tax '{label}' is not mapped to a QuickBooks tax code",
                "map it on the Taxes settings page",
            )
    return untaxed_code(options)


def untaxed_code(options: SalesOptions) -> str | Problem:
    """The tax code for untaxed amounts: NON (US) or the merchant's zero-rated/exempt code."""
    if options.company.us:
        return US_NON_TAXABLE
    if options.untaxed_tax_code_id:
        return options.untaxed_tax_code_id
    return Problem(
        "untaxed_code_missing",
        "The order has untaxed amounts and QuickBooks needs a tax code on every line",
        "choose the QuickBooks tax code for untaxed sales (e.g. Exempt or Zero-rated) in the "
        "tax settings",
    )


def line_tax_code(
    tax_lines: tuple[TaxLine, ...], options: SalesOptions, country: str | None
) -> str | Problem:
    """The QBO TaxCodeRef value of a document line carrying these Shopify taxes."""
    if options.company.us:
        return us_tax_code(tax_lines)
    return mapped_code(tax_lines, options, country)
