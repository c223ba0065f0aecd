"""Deployed: with Redis unreachable, Sync now and webhooks answer a clear 503 and leave no run
blocking; with Redis back, Sync now queues and the shop syncs."""

from __future__ import annotations

from bench.backfill import free_port
from models import Shop
from tests.deployed import (
    assert_each_order_posted_once,
    deliver,
    deploy_shop,
    legacy_id,
    open_runs,
    paid_orders,
    settled,
)
from tests.sales_store import Store

SHOP = "outage.myshopify.com"


def test_sync_now_during_a_redis_outage_answers_503_then_syncs(
    deployment, shopify_emulator, session_token, merchant
) -> None:
    store = Store(shopify_emulator, SHOP)
    names = paid_orders(store, 4)
    web = deploy_shop(deployment, merchant(SHOP), workers=1)
    shop_id = Shop.by_domain(SHOP).id
    (healthy,) = deployment.of("web")
    deployment.kill(healthy)
    outage = deployment.start("web", REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    refused = web.api("POST", "/api/sync/sales")
    assert refused.status_code == 503, refused.get_data(as_text=True)
    assert "Traceback" not in refused.get_data(as_text=True)
    order = store.orders[0]
    hook = {"id": legacy_id(order), "name": order["name"]}
    assert deliver(deployment.url, SHOP, "orders/create", hook, "wh-outage") == 503
    assert open_runs(shop_id) == [], "a run left queued blocks every later Sync now"
    deployment.restart(outage)  # Redis is back: the same web, started with the real REDIS_URL
    queued = web.api("POST", "/api/sync/sales")
    assert queued.status_code == 202, queued.get_data(as_text=True)
    settled(deployment, timeout=45, done=lambda: not open_runs(shop_id))
    assert_each_order_posted_once(SHOP, names)
