"""Orders are read whole (every line, shipping line and transaction) or not posted at all, and the
paged orders query keeps a 25 % margin under Shopify's 1,000-point single-query ceiling."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from quickbooks.objects.salesreceipt import SalesReceipt

import clients.shopify_order_read as order_read
from clients.shopify_order_read import PAGE_SIZES, TRANSACTIONS_MAX, TRANSACTIONS_QUERY, page_query
from clients.shopify_queries import ORDER_QUERY, ORDERS_PAGE_SIZE, ORDERS_QUERY
from extensions import db
from models import LedgerEntry, LedgerStatus, RunStatus, Shop
from services.quickbooks_connection import client_for
from sync.sales.reading import Scope, read_orders, read_orders_bulk
from tests.sales_store import Store, money

SHOP = "whole.myshopify.com"
# ref: https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits (max 1,000 per query)
MARGIN_COST = 750
LINES, TRANSACTIONS, SHIPPING = 250, 25, 6


def big_order(store: Store) -> dict[str, Any]:
    """250 lines priced 1.00, 1.01, …; 6 shipping lines of 4.99; 25 payments adding up."""
    lines = [
        {
            "title": f"Part {n}",
            "sku": f"PART-{n % 10}",
            "priceSet": money(f"{1 + n / 100:.2f}"),
            "quantity": 1,
        }
        for n in range(LINES)
    ]
    shipping = [{"title": f"Parcel {n}", "priceSet": money("4.99")} for n in range(SHIPPING)]
    total = sum(Decimal(f"{1 + n / 100:.2f}") for n in range(LINES)) + SHIPPING * Decimal("4.99")
    share = (total / TRANSACTIONS).quantize(Decimal("0.01"))
    amounts = [share] * (TRANSACTIONS - 1) + [total - share * (TRANSACTIONS - 1)]
    payments = [{"kind": "SALE", "gateway": "manual", "amountSet": money(str(a))} for a in amounts]
    order = store.order(paid=False, lineItems=lines, shippingLines=shipping, transactions=payments)
    assert order["total"] == total == Decimal("591.19")
    return order


@pytest.fixture
def store(make_store) -> Store:
    """A US store with the big order, connected to a US QBO company."""
    return make_store(SHOP, orders=big_order, sales={})


def assert_whole(node: dict[str, Any]) -> None:
    """Every line item, shipping line and transaction of the big order is in the node."""
    assert len(node["lineItems"]["nodes"]) == LINES
    assert len({n["id"] for n in node["lineItems"]["nodes"]}) == LINES
    assert len(node["shippingLines"]["nodes"]) == SHIPPING
    assert len(node["transactions"]) == TRANSACTIONS
    assert order_read.UNREAD not in node


def test_the_big_order_posts_with_every_line_to_the_cent(app, store, merchant) -> None:
    run = merchant(SHOP).sync()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert (run.created_count, run.failed_count) == (1, 0), run.error
    qb = client_for(Shop.by_domain(SHOP).quickbooks_connection)
    (receipt,) = SalesReceipt.all(qb=qb)
    assert Decimal(str(receipt.TotalAmt)) == store.orders[0]["total"]
    items = [line for line in receipt.Line if line.DetailType == "SalesItemLineDetail"]
    titles = " ".join(str(line.Description) for line in items)
    assert all(f"Part {n}" in titles for n in range(LINES))


def test_paged_and_bulk_reads_hold_every_child(store) -> None:
    (paged,) = read_orders(store.owner, "", ORDERS_PAGE_SIZE)
    assert_whole(paged)
    (bulk,) = read_orders_bulk(store.owner, "", sleep=lambda _: None)
    assert_whole(bulk)


def test_an_order_that_cannot_be_read_whole_fails_with_its_reason(
    app, store, monkeypatch, merchant
) -> None:
    """Transactions have no paging: past the most one read returns, the order is not posted."""
    monkeypatch.setattr(order_read, "TRANSACTIONS_MAX", 10)
    run = merchant(SHOP).sync()
    assert (run.created_count, run.failed_count) == (0, 1), run.error
    entry = db.session.query(LedgerEntry).one()
    assert entry.status == LedgerStatus.FAILED
    assert "10 or more payment transactions" in entry.last_error
    assert "cannot be read whole" in entry.last_error
    qb = client_for(Shop.by_domain(SHOP).quickbooks_connection)
    assert SalesReceipt.all(qb=qb) == []


def requested_cost(store: Store, query: str, variables: dict) -> int:
    """The emulator's extensions.cost.requestedQueryCost for the query."""
    return int(store.owner.execute(query, variables)["extensions"]["cost"]["requestedQueryCost"])


def test_every_order_query_keeps_a_quarter_below_shopifys_ceiling(
    store,
) -> None:
    order_id = store.orders[0]["id"]
    assert Scope().page_size == ORDERS_PAGE_SIZE
    costs = {
        "orders page": requested_cost(store, ORDERS_QUERY, {"first": ORDERS_PAGE_SIZE}),
        "order": requested_cost(store, ORDER_QUERY, {"id": order_id}),
        "transactions": requested_cost(
            store, TRANSACTIONS_QUERY, {"id": order_id, "first": TRANSACTIONS_MAX}
        ),
    }
    for name, size in PAGE_SIZES.items():
        costs[name] = requested_cost(
            store, page_query(name), {"id": order_id, "first": size, "after": None}
        )
    assert all(cost <= MARGIN_COST for cost in costs.values()), costs
    assert costs["orders page"] == 662  # 5 orders: 3 lines, 1 shipping, 1 discount, 3 payments
