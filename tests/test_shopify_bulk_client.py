"""Reading orders with a bulk operation: same orders as paging, a handful of requests."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest
import requests

from clients.errors import DataError, RetryableError
from clients.shopify_bulk import assemble, bulk_query_nodes
from clients.shopify_bulk_queries import BULK_ORDERS_QUERY, ORDER_CONNECTIONS, bulk_orders_query
from clients.shopify_paging import paginate
from clients.shopify_queries import ORDERS_QUERY
from emulators.shopify.context import RequestContext
from emulators.shopify.resolvers.order_create import build_order
from rules.orders import parse_order
from tests.corpus import generate
from tests.sales_store import Store

DOMAIN = "bulk.myshopify.com"
TAX_SETS = [[("GST", Decimal("0.05")), ("PST", Decimal("0.07"))], [("GST", Decimal("0.05"))], []]


def no_sleep(seconds: float) -> None:
    """Polls without waiting (the emulator completes at once unless told otherwise)."""


def read_bulk(store: Store, query: str = BULK_ORDERS_QUERY, **options) -> list[dict]:
    """Every order of a bulk read."""
    options.setdefault("sleep", no_sleep)
    return list(bulk_query_nodes(store.owner, query, connections=ORDER_CONNECTIONS, **options))


def request_counts(emulator) -> dict[str, int]:
    """The emulator's request log counts by endpoint key."""
    return requests.get(f"{emulator.url}/_emulator/requests", timeout=10).json()["counts"]


def clear_log(emulator) -> None:
    """Forget the requests made so far (setup), keeping the data."""
    requests.delete(f"{emulator.url}/_emulator/requests", timeout=10).raise_for_status()


@pytest.fixture
def store(make_store) -> Store:
    """A store on the emulator with no orders yet."""
    return make_store(DOMAIN, install=False)


def test_bulk_orders_parse_exactly_like_paged_orders(store) -> None:
    generate(store, 40, "USD", TAX_SETS, inclusive=False)  # refunds, cancels, discounts, shipping
    paged = {n["id"]: parse_order(n) for n in paginate(store.owner, ORDERS_QUERY, {}, "orders", 4)}
    bulk = {n["id"]: parse_order(n) for n in read_bulk(store)}
    assert len(bulk) == 40 and bulk == paged
    assert any(o.cancelled_at for o in bulk.values())
    assert any(li.current_quantity < li.quantity for o in bulk.values() for li in o.line_items)
    assert any(o.shipping_lines for o in bulk.values()) and all(
        o.transactions for o in bulk.values() if o.financial_status == "PAID"
    )


def seed_orders(emulator, count: int) -> None:
    """`count` orders built in-process by the emulator's own orderCreate code (fast)."""
    state = emulator.server.app.emulator.state
    shop = state.shops[DOMAIN]
    ctx = RequestContext(state, shop, "seed", "2025-01")
    line = {"title": "Mug", "quantity": 2, "priceSet": {"shopMoney": {"amount": "12.30"}}}
    ship = {"title": "Post", "priceSet": {"shopMoney": {"amount": "5.00"}}}
    for _ in range(count):
        order = build_order(ctx, {"lineItems": [line, line], "shippingLines": [ship]})
        shop.orders[order.id] = order
        shop.next_order_number = order.number + 1


def test_a_thousand_orders_take_a_handful_of_requests(store, shopify_emulator) -> None:
    seed_orders(shopify_emulator, 1000)
    clear_log(shopify_emulator)
    orders = read_bulk(store)
    counts = request_counts(shopify_emulator)
    assert len(orders) == 1000 and all(len(o["lineItems"]["nodes"]) == 2 for o in orders)
    assert sum(counts.values()) <= 20, counts  # issue 5: ≤ 0.02 requests per order
    assert counts == {
        "graphql mutation bulkOperationRunQuery": 1,
        "graphql query node": 1,
        next(k for k in counts if k.startswith("GET /_bulk/")): 1,
    }


def test_polls_until_the_operation_completes(store, shopify_emulator) -> None:
    seed_orders(shopify_emulator, 3)
    requests.post(
        f"{shopify_emulator.url}/_emulator/settings", json={"bulk_delay": 0.3}, timeout=10
    )
    naps: list[float] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        time.sleep(seconds)

    assert len(read_bulk(store, poll_interval=0.1, sleep=sleep)) == 3
    assert naps[:2] == [0.1, 0.2]  # backing off: a long operation is polled a few times only


def test_search_filters_orders_and_is_escaped(store, shopify_emulator) -> None:
    seed_orders(shopify_emulator, 3)
    assert [o["name"] for o in read_bulk(store, bulk_orders_query('name:"#1002"'))] == ["#1002"]
    assert read_bulk(store, bulk_orders_query('name:"#10\\"02" ünïcode')) == []


def test_a_bad_query_is_a_data_error_and_a_running_one_retryable(store, shopify_emulator) -> None:
    seed_orders(shopify_emulator, 1)
    with pytest.raises(DataError):
        read_bulk(store, "{ shop { name } }")
    requests.post(f"{shopify_emulator.url}/_emulator/settings", json={"bulk_delay": 5}, timeout=10)
    with pytest.raises(RetryableError):
        read_bulk(store, timeout=0)
    with pytest.raises(RetryableError) as busy:
        read_bulk(store)
    assert busy.value.code == "OPERATION_IN_PROGRESS"


def test_an_empty_result_yields_nothing(store) -> None:
    assert read_bulk(store) == []


def jsonl(*rows: dict) -> list[dict]:
    """Rows as the downloader yields them (fresh dicts)."""
    return [json.loads(json.dumps(row)) for row in rows]


def test_assemble_nests_children_by_type_and_grandchildren_by_parent() -> None:
    rows = jsonl(
        {"id": "gid://shopify/Product/1"},
        {"id": "gid://shopify/ProductVariant/11", "__parentId": "gid://shopify/Product/1"},
        {"__typename": "Image", "url": "a", "__parentId": "gid://shopify/Product/1"},
        {"id": "gid://shopify/Metafield/7", "__parentId": "gid://shopify/ProductVariant/11"},
        {"id": "gid://shopify/Product/2"},
    )
    mapping = {"ProductVariant": "variants", "Image": "images", "Metafield": "metafields"}
    first, second = assemble(iter(rows), mapping)
    variant = first["variants"]["nodes"][0]
    assert variant["metafields"]["nodes"][0]["id"] == "gid://shopify/Metafield/7"
    assert first["images"]["nodes"] == [{"__typename": "Image", "url": "a"}]
    assert second == {"id": "gid://shopify/Product/2"}


def test_assemble_refuses_children_away_from_their_parent() -> None:
    rows = jsonl(
        {"id": "gid://shopify/Order/1"},
        {"id": "gid://shopify/Order/2"},
        {"id": "gid://shopify/LineItem/5", "__parentId": "gid://shopify/Order/1"},
    )
    with pytest.raises(DataError):
        list(assemble(iter(rows), ORDER_CONNECTIONS))
    with pytest.raises(DataError):
        list(
            assemble(
                iter(
                    jsonl(
                        rows[0],
                        {"id": "gid://shopify/Refund/1", "__parentId": "gid://shopify/Order/1"},
                    )
                ),
                ORDER_CONNECTIONS,
            )
        )
