"""The stock push against the emulators: preview, approval, first and incremental runs, one-sided
and untracked SKUs, the zero-wipe guard and its confirmation, twin jobs."""

from __future__ import annotations

import pytest

from extensions import db
from jobs import enqueue
from jobs.inventory_job import JOB, push_stock_levels, start_stock_run
from jobs.sales_triggers import enqueue_hourly_syncs
from models import (
    LedgerEntry,
    LedgerKind,
    LedgerStatus,
    RunStatus,
    Shop,
    SyncRun,
    Trigger,
    Workflow,
)
from services.runs import queue_run
from tests.inventory_store import (
    StockStore,
    api_requests,
    clear_counts,
    latest_run,
    make_stock_store,
    preview_run,
    push_now,
    qbo_of,
    set_qbo_quantity,
    turn_on_stock,
)

SHOP = "stock.myshopify.com"


@pytest.fixture
def stock(make_store, qbo_emulator) -> StockStore:
    """A connected store with stock at a location, and QBO items (tests/inventory_store.py)."""
    return make_stock_store(make_store, qbo_emulator, SHOP)


def rows_by_sku(body: dict) -> dict[str, dict]:
    """The preview's rows by SKU."""
    return {row["sku"]: row for row in body["rows"]}


def test_enabling_is_refused_until_a_preview_was_approved(stock, merchant) -> None:
    owner = merchant(SHOP)
    owner.put_settings({"inventory": {"shopify_location_id": stock.location}})
    body = {"inventory": {"enabled": True, "opening_stock_confirmed": True}}
    refused = owner.api("PUT", "/api/settings", body)
    assert refused.status_code == 422
    assert "preview" in refused.get_json()["errors"]["inventory.enabled"]
    preview = preview_run(owner)
    assert (
        owner.api("POST", "/api/inventory/approve", {"run_id": preview.id + 99}).status_code == 422
    )
    assert owner.api("POST", "/api/inventory/approve", {"run_id": preview.id}).status_code == 200
    owner.put_settings({"inventory": {"enabled": True}})

    # another location was never previewed: its approval is gone, and no run writes there
    owner.put_settings({"inventory": {"shopify_location_id": "gid://shopify/Location/424242"}})
    assert owner.api("GET", "/api/inventory/preview").get_json()["approved_at"] is None
    run = owner.api("POST", "/api/inventory/sync").get_json()
    owner.worker.run()
    db.session.expire_all()
    refused = db.session.get(SyncRun, run["id"])
    assert refused.status == RunStatus.FAILED and "preview" in (refused.error or "").lower()


def test_the_preview_shows_each_change_and_writes_nothing(stock, merchant) -> None:
    owner = merchant(SHOP)
    owner.put_settings({"inventory": {"shopify_location_id": stock.location}})
    preview_run(owner)
    body = owner.api("GET", "/api/inventory/preview").get_json()
    rows = rows_by_sku(body)
    assert rows["MUG-1"] == {
        "sku": "MUG-1",
        "outcome": "change",
        "shopify_now": 5,
        "qbo_value": "7",
        "new_quantity": 7,
        "change": 2,
        "note": None,
        "product": "Mug - MUG-1",  # the variant's name, for the Stock page's table
    }
    assert (rows["MUG-3"]["new_quantity"], rows["MUG-3"]["change"]) == (2, 1)
    assert "whole units" in rows["MUG-3"]["note"]
    assert {rows[s]["outcome"] for s in ("CAP-3", "TEE-1", "RF-1")} == {"shopify_only"}
    assert rows["Rock Fountain"]["outcome"] == "qbo_only"
    assert rows["LONE"]["outcome"] == "qbo_only" and rows["CAP-2"]["outcome"] == "not_tracked"
    assert "MUG-2" not in rows and "CAP-1" not in rows  # in step
    assert body["totals"]["change"] == 2 and body["totals"]["tracked"] == 10
    assert body["hold"] is None and body["approved_at"] is None
    assert stock.available("MUG-1") == 5  # a preview never writes
    assert db.session.query(LedgerEntry).count() == 0


def test_a_run_sets_what_differs_and_leaves_one_sided_and_untracked_alone(stock, merchant) -> None:
    owner = merchant(SHOP)
    turn_on_stock(owner, stock)
    run = push_now(owner)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.updated_count == 2
    after = {sku: stock.available(sku) for sku in stock.items}
    assert after == {
        "MUG-1": 7,
        "MUG-2": 0,
        "MUG-3": 2,
        "CAP-1": 4,
        "CAP-2": 3,
        "CAP-3": 6,
        "PUMP-1": 25,
        "RF-1": 1,
        "TEE-1": 8,
        "TEE-2": 8,
        "TEE-3": 8,
    }
    rows = db.session.query(LedgerEntry).filter_by(kind=LedgerKind.INVENTORY_LEVEL).all()
    assert sorted((r.shopify_name, r.status, int(r.shopify_total)) for r in rows) == [
        ("MUG-1", LedgerStatus.POSTED, 7),
        ("MUG-3", LedgerStatus.POSTED, 2),
    ]
    again = push_now(owner)
    assert again.status == RunStatus.SUCCEEDED and again.updated_count == 0


def test_hourly_runs_read_only_what_changed(
    stock, merchant, shopify_emulator, qbo_emulator
) -> None:
    owner = merchant(SHOP)
    turn_on_stock(owner, stock)
    push_now(owner)
    clear_counts(shopify_emulator.url, qbo_emulator.url)
    unchanged = push_now(owner)
    assert (
        unchanged.status == RunStatus.SUCCEEDED and (unchanged.params or {})["full_read"] is False
    )
    counts = api_requests(qbo_emulator.url, shopify_emulator.url)
    assert counts == {"GET /v3/company/{realm}/cdc": 1}  # at most 2 allowed
    set_qbo_quantity(qbo_of(SHOP), stock.qbo_ids["CAP-1"], "11")
    clear_counts(shopify_emulator.url, qbo_emulator.url)
    changed = push_now(owner)
    assert changed.status == RunStatus.SUCCEEDED and changed.updated_count == 1
    assert api_requests(qbo_emulator.url, shopify_emulator.url) == {
        "GET /v3/company/{realm}/cdc": 1,
        "graphql query productVariants": 1,
        "graphql mutation inventorySetQuantities": 1,
    }
    assert stock.available("CAP-1") == 11
    clear_counts(shopify_emulator.url, qbo_emulator.url)
    again = push_now(owner)  # CAP-1 is read again (the cursor's overlap), already set: no read
    assert again.status == RunStatus.SUCCEEDED and again.updated_count == 0
    assert api_requests(qbo_emulator.url, shopify_emulator.url) == {
        "GET /v3/company/{realm}/cdc": 1
    }


def test_the_zero_wipe_guard_stops_before_writing_and_confirm_applies_it_once(
    stock, merchant
) -> None:
    owner = merchant(SHOP)
    turn_on_stock(owner, stock)
    push_now(owner)
    qb = qbo_of(SHOP)
    for sku in ("MUG-1", "CAP-1"):  # 2 of 10 tracked variants to zero: over the 10 % limit
        set_qbo_quantity(qb, stock.qbo_ids[sku], "0")
    held = push_now(owner)
    assert held.status == RunStatus.FAILED and "held before writing anything" in held.error
    assert (stock.available("MUG-1"), stock.available("CAP-1")) == (7, 4)
    banner = owner.api("GET", "/api/inventory/held").get_json()["held"]
    assert banner["run_id"] == held.id
    assert banner["numbers"] | {} == {
        "zeroes": 2,
        "changes": 2,
        "tracked": 10,
        "zero_share": "0.2000",
        "change_share": "0.2000",
        "max_zero_share": "0.1000",
        "max_change_share": "0.5000",
    }
    assert push_now(owner).status == RunStatus.FAILED  # held again without a confirmation
    held_again = owner.api("GET", "/api/inventory/held").get_json()["held"]["run_id"]
    confirmed = owner.api("POST", "/api/inventory/confirm", {"run_id": held_again})
    assert confirmed.status_code == 202, confirmed.get_json()
    owner.worker.run()
    db.session.expire_all()
    applied = latest_run(Shop.by_domain(SHOP).id)
    assert applied.status == RunStatus.SUCCEEDED, applied.error
    assert (stock.available("MUG-1"), stock.available("CAP-1")) == (0, 0)
    assert owner.api("GET", "/api/inventory/held").get_json()["held"] is None
    assert owner.api("POST", "/api/inventory/confirm", {"run_id": held_again}).status_code == 422
    # the run history tells the held runs (nothing written) from the one that applied the plan
    runs = {r["id"]: r for r in owner.api("GET", "/api/runs").get_json()["runs"]}
    assert runs[held.id]["held"] and runs[held_again]["held"]
    assert not runs[applied.id]["held"] and runs[applied.id]["status"] == "succeeded"


def test_twin_jobs_of_one_run_write_once(app, stock, merchant) -> None:
    owner = merchant(SHOP)
    turn_on_stock(owner, stock)
    shop = Shop.by_domain(SHOP)

    run = start_stock_run(shop, Trigger.MANUAL)
    enqueue("sync", JOB, shop.id, run.id, shop_domain=SHOP)  # the same run's job, twice
    owner.worker.run()
    db.session.expire_all()
    run = latest_run(shop.id)
    assert run.status == RunStatus.SUCCEEDED and run.updated_count == 2
    rows = db.session.query(LedgerEntry).filter_by(kind=LedgerKind.INVENTORY_LEVEL).all()
    assert sorted(r.attempts for r in rows) == [1, 1]
    assert stock.available("MUG-1") == 7


def test_the_cli_runs_the_stock_push_in_the_foreground(stock, merchant, runner) -> None:
    turn_on_stock(merchant(SHOP), stock)
    dry = runner.invoke(args=["sync", SHOP, "--workflow", "inventory", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert '"sku": "MUG-1"' in dry.output and "2 would change" in dry.output
    assert stock.available("MUG-1") == 5
    real = runner.invoke(args=["sync", SHOP, "--workflow", "inventory"])
    assert real.exit_code == 0 and "succeeded" in real.output, real.output
    assert stock.available("MUG-1") == 7


def test_the_hourly_job_pushes_stock_for_shops_that_turned_it_on(stock, merchant) -> None:
    owner = merchant(SHOP)
    turn_on_stock(owner, stock)
    owner.put_sales_settings(enabled=True)  # automated sync needs the sales setup done
    automation = {"accept_terms": True, "integration_start_date": "2026-01-01"}
    owner.put_settings({"sync": {**automation, "hourly_sync_enabled": True}})
    assert enqueue_hourly_syncs() == 2  # sales and the stock push
    owner.worker.run()
    db.session.expire_all()
    run = latest_run(Shop.by_domain(SHOP).id)
    assert run.trigger == Trigger.HOURLY and run.status == RunStatus.SUCCEEDED, run.error
    assert stock.available("MUG-1") == 7


def test_a_job_told_dry_run_never_writes_a_run_queued_to_write(stock, merchant) -> None:
    turn_on_stock(merchant(SHOP), stock)
    shop = Shop.by_domain(SHOP)
    run = queue_run(shop.id, Workflow.INVENTORY, Trigger.CLI)
    assert "refused" in push_stock_levels(shop.id, run.id, dry_run=True)
    assert db.session.get(SyncRun, run.id).status == RunStatus.QUEUED
    assert stock.available("MUG-1") == 5
