"""Parsing the GraphQL order JSON into frozen dataclasses, amounts as Decimal."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from rules.orders import Money, parse_order, parse_order_or_malformed
from rules.taxes import order_tax_keys, percent_label, tax_key
from tests.rules.builders import Line, make_order


def test_amounts_are_decimals_from_strings_in_both_currencies():
    order = parse_order(make_order([Line("SKU-1", "9.99", 3)], presentment="EUR", rate="0.8571"))
    line = order.line_items[0]
    assert line.unit_price == Money(D("8.56"), D("9.99"))
    assert isinstance(order.current_total.shop, D)
    assert (order.currency, order.presentment_currency) == ("GBP", "EUR")
    assert line.tax_lines[0].rate == D("0.2")


def test_refunds_show_in_current_quantity_and_current_totals():
    order = parse_order(make_order([Line("SKU-1", "10.00", 3, refunded=1)]))
    assert (order.line_items[0].quantity, order.line_items[0].current_quantity) == (3, 2)
    assert order.current_total.shop == D("24.00")


def test_order_identity_and_jurisdiction():
    order = parse_order(make_order(country="CA", province="BC", number=1042))
    assert (order.number, order.legacy_id, order.country_code) == ("1042", "451042", "CA")


def test_duties_and_missing_optional_fields():
    node = make_order()
    node["currentTotalDutiesSet"] = {
        "shopMoney": {"amount": "3.10"},
        "presentmentMoney": {"amount": "3.10"},
    }
    del node["currentShippingPriceSet"], node["totalTipReceivedSet"]
    order = parse_order(node)
    assert order.current_duties == Money(D("3.10"), D("3.10"))
    assert order.current_shipping is None and order.total_tip == Money()


@pytest.mark.parametrize(
    ("rate", "label"),
    [(D("0.05"), "5%"), (D("0.0875"), "8.75%"), (D("0.2"), "20%"), (D("0"), "0%")],
)
def test_percent_labels(rate, label):
    assert percent_label(rate) == label


def test_tax_keys_name_each_combination_with_its_country():
    order = parse_order(make_order(tax=(("PST", "0.07"), ("GST", "0.05")), country="CA"))
    assert order_tax_keys(order) == {"GST 5% + PST 7%|CA"}
    assert tax_key(order.line_items[0].tax_lines) == "GST 5% + PST 7%"


def test_an_amount_that_is_no_number_is_never_read_as_zero() -> None:
    node = make_order([Line("SKU-1", "9.99", 1)])
    node["currentTotalPriceSet"]["shopMoney"]["amount"] = "NaN"
    with pytest.raises(ValueError, match="is not an amount"):
        parse_order(node)


def test_a_malformed_order_keeps_its_ids_and_says_why() -> None:
    node = make_order([Line("SKU-1", "9.99", 1)], number=1042)
    node["lineItems"]["nodes"][0]["quantity"] = "two"
    order = parse_order_or_malformed(node)
    assert order is not None and order.malformed and order.legacy_id
    assert order.name == "#1042" and not order.line_items
    assert "ValueError" in order.unread and "two" in order.unread
    assert parse_order_or_malformed({"lineItems": "x"}) is None  # no id: nothing to record
    assert not parse_order_or_malformed(make_order()).malformed
