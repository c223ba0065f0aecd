"""A generated corpus of 400 orders over every case (100 per template), each reconciled to the
cent."""

from __future__ import annotations

import random
from decimal import Decimal as D

import pytest

from rules.documents import SalesDocument
from rules.orders import parse_order
from rules.problems import Problems
from rules.sales import order_to_sales_document
from rules.settings import CompanyFacts
from rules.totals import expected_totals
from tests.rules import companies
from tests.rules.builders import Line, make_order

TAXES = {
    "uk": ((("VAT", "0.2"),), (("VAT", "0.05"),), ()),
    "ca": ((("GST", "0.05"),), (("GST", "0.05"), ("PST", "0.07")), (("HST", "0.13"),)),
    "us": ((("CA State Tax", "0.06"), ("San Mateo County Tax", "0.0125")), ()),
    "au": ((("GST", "0.1"),), ()),
}
CURRENCY = {"uk": "GBP", "ca": "CAD", "us": "USD", "au": "AUD"}
COUNTRY = {"uk": "GB", "ca": "CA", "us": "US", "au": "AU"}


def _lines(rng: random.Random, template: str) -> list[Line]:
    """1–6 lines with random prices, quantities, taxes, line discounts and refunds."""
    out = []
    for n in range(1, rng.randint(1, 6) + 1):
        qty = rng.randint(1, 4)
        price = D(rng.randint(1, 9999)) / 100
        out.append(
            Line(
                f"SKU-{n}",
                str(price),
                qty,
                taxes=rng.choice(TAXES[template]),
                discount=rng.choice([None, None, str(min(price, D("1.50")))]),
                refunded=rng.choice([0, 0, 0, rng.randint(0, qty)]),
            )
        )
    return out


def _case(seed: int) -> tuple[str, list[Line], dict, dict]:
    """A random order and options for the seed."""
    rng = random.Random(seed)
    template = ("uk", "ca", "us", "au")[seed % 4]
    order = {
        "currency": CURRENCY[template],
        "tax": rng.choice(TAXES[template][:2]),
        "taxes_included": template != "us" and rng.random() < 0.4,
        "discount": rng.choice([None, "10%", "2.00", "100%"]),
        "shipping": rng.choice([None, "4.99", "12.00"]),
        "shipping_discount": rng.choice([None, None, "100%", "1.00"]),
        "shipping_refunded": rng.random() < 0.1,
        "presentment": rng.choice([None, None, "EUR"]),
        "rate": rng.choice(["1.1734", "0.8571"]),
        "paid": rng.choice(["total", "total", None]),
        "tip": rng.choice([None, None, "1.50"]),
    }
    multi = rng.random() < 0.5
    options = {
        "discount_item_id": rng.choice(["201", "201", "201", None]),
        "document_type": rng.choice(["sales_receipt", "invoice"]),
        "customer_mode": rng.choice(["original", "company", "generic"]),
        "company": CompanyFacts(
            country=COUNTRY[template],
            home_currency=CURRENCY[template],
            multi_currency=multi,
        ),
    }
    return template, _lines(rng, template), order, options


@pytest.mark.parametrize("seed", range(400))
def test_generated_order_reconciles_to_the_cent(seed):
    template, lines, order_kw, option_kw = _case(seed)
    node = make_order(lines, **order_kw)
    doc = order_to_sales_document(parse_order(node), companies.options(template, **option_kw))
    if option_kw["discount_item_id"] is None and isinstance(doc, Problems):
        # One QBO discount line spreads discounts pro rata; when Shopify's allocation taxes
        # differently the order asks for a discount item instead of a large correction.
        assert doc.codes == ["tax_mismatch"] and "choose a discount item" in str(doc)
        return
    assert isinstance(doc, SalesDocument), str(doc)
    side = "presentmentMoney" if doc.exchange_rate else "shopMoney"
    shopify = tuple(
        D(node[k][side]["amount"]) for k in ("currentTotalPriceSet", "currentTotalTaxSet")
    )
    assert tuple(expected_totals(doc, companies.rates(template))) == shopify
    assert companies.emulator_totals(template, doc) == shopify
    assert sum((p.amount for p in doc.payments), D(0)) <= doc.target_total
