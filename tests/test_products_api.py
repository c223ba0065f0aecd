"""The products workflow from the outside: the CLI (dry run and real), Sync now and retry, the
failed-records list and run history naming the workflow, and the hourly job."""

from __future__ import annotations

import json

import pytest

from extensions import db
from jobs.sales_triggers import enqueue_hourly_syncs
from models import LedgerEntry, LedgerKind, Shop, SyncRun, Workflow
from tests.products_store import set_product
from tests.sales_store import Store
from tests.test_products_sync import items

SHOP = "products-api.myshopify.com"


@pytest.fixture
def store(make_store, merchant) -> Store:
    """Two products, one of whose variants has no SKU; products turned on."""

    def catalogue(store: Store) -> None:
        set_product(store, "Lamp", [("Default Title", "LAMP-1", "30.00", "11.00")])
        store.shade = set_product(store, "Shade", [("Default Title", None, "8.00", None)])

    made = make_store(SHOP, orders=catalogue, sales={"sku_match_field": "sku"})
    merchant(SHOP).put_settings({"products": {"enabled": True}})
    return made


def test_cli_dry_run_shows_the_items_and_writes_nothing(runner, store) -> None:
    result = runner.invoke(args=["sync", SHOP, "--workflow", "products", "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    by_variant = {line["variant"]: line for line in lines}
    assert by_variant["Lamp"]["create"]["Name"] == "Lamp (LAMP-1)"
    assert by_variant["Lamp"]["create"]["UnitPrice"] == "30.00"
    assert "no SKU" in by_variant["Shade"]["failed"]
    assert "Lamp (LAMP-1)" not in items(SHOP)
    assert db.session.query(LedgerEntry).count() == 0


def test_cli_run_creates_and_says_what_failed(runner, store) -> None:
    result = runner.invoke(args=["sync", SHOP, "--workflow", "products"])
    assert "partial: 1 created, 1 failed" in result.output, result.output
    assert "Lamp (LAMP-1)" in items(SHOP)


def test_failed_variants_are_listed_and_retried_once_fixed(store, merchant) -> None:
    owner = merchant(SHOP)
    run = owner.api("POST", "/api/sync/products").get_json()
    assert run["workflow"] == "products"
    owner.worker.run()
    failed = owner.api("GET", "/api/ledger/failed").get_json()["failed"]
    assert [(f["workflow"], f["kind"], f["name"]) for f in failed] == [
        ("products", "product_variant", "Shade")
    ]
    assert "add a SKU" in failed[0]["fix"]
    shade = store.shade
    set_product(
        store,
        "Shade",
        [("Default Title", "SHADE-1", "8.00", None)],
        shade["id"],
        [shade["variants"]["nodes"][0]["id"]],
    )
    retried = owner.api("POST", "/api/sync/products/retry").get_json()
    owner.worker.run()
    assert owner.api("GET", "/api/ledger/failed").get_json()["failed"] == []
    assert "Shade (SHADE-1)" in items(SHOP)
    history = owner.api("GET", "/api/runs").get_json()["runs"]
    assert history[0]["id"] == retried["id"] and history[0]["workflow"] == "products"
    assert history[0]["counts"]["created"] == 1


def test_the_hourly_job_queues_every_enabled_workflow(store, merchant, worker) -> None:
    owner = merchant(SHOP)
    owner.put_settings(
        {
            "sales": {"enabled": True},
            "sync": {
                "accept_terms": True,
                "integration_start_date": "2026-01-01",
                "hourly_sync_enabled": True,
            },
        }
    )
    assert enqueue_hourly_syncs() == 2
    queued = db.session.query(SyncRun).filter_by(shop_id=Shop.by_domain(SHOP).id).all()
    assert sorted(r.workflow for r in queued) == [Workflow.PRODUCTS, Workflow.SALES]
    worker.run()
    linked = db.session.query(LedgerEntry).filter_by(kind=LedgerKind.PRODUCT_VARIANT).count()
    assert linked == 2 and "Lamp (LAMP-1)" in items(SHOP)
