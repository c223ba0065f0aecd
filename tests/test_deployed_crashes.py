"""Deployed: a worker SIGKILLed again and again mid-backfill (and replaced, as Heroku would) —
the run or the watchdog's follow-up finishes by itself: no duplicate, no order lost, all paid."""

from __future__ import annotations

from redis import Redis
from rq import Worker

from extensions import db
from models import LedgerEntry, LedgerStatus, Shop
from tests.deployed import (
    Deployment,
    Process,
    assert_each_order_posted_once,
    deploy_shop,
    open_runs,
    paid_orders,
    settled,
    wait_until,
)
from tests.sales_store import Store

SHOP = "crashy.myshopify.com"
KILLS = 3


def posted(shop_id: int) -> int:
    """The shop's orders posted so far."""
    db.session.expire_all()
    count = db.session.query(LedgerEntry).filter_by(shop_id=shop_id, status=LedgerStatus.POSTED)
    result = count.count()
    db.session.rollback()
    return result


def busy_worker(deployment: Deployment) -> Process | None:
    """The worker process running a job right now, if any."""
    with Redis.from_url(deployment.redis_url) as redis:
        pids = {w.pid for w in Worker.all(connection=redis) if w.get_current_job_id()}
    return next((p for p in deployment.of("worker") if p.popen.pid in pids), None)


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
    done = 0
    for kill in range(1, KILLS + 1):
        victim = wait_until(
            lambda: posted(shop_id) > done and busy_worker(deployment),  # noqa: B023
            30,
            f"kill {kill}: no worker resumed the backfill\n{deployment.tails()}",
            every=0.1,
        )
        done = posted(shop_id)
        assert done < len(names), f"the backfill finished before kill {kill}: nothing tested"
        deployment.kill(victim)
        deployment.start("worker")
    qbo_emulator.control("POST", "faults").raise_for_status()
    settled(deployment, timeout=60, done=lambda: not open_runs(shop_id))
    assert_each_order_posted_once(SHOP, names)
