"""Gift cards redeemed: a negative untaxed line on the gift card item (the liability), not a
deposit; what QBO computes equals Shopify's current total less the redemption, to the cent."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from rules.documents import SalesDocument
from rules.orders import parse_order
from rules.problems import Problems
from rules.sales import order_to_sales_document
from rules.settings import CompanyFacts
from rules.taxes import untaxed_code
from rules.totals import expected_totals
from tests.rules import companies
from tests.rules.builders import Line, make_order
from tests.rules.companies import ITEM_IDS, ODD_LINES, build

US_CA = (("CA State Tax", "0.06"), ("San Mateo County Tax", "0.0125"))
MULTI = CompanyFacts(country="US", home_currency="USD", multi_currency=True)
US_PART = {
    "tax": US_CA,
    "currency": "USD",
    "country": "US",
    "gateways": ("gift_card", "paypal"),
    "paid": ("20.00", "10.00"),
    "status": "PARTIALLY_PAID",
}
CASES = [
    (
        "uk-part-gift-card",
        "uk",
        {"gateways": ("gift_card", "shopify_payments"), "paid": ("25.00", "21.64")},
        {},
    ),
    ("uk-all-gift-card", "uk", {"gateways": ("gift_card",)}, {}),
    ("us-part-gift-card-discount", "us", {**US_PART, "discount": "10%"}, {}),
    (
        "us-gift-card-no-discount-item",
        "us",
        {**US_PART, "discount": "3.33"},
        {"discount_item_id": None},
    ),
    (
        "ca-invoice-part-gift-card",
        "ca",
        {
            "tax": (("HST", "0.13"),),
            "currency": "CAD",
            "country": "CA",
            "province": "ON",
            "gateways": ("gift_card",),
            "paid": ("30.00",),
            "status": "PARTIALLY_PAID",
        },
        {"document_type": "invoice"},
    ),
]


def _document(template, order_kw, option_kw):
    node = make_order(ODD_LINES, **order_kw)
    doc = order_to_sales_document(parse_order(node), companies.options(template, **option_kw))
    assert isinstance(doc, SalesDocument), str(doc)
    return doc, node


def _paid_by_gift_card(node, side="shopMoney") -> D:
    sales = [t for t in node["transactions"] if t["gateway"] == "gift_card" and t["kind"] == "SALE"]
    back = [
        t for t in node["transactions"] if t["gateway"] == "gift_card" and t["kind"] == "REFUND"
    ]
    amount = lambda ts: sum((D(t["amountSet"][side]["amount"]) for t in ts), D(0))  # noqa: E731
    return amount(sales) - amount(back)


@pytest.mark.parametrize(
    ("case", "template", "order_kw", "option_kw"), CASES, ids=[c[0] for c in CASES]
)
def test_redemption_line_and_totals_to_the_cent(case, template, order_kw, option_kw):
    doc, node = _document(template, order_kw, option_kw)
    redeemed = _paid_by_gift_card(node)
    gift = [ln for ln in doc.lines if ln.description == "Gift card redeemed"]
    assert [(ln.kind, ln.amount, ln.item_id) for ln in gift] == [
        ("gift_card", -redeemed, ITEM_IDS["gift"])
    ]
    assert gift[0].tax_code == untaxed_code(companies.options(template))  # NON for US
    shopify_total = D(node["currentTotalPriceSet"]["shopMoney"]["amount"])
    shopify_tax = D(node["currentTotalTaxSet"]["shopMoney"]["amount"])
    assert doc.target_total == shopify_total - redeemed
    assert tuple(expected_totals(doc, companies.rates(template))) == (doc.target_total, shopify_tax)
    assert companies.emulator_totals(template, doc) in ((doc.target_total, shopify_tax), None)
    assert all(p.gateway != "gift_card" for p in doc.payments)
    assert sum((p.amount for p in doc.payments), D(0)) <= doc.target_total


def test_part_gift_card_receipt_deposits_only_the_card_money():
    doc = build(
        order={"gateways": ("gift_card", "shopify_payments"), "paid": ("25.00", "21.64")},
        gateway_accounts={"shopify_payments": "35"},
    )
    assert isinstance(doc, SalesDocument)
    assert doc.target_total == D("21.64") and doc.deposit_account_id == "35"  # 46.64 - 25.00


def test_all_gift_card_receipt_totals_zero_and_goes_to_the_default_account():
    doc = build(order={"gateways": ("gift_card",)})
    assert isinstance(doc, SalesDocument)
    assert doc.target_total == 0 and doc.deposit_account_id is None


def test_refund_to_the_gift_card_reduces_the_redemption():
    lines = [Line("SKU-1", "9.99", 3, refunded=1), *ODD_LINES[1:]]
    doc = build(lines=lines, order={"gateways": ("gift_card",), "status": "PARTIALLY_REFUNDED"})
    assert isinstance(doc, SalesDocument)
    gift = next(ln for ln in doc.lines if ln.kind == "gift_card")
    assert doc.target_total == 0 and -gift.amount + doc.target_total > 0


def test_presentment_redemption_in_presentment_money_and_home_total_in_shop_money():
    order = {
        "tax": US_CA,
        "currency": "USD",
        "presentment": "CAD",
        "rate": "0.7321",
        "gateways": ("gift_card", "paypal"),
        "paid": ("10.00", "5.00"),
        "status": "PARTIALLY_PAID",
    }
    doc, node = _document("us", order, {"company": MULTI})
    gift = next(ln for ln in doc.lines if ln.kind == "gift_card")
    assert gift.amount == -_paid_by_gift_card(node, "presentmentMoney")
    assert doc.home_total == D(node["currentTotalPriceSet"]["shopMoney"]["amount"]) - (
        _paid_by_gift_card(node)
    )


def test_redemption_without_the_gift_card_item_is_a_problem():
    result = build(order={"gateways": ("gift_card",)}, gift_card_item_id=None)
    assert isinstance(result, Problems) and result.codes == ["gift_card_redeemed_item_missing"]
    assert "gift card liability" in result.items[0].fix
