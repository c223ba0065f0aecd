"""QBO faults handled as QBO means them: throttling and early-expired tokens are waited out and
retried without duplicates; a duplicate document number fails that order alone, with its fix."""

from __future__ import annotations

from collections import Counter

import pytest
from quickbooks.objects.salesreceipt import SalesReceipt

from clients.errors import RetryableError
from extensions import db
from jobs.sales_triggers import start_sales_run
from models import ConnectionStatus, LedgerEntry, LedgerStatus, RunStatus, Shop, SyncRun, Trigger
from services.quickbooks_connection import client_for
from tests.sales_store import Store, one_line_orders, retries_of

SHOP = "resilient.myshopify.com"


@pytest.fixture
def store(make_store) -> Store:
    """Five paid orders; documents numbered SH-<order number>."""
    return make_store(
        SHOP,
        orders=lambda store: one_line_orders(store, 5, "Cup", "CUP-1", first_price=3),
        sales={"order_number_prefix": "SH-"},
    )


def sync_now(worker) -> SyncRun:
    """Sync now, run by a real RQ worker with RQ's own retries; the run as it ended."""
    run = start_sales_run(Shop.by_domain(SHOP), Trigger.MANUAL)
    worker.run()
    db.session.expire_all()
    return db.session.get(SyncRun, run.id)


def receipts_per_order() -> Counter:
    """QBO sales receipts counted by their document number."""
    qb = client_for(Shop.by_domain(SHOP).quickbooks_connection)
    return Counter(r.DocNumber for r in SalesReceipt.all(max_results=1000, qb=qb))


def expected_numbers(store: Store) -> Counter:
    """One SH-<number> per order."""
    return Counter(f"SH-{o['name'].lstrip('#')}" for o in store.orders)


def test_a_429_storm_is_waited_out_without_duplicates(store, qbo_emulator, worker) -> None:
    qbo_emulator.control("POST", "faults", throttle_burst=4).raise_for_status()
    run = sync_now(worker)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert retries_of(run) >= 1
    assert receipts_per_order() == expected_numbers(store)


def test_a_system_fault_in_one_batch_item_is_retried_not_failed(
    store, qbo_emulator, worker
) -> None:
    """QBO failed one item on its side: the batch is sent again and every order posts once."""
    qbo_emulator.control("POST", "faults", batch_item_fault=1).raise_for_status()
    run = sync_now(worker)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert retries_of(run) >= 1
    assert receipts_per_order() == expected_numbers(store)
    assert db.session.query(LedgerEntry).filter_by(status=LedgerStatus.POSTED).count() == 5


def test_a_storm_longer_than_the_retries_closes_the_run_with_its_reason(
    store, qbo_emulator, worker
) -> None:
    """After RQ's last attempt the run says why, and its orders wait for the next run."""
    qbo_emulator.control("POST", "faults", error_rate=1.0).raise_for_status()
    run = sync_now(worker)
    assert run.status == RunStatus.FAILED
    assert "gave up after 7 attempts" in run.error and "next run" in run.error
    assert retries_of(run) == 6
    qbo_emulator.control("POST", "faults").raise_for_status()
    assert sync_now(worker).status == RunStatus.SUCCEEDED
    assert receipts_per_order() == expected_numbers(store)


def test_a_token_refused_before_its_expiry_is_refreshed_and_the_run_retried(
    store, qbo_emulator, worker
) -> None:
    qbo_emulator.control("POST", "clock", advance=7200).raise_for_status()  # Intuit's clock
    run = sync_now(worker)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert receipts_per_order() == expected_numbers(store)
    db.session.expire_all()
    assert Shop.by_domain(SHOP).quickbooks_connection.status == ConnectionStatus.CONNECTED


def test_a_document_number_quickbooks_already_has_fails_that_order_alone(store, worker) -> None:
    from quickbooks.objects.item import Item

    qb = client_for(Shop.by_domain(SHOP).quickbooks_connection)
    any_item = Item.all(max_results=1, qb=qb)[0].Id
    first = f"SH-{store.orders[0]['name'].lstrip('#')}"
    existing = SalesReceipt.from_json(
        {
            "DocNumber": first,
            "Line": [
                {
                    "DetailType": "SalesItemLineDetail",
                    "Amount": 1,
                    "SalesItemLineDetail": {"ItemRef": {"value": any_item}},
                }
            ],
        }
    )
    existing.save(qb=qb)
    assert sync_now(worker).status == RunStatus.PARTIAL
    db.session.expire_all()
    failed = db.session.query(LedgerEntry).filter_by(status=LedgerStatus.FAILED).one()
    assert failed.shopify_name == store.orders[0]["name"]
    assert "6140" in failed.last_error and "prefix" in failed.last_error_fix
    assert receipts_per_order()[first] == 1  # the merchant's own, untouched
    assert db.session.query(LedgerEntry).filter_by(status=LedgerStatus.POSTED).count() == 4


def test_a_run_that_fails_midway_keeps_what_it_posted(app, store, qbo_emulator) -> None:
    """QuickBooks goes down after the first batch: the run is closed failed, with the reason
    and the count of what it did post (the foreground path, where nothing retries)."""
    from jobs.sales_job import sync_orders
    from models import Workflow
    from services.runs import queue_run
    from tests.sales_store import one_line_orders

    one_line_orders(store, 30, "Saucer", "SAUCER-1", first_price=2)  # 35 orders: two batches
    shop = Shop.by_domain(SHOP)
    run = queue_run(shop.id, Workflow.SALES, Trigger.CLI)

    def outage_after_first_batch(done: int, total: int) -> None:
        qbo_emulator.control(
            "POST", "faults", error_rate=1.0, only_endpoint="/batch"
        ).raise_for_status()

    with pytest.raises(RetryableError):
        sync_orders(shop.id, run.id, progress=outage_after_first_batch)
    db.session.expire_all()
    run = db.session.get(SyncRun, run.id)
    assert run.status == RunStatus.FAILED and "QuickBooks" in run.error
    assert run.created_count == 30 and run.finished_at is not None
    qbo_emulator.control("POST", "faults").raise_for_status()
    assert sum(receipts_per_order().values()) == 30
