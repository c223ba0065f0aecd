"""Reading a long connection page by page, pacing itself by the cost Shopify reports."""

from __future__ import annotations

import time

import pytest
import requests

from clients.errors import RetryableError, RetryReason
from clients.shopify import ShopifyClient
from clients.shopify_paging import execute_paced, paginate

SHOP = "paging.myshopify.com"
ORDER_CREATE = """mutation($order: OrderCreateOrderInput!) {
  orderCreate(order: $order) { order { id } userErrors { message } } }"""
ORDER_NAMES = """query($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
    nodes { id name } pageInfo { hasNextPage endCursor } } }"""


@pytest.fixture
def store(app, shopify_emulator) -> ShopifyClient:
    """A shop with 25 orders, and a client on it."""
    created = requests.post(
        f"{shopify_emulator.url}/_emulator/shops", json={"domain": SHOP}, timeout=10
    )
    client = ShopifyClient(SHOP, created.json()["access_token"], "2026-10", shopify_emulator.url)
    for number in range(25):
        line = {
            "title": f"Widget {number}",
            "quantity": 1,
            "priceSet": {"shopMoney": {"amount": "10.00", "currencyCode": "USD"}},
        }
        result = client.execute(ORDER_CREATE, {"order": {"lineItems": [line]}})
        assert result["data"]["orderCreate"]["userErrors"] == []
    return client


def settings(emulator, **values: object) -> None:
    """Change the Shopify emulator's knobs."""
    requests.post(f"{emulator.url}/_emulator/settings", json=values, timeout=10).raise_for_status()


def test_every_order_is_read_once_across_pages(store) -> None:
    names = [node["name"] for node in paginate(store, ORDER_NAMES, {}, "orders", page_size=10)]
    assert len(names) == 25 and len(set(names)) == 25


def test_a_small_bucket_is_waited_for_instead_of_throttled(store, shopify_emulator) -> None:
    settings(shopify_emulator, bucket_max=15)  # one 10-order page costs 12
    naps: list[float] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        time.sleep(seconds)

    nodes = list(paginate(store, ORDER_NAMES, {}, "orders", page_size=10, sleep=sleep))
    assert len(nodes) == 25
    assert naps and all(0 < nap < 2 for nap in naps)


def test_throttled_answers_are_retried_then_given_up(store, shopify_emulator) -> None:
    requests.post(
        f"{shopify_emulator.url}/_emulator/faults", json={"throttle_burst": 2}, timeout=10
    ).raise_for_status()
    naps: list[float] = []
    result = execute_paced(store, ORDER_NAMES, {"first": 1}, sleep=naps.append)
    assert result["data"]["orders"]["nodes"] and naps == [1.0, 2.0]
    requests.post(
        f"{shopify_emulator.url}/_emulator/faults", json={"throttle_burst": 9}, timeout=10
    ).raise_for_status()
    with pytest.raises(RetryableError) as raised:
        execute_paced(store, ORDER_NAMES, {"first": 1}, sleep=naps.append)
    assert raised.value.why is RetryReason.THROTTLED


def test_only_throttling_is_waited_out_in_place(store, shopify_emulator) -> None:
    """A 503 is no throttle: it goes straight back to the job (RQ retries it later)."""
    requests.post(
        f"{shopify_emulator.url}/_emulator/faults",
        json={"error_rate": 1.0, "error_status": 503},
        timeout=10,
    ).raise_for_status()
    naps: list[float] = []
    with pytest.raises(RetryableError) as raised:
        execute_paced(store, ORDER_NAMES, {"first": 1}, sleep=naps.append)
    assert raised.value.why is RetryReason.SERVER_ERROR and naps == []


def test_a_throttled_query_says_how_long_the_bucket_needs(store, shopify_emulator) -> None:
    """The real (cost) throttle: the error carries the refill time, and the retry waits it."""
    settings(shopify_emulator, bucket_max=15)
    store.execute(ORDER_NAMES, {"first": 10})  # 12 of 15 points spent
    with pytest.raises(RetryableError) as refused:
        store.execute(ORDER_NAMES, {"first": 10})
    # 12 points asked, 3 left, 100 restored a second: 0.09 s at most (less as time passes
    # between the two queries on a loaded machine, never nothing)
    assert 0 < refused.value.retry_after <= 0.09 + 0.005
    naps: list[float] = []
    execute_paced(
        store, ORDER_NAMES, {"first": 10}, sleep=lambda s: (naps.append(s), time.sleep(s))
    )
    assert naps and naps[0] >= refused.value.retry_after
