"""Rules that follow the QBO company's preferences: the shipping line (SalesFormsPrefs.
AllowShipping) and closed books (AccountingInfoPrefs.BookCloseDate) when the merchant chose to
date such orders the day after the closing date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from rules.problems import Problems
from rules.settings import QBO_SHIPPING_ITEM
from tests.rules.companies import FACTS, build

NO_SHIPPING = replace(FACTS["uk"], allow_shipping=False)


def _shipping_lines(doc) -> list[tuple[str, D]]:
    return [(ln.item_id, ln.amount) for ln in doc.lines if ln.kind == "shipping"]


def test_shipping_uses_the_builtin_line_while_the_company_allows_it():
    doc = build(order={"shipping": "4.99"}, shipping_item_id=None)
    assert _shipping_lines(doc) == [(QBO_SHIPPING_ITEM, D("4.99"))]


def test_shipping_goes_on_the_chosen_item_when_shipping_is_off_in_qbo():
    doc = build(order={"shipping": "4.99"}, company=NO_SHIPPING, shipping_item_id="202")
    assert _shipping_lines(doc) == [("202", D("4.99"))]


def test_without_a_shipping_item_an_order_charging_shipping_is_a_problem():
    result = build(order={"shipping": "4.99"}, company=NO_SHIPPING, shipping_item_id=None)
    assert isinstance(result, Problems) and result.codes == ["shipping_item_missing"]
    assert "4.99" in str(result) and "choose the shipping item" in str(result)


def test_free_shipping_needs_no_item_when_shipping_is_off():
    doc = build(order={"shipping": "0.00"}, company=NO_SHIPPING, shipping_item_id=None)
    assert not isinstance(doc, Problems) and _shipping_lines(doc) == []


def test_a_refunded_shipping_charge_needs_the_item_too():
    result = build(
        order={"shipping": "4.99", "shipping_refunded": True},
        company=NO_SHIPPING,
        shipping_item_id=None,
    )
    assert isinstance(result, Problems) and "shipping_item_missing" in result.codes


CLOSE = date(2025, 1, 31)  # the builder's orders are dated 2025-02-01 (UTC)


@pytest.mark.parametrize(
    ("close", "opted", "expected"),
    [
        (date(2025, 2, 1), True, date(2025, 2, 2)),  # on the close date: moved
        (date(2025, 3, 31), True, date(2025, 4, 1)),  # well inside the closed period: moved
        (CLOSE, True, date(2025, 2, 1)),  # after the close date: kept
        (date(2025, 3, 31), False, date(2025, 2, 1)),  # not chosen: kept (QBO refuses it)
        (None, True, date(2025, 2, 1)),  # books open
    ],
)
def test_closed_period_orders_are_dated_the_day_after_only_when_chosen(close, opted, expected):
    doc = build(
        document_type="invoice",
        order={"gateways": ("shopify_payments", "paypal"), "paid": ("10.00", "2.00")},
        book_close_date=close,
        date_after_book_close=opted,
    )
    assert doc.txn_date == expected
    assert doc.payments and all(p.txn_date >= expected for p in doc.payments)
    moved = expected != date(2025, 2, 1)
    assert ("Shopify date 2025-02-01" in doc.private_note) is moved
