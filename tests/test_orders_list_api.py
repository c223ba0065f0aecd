"""GET /api/orders: the shop's latest synced orders (posted, failed, skipped), newest first, each
with its QuickBooks document and both totals as recorded — the History page's list."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.sales_store import one_line_orders


def test_latest_orders_with_their_documents_and_totals(make_store, merchant) -> None:
    store = make_store(
        "orders-list.myshopify.com",
        orders=lambda s: one_line_orders(s, 3, "Pen", "PEN-1", 10),
        sales={},
    )
    store.order(
        paid=False,
        lineItems=[
            {
                "title": "Pen",
                "sku": "PEN-1",
                "priceSet": {"shopMoney": {"amount": "5.00", "currencyCode": "USD"}},
                "quantity": 1,
            }
        ],
    )
    owner = merchant(store.domain)
    owner.sync()
    make_store(
        "orders-other.myshopify.com", orders=lambda s: one_line_orders(s, 1, "X", "X", 1), sales={}
    )
    merchant("orders-other.myshopify.com").sync()

    listed = owner.api("GET", "/api/orders").get_json()["orders"]
    by_status: dict[str, list[dict]] = {}
    for order in listed:
        by_status.setdefault(order["status"], []).append(order)
    assert (
        len(by_status["posted"]) == 3 and len(by_status["skipped"]) == 1
    )  # never the other shop's
    for order in by_status["posted"]:
        assert order["qbo_type"] == "SalesReceipt" and order["qbo_doc_number"]
        assert Decimal(order["shopify_total"]) == Decimal(order["qbo_total"])
        assert order["reason"] is None
    assert by_status["skipped"][0]["reason"]
    names = {o["name"] for o in store.orders}
    assert {o["name"] for o in listed} == names
    assert len(owner.api("GET", "/api/orders?limit=2").get_json()["orders"]) == 2


@pytest.mark.parametrize("limit", ["0", "201", "-1", "abc", "²", "1.5", ""])
def test_a_bad_limit_is_refused(make_store, merchant, limit) -> None:
    make_store("orders-list.myshopify.com")
    response = merchant("orders-list.myshopify.com").api("GET", f"/api/orders?limit={limit}")
    assert response.status_code == 400
