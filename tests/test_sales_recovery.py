"""Recovery rebuilds everything: lost answers during an invoice run leave every invoice paid once;
a number QBO already holds for this very order is linked, not failed; racing runs meeting the
same new tax make one mapping; a big backfill lets another shop's run go first."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
import requests
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.payment import Payment
from quickbooks.objects.salesreceipt import SalesReceipt

from clients.shopify_queries import ORDER_QUERY
from extensions import db
from jobs import enqueue
from jobs.sales_triggers import start_sales_run
from models import (
    LedgerEntry,
    LedgerStatus,
    RunStatus,
    Shop,
    SyncRun,
    TaxMapping,
    Trigger,
    utcnow,
)
from rules.orders import parse_order
from services.quickbooks_connection import client_for
from sync.sales.taxes import remember_taxes
from tests.sales_store import Store, money, one_line_orders, retries_of
from tests.support import race

SHOP = "recover.myshopify.com"


def sync_now(worker, domain: str = SHOP) -> SyncRun:
    """Sync now through a real RQ worker (RQ's own retries); the run as it ended."""
    run = start_sales_run(Shop.by_domain(domain), Trigger.MANUAL)
    worker.run()
    db.session.expire_all()
    return db.session.get(SyncRun, run.id)


def qbo(domain: str = SHOP):
    """The shop's QuickBooks client."""
    return client_for(Shop.by_domain(domain).quickbooks_connection)


@pytest.fixture
def store(make_store) -> Store:
    """Eight paid one-line orders on a connected US company."""
    return make_store(
        SHOP, orders=lambda store: one_line_orders(store, 8, "Mug", "MUG-1", first_price=7)
    )


@pytest.mark.parametrize("drops", [1, 3])
def test_lost_answers_in_an_invoice_run_leave_every_invoice_paid_once(
    store, qbo_emulator, worker, drops, merchant
) -> None:
    """QBO saves the invoices (or their payments) and the answer is lost: the re-sent batches
    are recorded like first-time ones, payments included."""
    merchant(SHOP).put_sales_settings(document_type="invoice")
    qbo_emulator.control(
        "POST", "faults", drop_after_commit=drops, only_endpoint="/batch"
    ).raise_for_status()
    run = sync_now(worker)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert retries_of(run) >= 1
    invoices = Invoice.all(max_results=1000, qb=qbo())
    assert sorted(i.PrivateNote.split()[2] for i in invoices) == sorted(
        o["name"] for o in store.orders
    )
    assert all(Decimal(str(i.Balance)) == 0 for i in invoices)
    payments = Payment.all(max_results=1000, qb=qbo())
    paid = Counter(p.Line[0].LinkedTxn[0].TxnId for p in payments)
    assert paid == Counter({i.Id: 1 for i in invoices})
    assert sum(Decimal(str(p.TotalAmt)) for p in payments) == sum(o["total"] for o in store.orders)
    rows = db.session.query(LedgerEntry).all()
    assert {r.status for r in rows} == {LedgerStatus.POSTED}
    assert all(r.shopify_total == r.qbo_total for r in rows)  # reconciled on every path


def test_a_number_quickbooks_holds_for_this_very_order_is_linked_not_failed(
    store, worker, merchant
) -> None:
    """An earlier attempt posted the order but its row lost track: QBO's 6140 is recognised by
    the document's memo, the row links to that document, and nothing is posted twice."""
    merchant(SHOP).put_sales_settings(order_number_prefix="SH-")
    assert sync_now(worker).status == RunStatus.SUCCEEDED
    lost = db.session.query(LedgerEntry).order_by(LedgerEntry.id).first()
    posted_id = lost.qbo_id
    lost.status, lost.qbo_id, lost.qbo_related, lost.request_id = (
        LedgerStatus.PENDING,
        None,
        None,
        None,
    )
    db.session.commit()
    store.owner.execute(  # the order changes, so the next incremental run reads it again
        "mutation($input: OrderInput!) { orderUpdate(input: $input) { userErrors { message } } }",
        {"input": {"id": store.orders[0]["id"], "note": "gift wrap"}},
    )
    run = sync_now(worker)
    assert run.status == RunStatus.SUCCEEDED, run.error
    db.session.refresh(lost)
    assert (lost.status, lost.qbo_id) == (LedgerStatus.POSTED, posted_id)
    numbers = Counter(r.DocNumber for r in SalesReceipt.all(max_results=1000, qb=qbo()))
    assert numbers == Counter({f"SH-{o['name'].lstrip('#')}": 1 for o in store.orders})


def test_runs_meeting_the_same_new_tax_make_one_mapping(app, store) -> None:
    """Two runs of a shop (or a run and its retry) reading the same new tax at once."""
    taxed = store.order(
        lineItems=[{"title": "Mug", "sku": "MUG-1", "priceSet": money("9.00"), "quantity": 1}],
        taxLines=[{"title": "State Tax", "rate": "0.0625"}],
    )
    order = parse_order(store.owner.execute(ORDER_QUERY, {"id": taxed["id"]})["data"]["order"])
    shop_id = Shop.by_domain(SHOP).id
    race(app, lambda: remember_taxes(db.session.get(Shop, shop_id), [order]), threads=4)
    assert db.session.query(TaxMapping).count() == 1


def test_a_big_backfill_lets_another_shop_go_first_after_one_batch(
    app, shopify_emulator, qbo_emulator, worker, connect, merchant
) -> None:
    """Two shops, one worker: the big shop's run passes on after a batch when another shop's
    run waits, and picks up where it stopped."""
    big, small = Store(shopify_emulator, "big.myshopify.com"), Store(shopify_emulator, SHOP)
    one_line_orders(big, 75, "Bolt", "BOLT-1", first_price=1)
    one_line_orders(small, 2, "Nut", "NUT-1", first_price=2)
    merchant(big.domain).install_and_connect()
    connect(small, "us")  # each shop its own QuickBooks company
    for shop in (big, small):
        merchant(shop.domain).put_sales_settings()
    big_run = start_sales_run(Shop.by_domain(big.domain), Trigger.MANUAL)
    small_run = start_sales_run(Shop.by_domain(small.domain), Trigger.HOURLY)
    worker.run()
    db.session.expire_all()
    assert db.session.get(SyncRun, big_run.id).status == RunStatus.SUCCEEDED, db.session.get(
        SyncRun, big_run.id
    ).error
    assert db.session.get(SyncRun, small_run.id).status == RunStatus.SUCCEEDED
    big_id = Shop.by_domain(big.domain).id
    first_small = min(
        r.posted_at for r in db.session.query(LedgerEntry).filter_by(shop_id=small_run.shop_id)
    )
    ahead = (
        db.session.query(LedgerEntry)
        .filter(LedgerEntry.shop_id == big_id, LedgerEntry.posted_at < first_small)
        .count()
    )
    assert 0 < ahead <= 30  # one batch of the big shop, then the small shop
    big_rows = db.session.query(LedgerEntry).filter_by(shop_id=big_id).all()
    assert len(big_rows) == 75 and {r.status for r in big_rows} == {LedgerStatus.POSTED}
    assert db.session.get(SyncRun, big_run.id).created_count == 75


def test_a_run_does_not_pass_on_to_its_own_shops_jobs(
    shopify_emulator, qbo_emulator, worker, merchant
) -> None:
    """A job of the same shop waiting behind the run (it would only wait for the run): the run
    goes on to the end without passing on."""
    store = Store(shopify_emulator, SHOP)
    one_line_orders(store, 40, "Bolt", "BOLT-1", first_price=1)
    merchant(store.domain).install_and_connect()
    merchant(SHOP).put_sales_settings()
    run = start_sales_run(Shop.by_domain(SHOP), Trigger.MANUAL)
    enqueue("sync", "jobs.maintenance.prune_processed_webhooks", shop_domain=SHOP)
    worker.run()
    db.session.expire_all()
    run = db.session.get(SyncRun, run.id)
    assert run.status == RunStatus.SUCCEEDED and run.created_count == 40
    assert "cursor" not in (run.params or {})  # it never passed on


def test_two_backfills_do_not_take_turns_batch_by_batch(
    shopify_emulator, qbo_emulator, worker, connect, merchant
) -> None:
    """The first passes on once to the second (a new run); the second does not pass back to the
    first's continuation (it had its turn), so neither pays a new read per batch."""
    first, second = Store(shopify_emulator, "first.myshopify.com"), Store(shopify_emulator, SHOP)
    one_line_orders(first, 65, "Bolt", "BOLT-1", first_price=1)
    one_line_orders(second, 65, "Nut", "NUT-1", first_price=1)
    merchant(first.domain).install_and_connect()
    connect(second, "us")
    for shop in (first, second):
        merchant(shop.domain).put_sales_settings()
    runs = [start_sales_run(Shop.by_domain(s.domain), Trigger.MANUAL) for s in (first, second)]
    worker.run()
    db.session.expire_all()
    first_run, second_run = (db.session.get(SyncRun, r.id) for r in runs)
    assert (first_run.status, second_run.status) == (RunStatus.SUCCEEDED, RunStatus.SUCCEEDED)
    assert (first_run.created_count, second_run.created_count) == (65, 65)
    assert "cursor" in first_run.params and "cursor" not in second_run.params


def test_an_hourly_run_with_nothing_new_makes_at_most_two_requests(
    store, shopify_emulator, qbo_emulator, worker, merchant
) -> None:
    """Shopify's count, and nothing of QuickBooks (no discovery document, no query)."""
    merchant(SHOP).put_sales_settings()
    first = sync_now(worker)
    assert first.status == RunStatus.SUCCEEDED
    # An hour on: the last run started well after these orders last changed (the next run
    # re-reads 10 minutes before it, so here it must have started over 10 minutes later).
    first.started_at = utcnow() + timedelta(minutes=11)
    db.session.commit()
    for emulator in (shopify_emulator, qbo_emulator):
        requests.delete(f"{emulator.url}/_emulator/requests", timeout=10).raise_for_status()
    run = start_sales_run(Shop.by_domain(SHOP), Trigger.HOURLY)
    worker.run()
    db.session.expire_all()
    assert db.session.get(SyncRun, run.id).status == RunStatus.SUCCEEDED
    made = {
        name: requests.get(f"{e.url}/_emulator/requests", timeout=10).json()["counts"]
        for name, e in (("shopify", shopify_emulator), ("quickbooks", qbo_emulator))
    }
    assert sum(sum(c.values()) for c in made.values()) <= 2, made
