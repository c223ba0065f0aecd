"""The stock push when things go wrong: stock changing in Shopify between read and write, an
answer lost after Shopify applied a batch, a worker killed mid-run. Stock is never forced and
never written twice."""

from __future__ import annotations

from datetime import datetime

import pytest
import requests

import sync.inventory.run as inventory_run
import sync.inventory.writing as inventory_writing
from extensions import db
from jobs.maintenance import mark_abandoned_runs
from models import (
    LedgerEntry,
    LedgerKind,
    LedgerStatus,
    RunStatus,
    SyncRun,
    Workflow,
)
from tests.crashes import kill_worker_mid_batch
from tests.inventory_store import (
    ShopifyControl,
    StockStore,
    api_requests,
    clear_counts,
    make_stock_store,
    push_now,
    turn_on_stock,
)

SHOP = "stock-recovery.myshopify.com"
WRITE = "graphql mutation inventorySetQuantities"


@pytest.fixture
def stock(make_store, qbo_emulator, merchant) -> StockStore:
    """A store whose stock push is turned on (MUG-1 5 → 7 and MUG-3 1 → 2 to write)."""
    store = make_stock_store(make_store, qbo_emulator, SHOP)
    turn_on_stock(merchant(SHOP), store)
    return store


def ledger_rows() -> dict[str, LedgerEntry]:
    """The stock ledger by SKU."""
    db.session.expire_all()
    rows = db.session.query(LedgerEntry).filter_by(kind=LedgerKind.INVENTORY_LEVEL).all()
    return {str(r.shopify_name): r for r in rows}


def test_stock_changed_in_shopify_meanwhile_is_read_again_and_set(
    stock, merchant, monkeypatch, shopify_emulator
) -> None:
    real = inventory_run.read_sides

    def read_then_sell(*args, **kwargs):
        sides = real(*args, **kwargs)
        stock.staff_sets("MUG-1", 4)  # a sale in Shopify after the app read 5
        clear_counts(shopify_emulator.url)
        return sides

    monkeypatch.setattr(inventory_run, "read_sides", read_then_sell)
    run = push_now(merchant(SHOP))
    assert run.status == RunStatus.SUCCEEDED and run.updated_count == 2, run.error
    assert api_requests(shopify_emulator.url) == {
        # refused as stale; MUG-3 (not at fault) at once; MUG-1 read again and set
        "graphql mutation inventorySetQuantities": 3,
        "graphql query nodes": 1,
    }
    assert (stock.available("MUG-1"), stock.available("MUG-3")) == (7, 2)
    row = ledger_rows()["MUG-1"]
    assert row.status == LedgerStatus.POSTED
    assert row.qbo_related["quantity"]["changeFromQuantity"] == 4


def keep_selling_mug(stock, merchant, monkeypatch) -> list[int]:
    """A run during which MUG-1 sells in Shopify before every write (so it fails); the stock
    levels the sales left, the last one standing."""
    real, sales = inventory_writing.set_available, []

    def sell_before_each_write(*args, **kwargs):
        sales.append(max(4 - len(sales), 0))
        stock.staff_sets("MUG-1", sales[-1])
        return real(*args, **kwargs)

    monkeypatch.setattr(inventory_writing, "set_available", sell_before_each_write)
    run = push_now(merchant(SHOP))
    monkeypatch.undo()
    assert run.status == RunStatus.PARTIAL and run.failed_count == 1
    return sales


def test_stock_that_keeps_changing_is_never_forced(stock, merchant, monkeypatch) -> None:
    sales = keep_selling_mug(stock, merchant, monkeypatch)
    rows = ledger_rows()
    assert rows["MUG-1"].status == LedgerStatus.FAILED
    assert "kept changing" in rows["MUG-1"].last_error and rows["MUG-1"].last_error_fix
    assert stock.available("MUG-1") == sales[-1]  # the last sale stands: nothing was forced
    assert rows["MUG-3"].status == LedgerStatus.POSTED and stock.available("MUG-3") == 2
    retried = push_now(merchant(SHOP), full=True)  # Retry: both catalogues read again
    assert retried.status == RunStatus.SUCCEEDED and retried.updated_count == 1, retried.error
    assert stock.available("MUG-1") == 7
    assert ledger_rows()["MUG-1"].status == LedgerStatus.POSTED


def test_a_failed_sku_in_step_again_is_no_longer_failed(stock, merchant, monkeypatch) -> None:
    keep_selling_mug(stock, merchant, monkeypatch)
    owner = merchant(SHOP)
    assert [f["name"] for f in owner.api("GET", "/api/ledger/failed").get_json()["failed"]] == [
        "MUG-1"
    ]
    stock.staff_sets("MUG-1", 7)  # the merchant counted the shelf: QuickBooks' 7
    assert push_now(owner, full=True).status == RunStatus.SUCCEEDED
    assert owner.api("GET", "/api/ledger/failed").get_json()["failed"] == []
    assert ledger_rows()["MUG-1"].status == LedgerStatus.SKIPPED


def clock(url: str, **change: object) -> datetime:
    """The emulator's clock (moved when `change` says so)."""
    answer = requests.post(f"{url}/_emulator/clock", json=change or None, timeout=10)
    return datetime.fromisoformat(answer.json()["now"])


def test_an_answer_lost_after_shopify_applied_is_not_applied_again(
    stock, merchant, monkeypatch, shopify_emulator
) -> None:
    url, real, calls = shopify_emulator.url, inventory_writing.set_available, []

    def lose_first_answer(*args, **kwargs):
        calls.append(args[3])  # the idempotency key
        if len(calls) > 1:
            return real(*args, **kwargs)
        faults = {"drop_after_commit": 1, "only_endpoint": "inventorySetQuantities"}
        requests.post(f"{url}/_emulator/faults", json=faults, timeout=10).raise_for_status()
        try:
            return real(*args, **kwargs)
        finally:
            requests.post(f"{url}/_emulator/faults", json={}, timeout=10).raise_for_status()
            calls.append(clock(url))  # when Shopify applied it, at the latest
            clock(url, advance=120)

    monkeypatch.setattr(inventory_writing, "set_available", lose_first_answer)
    run = push_now(merchant(SHOP))
    assert run.status == RunStatus.SUCCEEDED, run.error
    first_key, applied_by, again_key = calls[0], calls[1], calls[2]
    assert again_key == first_key  # the stored batch, sent again under its key
    level = stock.level("MUG-1")
    assert level["available"] == 7
    updated = datetime.fromisoformat(level["updatedAt"].replace("Z", "+00:00"))
    assert updated <= applied_by  # Shopify answered the replay without applying it again
    assert {r.status for r in ledger_rows().values()} == {LedgerStatus.POSTED}


def test_a_worker_killed_mid_run_never_writes_stock_twice(
    app, stock, merchant, database_uri, redis_server_url, shopify_emulator
) -> None:
    """SIGKILL a real worker process while Shopify takes its time to answer the write; the
    watchdog's follow-up run records the dead worker's write and writes nothing after it."""
    url = shopify_emulator.url
    clear_counts(url)
    kill_worker_mid_batch(
        app,
        ShopifyControl(url),
        database_uri,
        redis_server_url,
        SHOP,
        Workflow.INVENTORY,
        endpoint="inventorySetQuantities",
        stored="key",
    )
    # The kill may come just before the request left, or while Shopify was answering it.
    reached = api_requests(url).get(WRITE, 0)
    applied_by = clock(url)  # Shopify finished the dead worker's request, if any, long before
    clock(url, advance=120)
    assert {r.status for r in ledger_rows().values()} == {LedgerStatus.IN_PROGRESS}
    assert mark_abandoned_runs()["closed"] == 1  # and queues the follow-up stock run
    merchant(SHOP).worker.run()
    db.session.expire_all()
    runs = db.session.query(SyncRun).filter_by(dry_run=False, workflow=Workflow.INVENTORY)
    assert [r.status for r in runs.order_by(SyncRun.id)] == [
        RunStatus.ABANDONED,
        RunStatus.SUCCEEDED,
    ]
    assert {r.status for r in ledger_rows().values()} == {LedgerStatus.POSTED}
    level = stock.level("MUG-1")
    assert level["available"] == 7
    updated = datetime.fromisoformat(level["updatedAt"].replace("Z", "+00:00"))
    if reached:  # the dead worker's write stands; the resent batch was answered, not applied
        assert updated <= applied_by
    else:  # it never left: the follow-up run applied it, once
        assert updated > applied_by and api_requests(url)[WRITE] == 1
