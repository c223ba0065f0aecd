"""Every document's total and tax, as QBO computes them, equal Shopify's current total and tax."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from rules.documents import SalesDocument
from rules.orders import parse_order
from rules.sales import order_to_sales_document
from rules.settings import CompanyFacts
from rules.totals import expected_totals
from tests.rules import companies
from tests.rules.builders import Line, make_order

VAT5 = (("VAT", "0.05"),)
GST_PST = (("GST", "0.05"), ("PST", "0.07"))
US_CA = (("CA State Tax", "0.06"), ("San Mateo County Tax", "0.0125"))
ODD = [Line("SKU-1", "9.99", 3), Line("SKU-2", "4.45", 2), Line("SKU-3", "12.49", 1)]
PENNIES = [Line(f"SKU-{n}", "0.33", n) for n in range(1, 8)]
ROUND_UP = [Line(f"SKU-{n}", "0.03", 1) for n in range(1, 8)]  # Shopify 7 × 0.01, QBO 0.04
ROUND_DOWN = [Line(f"SKU-{n}", "1.05", 1, taxes=VAT5) for n in range(1, 8)]
ODD_YEN = [Line("SKU-1", "1980", 3), Line("SKU-2", "455", 2), Line("SKU-3", "1249", 1)]
GST10 = (("GST", "0.1"),)
AU = {"tax": GST10, "currency": "AUD", "country": "AU", "province": "NSW", "taxes_included": True}
# GST 10% lines and a GST-free one (fresh food, say): one eleventh of each taxed line is GST
AU_MIX = [Line("SKU-1", "9.99", 3), Line("SKU-2", "4.45", 2, taxes=()), Line("SKU-3", "12.49", 1)]
AU_ELEVENTHS = [Line(f"SKU-{n}", "0.16", 1) for n in range(1, 8)]  # Shopify 7 × 0.01, QBO 0.10
MULTI = CompanyFacts(country="US", home_currency="USD", multi_currency=True)

CASES = [
    # (id, template, lines, order options, sales options)
    ("uk-exclusive", "uk", None, {}, {}),
    ("uk-inclusive", "uk", ODD, {"taxes_included": True}, {}),
    ("uk-order-discount-pct", "uk", ODD, {"discount": "10%"}, {}),
    ("uk-order-discount-fixed", "uk", ODD, {"discount": "7.00"}, {}),
    ("uk-inclusive-discount", "uk", ODD, {"taxes_included": True, "discount": "15%"}, {}),
    ("uk-line-discount", "uk", [Line("SKU-1", "19.99", 2, discount="2.50"), *ODD[1:]], {}, {}),
    ("uk-shipping-discounted", "uk", ODD, {"shipping": "4.99", "shipping_discount": "1.00"}, {}),
    ("uk-free-shipping", "uk", ODD, {"shipping": "3.95", "shipping_discount": "100%"}, {}),
    ("uk-shipping-untaxed", "uk", ODD, {"shipping": "3.95", "shipping_taxed": False}, {}),
    ("uk-inclusive-shipping", "uk", ODD, {"taxes_included": True, "shipping": "4.99"}, {}),
    (
        "uk-mixed-rates",
        "uk",
        [
            Line("SKU-1", "10.99", 2),
            Line("SKU-2", "3.49", 3, taxes=VAT5),
            Line("SKU-3", "8", 1, taxes=()),
        ],
        {"discount": "5%", "shipping": "2.99"},
        {},
    ),
    ("uk-per-line-rounding", "uk", PENNIES, {}, {}),
    ("uk-per-line-rounding-inclusive", "uk", PENNIES, {"taxes_included": True}, {}),
    ("uk-tax-rounds-up-per-line", "uk", ROUND_UP, {}, {}),
    ("uk-tax-rounds-down-per-line", "uk", ROUND_DOWN, {"shipping": "2.00"}, {}),
    ("uk-tax-rounding-inclusive", "uk", ROUND_DOWN, {"taxes_included": True}, {}),
    (
        "uk-tax-rounding-no-discount-item",
        "uk",
        ROUND_UP,
        {"discount": "5%"},
        {"discount_item_id": None},
    ),
    ("uk-no-discount-item", "uk", ODD, {"discount": "10%"}, {"discount_item_id": None}),
    ("uk-no-shipping-item", "uk", ODD, {"shipping": "4.99"}, {"shipping_item_id": None}),
    ("uk-presentment-shop-money", "uk", ODD, {"presentment": "EUR", "rate": "0.8571"}, {}),
    ("uk-zero-total", "uk", ODD, {"discount": "100%"}, {}),
    (
        "uk-partially-paid",
        "uk",
        ODD,
        {"paid": ("10.00",), "status": "PARTIALLY_PAID"},
        {"document_type": "invoice"},
    ),
    (
        "uk-refunded-line",
        "uk",
        [Line("SKU-1", "9.99", 3, refunded=1), *ODD[1:]],
        {"discount": "10%", "status": "PARTIALLY_REFUNDED"},
        {},
    ),
    ("uk-refunded-shipping", "uk", ODD, {"shipping": "4.99", "shipping_refunded": True}, {}),
    ("uk-gift-card-sold", "uk", [*ODD[:1], Line(None, "25.00", 1, gift_card=True)], {}, {}),
    ("uk-tip", "uk", ODD, {"tip": "2.00"}, {}),
    (
        "ca-gst-pst",
        "ca",
        ODD,
        {"tax": GST_PST, "country": "CA", "province": "BC", "currency": "CAD"},
        {},
    ),
    (
        "ca-gst-pst-refund-discount",
        "ca",
        [Line("SKU-1", "9.99", 3, refunded=2), *ODD[1:]],
        {"tax": GST_PST, "country": "CA", "currency": "CAD", "discount": "12%", "shipping": "7.5"},
        {},
    ),
    (
        "ca-hst-inclusive",
        "ca",
        PENNIES,
        {"tax": (("HST", "0.13"),), "currency": "CAD", "taxes_included": True},
        {},
    ),
    (
        "us-exclusive",
        "us",
        ODD,
        {"tax": US_CA, "currency": "USD", "country": "US", "province": "CA"},
        {},
    ),
    (
        "us-discount-shipping",
        "us",
        ODD,
        {"tax": US_CA, "currency": "USD", "country": "US", "discount": "10%", "shipping": "5.00"},
        {},
    ),
    (
        "us-no-discount-item",
        "us",
        [*ODD, Line("SKU-4", "3.00", 1, taxes=())],
        {"tax": US_CA, "currency": "USD", "country": "US", "discount": "3.33"},
        {"discount_item_id": None},
    ),
    ("us-taxes-included", "us", ODD, {"tax": US_CA, "currency": "USD", "taxes_included": True}, {}),
    (
        "us-presentment-multicurrency",
        "us",
        ODD,
        {"tax": US_CA, "currency": "USD", "presentment": "CAD", "rate": "0.7321"},
        {},
    ),
    (
        "us-presentment-booked-in-cad",
        "us",
        ODD,
        {
            "tax": US_CA,
            "currency": "USD",
            "presentment": "CAD",
            "rate": "0.7321",
            "shipping": "9.99",
        },
        {"company": MULTI},
    ),
    (
        "jp-yen-inclusive",
        "jp",
        ODD_YEN,
        {"currency": "JPY", "taxes_included": True, "tax": (("JCT", "0.1"),), "country": "JP"},
        {},
    ),
    ("au-gst-inclusive", "au", AU_MIX, AU, {}),
    (
        "au-gst-inclusive-discount-shipping",
        "au",
        AU_MIX,
        {**AU, "discount": "10%", "shipping": "9.95"},
        {},
    ),
    ("au-gst-free-shipping", "au", AU_MIX, {**AU, "shipping": "7.50", "shipping_taxed": False}, {}),
    ("au-gst-rounding-per-line", "au", AU_ELEVENTHS, AU, {}),
    (
        "au-gst-refund",
        "au",
        [Line("SKU-1", "9.99", 3, refunded=1), *AU_MIX[1:]],
        {**AU, "shipping": "9.95"},
        {},
    ),
    (
        "us-refund",
        "us",
        [Line("SKU-1", "9.99", 3, refunded=1), *ODD[1:]],
        {"tax": US_CA, "currency": "USD"},
        {},
    ),
]


def _document(template, lines, order_kw, option_kw) -> tuple[SalesDocument, dict]:
    """The document for a built order, and the order JSON."""
    node = make_order(lines, **order_kw)
    doc = order_to_sales_document(parse_order(node), companies.options(template, **option_kw))
    assert isinstance(doc, SalesDocument), str(doc)
    return doc, node


@pytest.mark.parametrize(
    ("case", "template", "lines", "order_kw", "option_kw"), CASES, ids=[c[0] for c in CASES]
)
def test_document_totals_equal_shopify_current_totals(case, template, lines, order_kw, option_kw):
    doc, node = _document(template, lines, order_kw, option_kw)
    side = "presentmentMoney" if doc.exchange_rate else "shopMoney"
    shopify = (
        D(node["currentTotalPriceSet"][side]["amount"]),
        D(node["currentTotalTaxSet"][side]["amount"]),
    )
    assert tuple(expected_totals(doc, companies.rates(template))) == shopify
    assert companies.emulator_totals(template, doc) in (shopify, None)
