"""Deployed: order webhooks arriving at once on gunicorn, three workers racing, post each order
exactly once (one invoice, one payment, no duplicate customer)."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.deployed import (
    assert_each_order_posted_once,
    deliver,
    deploy_shop,
    legacy_id,
    paid_orders,
    settled,
)
from tests.sales_store import Store

SHOP = "hooked.myshopify.com"
TOPICS = ("orders/create", "orders/paid", "orders/updated")


@pytest.mark.parametrize(
    "numbering",
    [{"auto_doc_number": True}, {"order_number_prefix": "SH-"}],
    ids=["qbo-numbers", "order-numbers"],
)
def test_concurrent_order_webhooks_post_each_order_once(
    deployment, shopify_emulator, session_token, numbering, merchant
) -> None:
    store = Store(shopify_emulator, SHOP)
    names = paid_orders(store, 20)
    web = deploy_shop(deployment, merchant(SHOP), workers=3, enabled=True, **numbering)
    web.put_settings(
        {
            "sync": {
                "accept_terms": True,
                "integration_start_date": "2000-01-01",
                "webhook_sync_enabled": True,
            }
        }
    )
    deliveries = [
        (topic, {"id": legacy_id(order), "name": order["name"]}, f"wh-{n}-{topic}")
        for n, order in enumerate(store.orders)
        for topic in TOPICS
    ]
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda d: deliver(deployment.url, SHOP, *d), deliveries))
    assert Counter(statuses) == {200: len(deliveries)}, deployment.tails()
    settled(deployment, timeout=60)
    assert_each_order_posted_once(SHOP, names)
