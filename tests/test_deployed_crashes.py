"""Deployed: a worker SIGKILLed again and again mid-backfill (and replaced, as Heroku would) —
the run or the watchdog's follow-up finishes by itself: no duplicate, no order lost, all paid."""

from __future__ import annotations

from models import Shop
from tests.deployed import (
    assert_each_order_posted_once,
    deploy_shop,
    kill_busy_workers,
    open_runs,
    paid_orders,
    settled,
)
from tests.sales_store import Store

SHOP = "crashy.myshopify.com"
KILLS = 3


def test_workers_killed_mid_backfill_lose_and_duplicate_nothing(
    deployment, shopify_emulator, qbo_emulator, session_token, merchant
) -> None:
    store = Store(shopify_emulator, SHOP)
    names = paid_orders(store, 120, customers=12)
    web = deploy_shop(deployment, merchant(SHOP), workers=2)
    shop_id = Shop.by_domain(SHOP).id
    qbo_emulator.control(
        "POST", "faults", latency_ms=400, only_endpoint="/batch"
    ).raise_for_status()
    assert web.api("POST", "/api/sync/sales").status_code == 202
    kill_busy_workers(deployment, shop_id, len(names), KILLS)
    qbo_emulator.control("POST", "faults").raise_for_status()
    settled(deployment, timeout=60, done=lambda: not open_runs(shop_id))
    assert_each_order_posted_once(SHOP, names)
