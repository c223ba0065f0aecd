"""Deployed: a Sync now whose QBO answers are lost, throttled and failing finishes by itself
(RQ retries on the worker and scheduler processes, no test-side retry), posting each order once."""

from __future__ import annotations

from collections import Counter

from extensions import db
from models import RunStatus, Shop, SyncRun
from tests.deployed import (
    assert_each_order_posted_once,
    deploy_shop,
    open_runs,
    paid_orders,
    settled,
)
from tests.sales_store import Store

SHOP = "faulty.myshopify.com"


def test_sync_now_through_lost_throttled_and_failing_answers(
    deployment, shopify_emulator, qbo_emulator, session_token, merchant
) -> None:
    store = Store(shopify_emulator, SHOP)
    names = paid_orders(store, 12)
    web = deploy_shop(deployment, merchant(SHOP), workers=2)
    qbo_emulator.control(
        "POST",
        "faults",
        drop_after_commit=2,
        throttle_burst=2,
        error_rate=0.3,
        only_endpoint="/batch",
    ).raise_for_status()
    started = web.api("POST", "/api/sync/sales")
    assert started.status_code == 202, started.get_data(as_text=True)
    shop_id = Shop.by_domain(SHOP).id
    db.session.rollback()
    settled(deployment, timeout=60, done=lambda: not open_runs(shop_id))
    db.session.expire_all()
    runs = db.session.query(SyncRun).filter_by(shop_id=shop_id).order_by(SyncRun.id).all()
    assert runs[-1].status in {RunStatus.SUCCEEDED, RunStatus.PARTIAL}, [
        (r.id, r.status.value, r.error) for r in runs
    ]
    db.session.rollback()
    qbo_emulator.control("POST", "faults").raise_for_status()  # read the books undisturbed
    answered = Counter(
        r["status"] for r in qbo_emulator.control("GET", "requests").json()["requests"]
    )
    assert answered[0] >= 2 and answered[429] >= 1 and answered[500] >= 1, answered
    assert_each_order_posted_once(SHOP, names)
