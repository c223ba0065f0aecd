"""Exactly once: lost answers, racing triggers and a worker killed mid-run never make a second
QBO document (nor a second customer or item)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from quickbooks.objects.customer import Customer
from quickbooks.objects.item import Item
from quickbooks.objects.salesreceipt import SalesReceipt

from extensions import db
from jobs.maintenance import mark_abandoned_runs
from jobs.sales_triggers import start_sales_run
from models import LedgerEntry, LedgerStatus, RunStatus, Shop, SyncRun, Trigger, Workflow
from services.quickbooks_connection import client_for
from tests.crashes import kill_worker_mid_batch
from tests.sales_store import Store, money, retries_of

SHOP = "once.myshopify.com"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def store(make_store) -> Store:
    """Twelve paid orders from four customers, new SKUs to create, a connected US company."""

    def orders(store: Store) -> None:
        for n in range(12):
            customer = {
                "toUpsert": {"email": f"buyer{n % 4}@example.com", "firstName": f"B{n % 4}"}
            }
            store.order(
                lineItems=[
                    {
                        "title": f"Thing {n % 3}",
                        "sku": f"THING-{n % 3}",
                        "priceSet": money(f"{10 + n}.25"),
                        "quantity": 1 + n % 2,
                    }
                ],
                taxLines=[{"title": "State Tax", "rate": "0.0625"}],
                customer=customer,
            )

    return make_store(SHOP, orders=orders, sales={})


def qbo_state() -> tuple[Counter, int, int]:
    """Receipts per Shopify order name, customers and items created by the app."""
    qb = client_for(Shop.by_domain(SHOP).quickbooks_connection)
    receipts = Counter(r.PrivateNote.split()[2] for r in SalesReceipt.all(max_results=1000, qb=qb))
    buyers = [
        c
        for c in Customer.all(max_results=1000, qb=qb)
        if c.DisplayName in {f"B{n}" for n in range(4)}
    ]
    things = [i for i in Item.all(max_results=1000, qb=qb) if i.Name.startswith("THING-")]
    return receipts, len(buyers), len(things)


def assert_posted_exactly_once(store: Store) -> None:
    """One receipt per order, one customer per buyer, one item per SKU, every row posted."""
    receipts, buyers, things = qbo_state()
    assert receipts == Counter({order["name"]: 1 for order in store.orders})
    assert (buyers, things) == (4, 3)
    db.session.expire_all()
    assert {e.status for e in db.session.query(LedgerEntry)} == {LedgerStatus.POSTED}


def sync_now_until_done(worker) -> SyncRun:
    """Sync now, then let a real RQ worker run the job and RQ's own retries until it is done."""
    run = start_sales_run(Shop.by_domain(SHOP), Trigger.MANUAL)
    worker.run()
    db.session.expire_all()
    run = db.session.get(SyncRun, run.id)
    assert run.status == RunStatus.SUCCEEDED, run.error
    return run


@pytest.mark.parametrize("drops", [1, 2, 3, 5])
def test_answers_lost_after_qbo_committed_never_duplicate(store, qbo_emulator, worker, drops):
    """QBO applies each of the first `drops` batch requests and the answer is lost."""
    qbo_emulator.control(
        "POST", "faults", drop_after_commit=drops, only_endpoint="/batch"
    ).raise_for_status()
    run = sync_now_until_done(worker)
    assert retries_of(run) >= 1
    assert_posted_exactly_once(store)


def test_racing_triggers_coalesce_into_one_run(app, store, worker) -> None:
    """The hourly job, an order webhook and Sync now for the same orders: one run posts them."""
    shop = Shop.by_domain(SHOP)
    runs = {
        start_sales_run(shop, trigger).id
        for trigger in (Trigger.HOURLY, Trigger.WEBHOOK, Trigger.MANUAL)
    }
    assert len(runs) == 1
    worker.run()
    assert_posted_exactly_once(store)


def test_a_worker_killed_mid_run_leaves_no_duplicate(
    app, store, qbo_emulator, database_uri, redis_server_url, worker
) -> None:
    """SIGKILL a real worker process while QBO is answering, then let another finish."""
    kill_worker_mid_batch(app, qbo_emulator, database_uri, redis_server_url, SHOP, Workflow.SALES)
    assert mark_abandoned_runs()["closed"] == 1  # the watchdog hands its orders to a new run
    worker.run()
    db.session.expire_all()
    assert [r.status for r in db.session.query(SyncRun).order_by(SyncRun.id)] == [
        RunStatus.ABANDONED,
        RunStatus.SUCCEEDED,
    ]
    assert_posted_exactly_once(store)
