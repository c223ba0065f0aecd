"""The sales workflow end to end: Shopify orders on the emulator become QBO documents on the QBO
emulator — posted once, reconciled to the cent, with plain reasons for what cannot be posted."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
import requests
from quickbooks.objects.salesreceipt import SalesReceipt

from extensions import db
from jobs import enqueue
from models import LedgerEntry, LedgerStatus, RunStatus, Shop, SyncRun, Trigger, Workflow
from services.quickbooks_connection import client_for
from services.runs import queue_run
from tests.sales_store import Store, money

SHOP = "sales.myshopify.com"


@pytest.fixture
def store(make_store) -> Store:
    """A US store with three orders (one a test order), connected to a US QBO company."""

    def orders(store: Store) -> None:
        customer = {
            "toUpsert": {"email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace"}
        }
        store.order(
            lineItems=[{"title": "Mug", "sku": "MUG-1", "priceSet": money("12.50"), "quantity": 2}],
            taxLines=[{"title": "State Tax", "rate": "0.0825"}],
            shippingLines=[{"title": "Post", "priceSet": money("5.00")}],
            customer=customer,
        )
        store.order(
            lineItems=[
                {
                    "title": "Tea 'Earl Grey'",
                    "sku": "TEA-\u00e9'1",
                    "quantity": 3,
                    "priceSet": money("4.99"),
                }
            ],
            customer=customer,
        )
        store.order(
            lineItems=[{"title": "Mug", "sku": "MUG-1", "priceSet": money("12.50"), "quantity": 1}],
            test=True,
        )

    return make_store(SHOP, orders=orders, sales={})


def run_sync(worker, shop_domain: str) -> SyncRun:
    """Queue a manual sales run and let a real worker execute it."""
    shop = Shop.by_domain(shop_domain)
    run = queue_run(shop.id, Workflow.SALES, Trigger.MANUAL)
    enqueue("sync", "jobs.sales_job.sync_orders", shop.id, run.id, shop_domain=shop_domain)
    worker.run()
    db.session.expire_all()
    return db.session.get(SyncRun, run.id)


def receipts(shop_domain: str) -> list[SalesReceipt]:
    """Every sales receipt now in the QBO company."""
    qb = client_for(Shop.by_domain(shop_domain).quickbooks_connection)
    return SalesReceipt.all(max_results=1000, qb=qb)


def test_orders_become_sales_receipts_to_the_cent(store, worker) -> None:
    run = run_sync(worker, SHOP)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert (run.created_count, run.skipped_count, run.failed_count) == (2, 1, 0)
    posted = {r.PrivateNote.split()[2]: r for r in receipts(SHOP)}
    for order in store.orders[:2]:
        receipt = posted[order["name"]]
        assert Decimal(str(receipt.TotalAmt)) == order["total"]
        assert Decimal(str(receipt.TxnTaxDetail.TotalTax or 0)) == order["tax"]
    rows = {e.shopify_name: e for e in db.session.query(LedgerEntry)}
    assert rows[store.orders[2]["name"]].status == LedgerStatus.SKIPPED
    assert "test order" in rows[store.orders[2]["name"]].last_error


def test_a_second_run_posts_nothing(store, worker) -> None:
    run_sync(worker, SHOP)
    again = run_sync(worker, SHOP)
    assert again.status == RunStatus.SUCCEEDED and again.created_count == 0
    assert len(receipts(SHOP)) == 2


@pytest.mark.parametrize("bulk_from", [1, 100])
def test_many_orders_are_read_with_one_bulk_operation_few_with_pages(
    app, store, worker, shopify_emulator, bulk_from: int
) -> None:
    app.config["SHOPIFY_BULK_MIN_ORDERS"] = bulk_from
    log = f"{shopify_emulator.url}/_emulator/requests"
    requests.delete(log, timeout=10).raise_for_status()
    run = run_sync(worker, SHOP)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert (run.created_count, run.skipped_count, run.failed_count) == (2, 1, 0)
    posted = {r.PrivateNote.split()[2]: r for r in receipts(SHOP)}
    for order in store.orders[:2]:
        assert Decimal(str(posted[order["name"]].TotalAmt)) == order["total"]
    counts = requests.get(log, timeout=10).json()["counts"]
    bulk = counts.get("graphql mutation bulkOperationRunQuery", 0)
    pages = counts.get("graphql query orders", 0)
    assert (bulk, pages) == ((1, 0) if bulk_from == 1 else (0, 1))


def test_a_run_waiting_for_shopifys_bulk_file_keeps_its_heartbeat(
    app, store, worker, shopify_emulator
) -> None:
    """Shopify may take minutes to prepare a bulk file: the run beats while it waits, so the
    watchdog (15 minutes without a beat → abandoned) never closes a live run."""
    app.config["SHOPIFY_BULK_MIN_ORDERS"] = 1
    settings = f"{shopify_emulator.url}/_emulator/settings"
    requests.post(settings, json={"bulk_delay": 2.5}, timeout=10).raise_for_status()
    seen: set = set()
    stop = threading.Event()

    def watch() -> None:
        with app.app_context():
            while not stop.is_set():
                db.session.expire_all()
                for run in db.session.query(SyncRun).filter_by(status=RunStatus.RUNNING):
                    if run.progress_done == 0:
                        seen.add(run.heartbeat_at)
                db.session.rollback()
                time.sleep(0.1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        run = run_sync(worker, SHOP)
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert run.status == RunStatus.SUCCEEDED and run.created_count == 2, run.error
    # a beat as the wait began and another a poll later, while Shopify was still RUNNING
    assert len(seen) >= 2 and (max(seen) - min(seen)).total_seconds() >= 0.9, seen
