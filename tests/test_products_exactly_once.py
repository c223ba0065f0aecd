"""Exactly once for items: twin executions, lost answers and a worker killed mid-batch never make
a second QBO item for a variant."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from quickbooks.objects.item import Item

from extensions import db
from jobs.maintenance import mark_abandoned_runs
from jobs.products_job import sync_products
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
from services.quickbooks_connection import client_for
from services.runs import queue_run
from tests.crashes import kill_worker_mid_batch
from tests.products_store import run_products, set_product
from tests.sales_store import Store, retries_of
from tests.support import race

SHOP = "items-once.myshopify.com"
ROOT = Path(__file__).resolve().parents[1]
PRODUCTS = 12  # of 4 sizes: 48 variants, two QBO batches


@pytest.fixture
def store(make_store, merchant) -> Store:
    """A catalogue of 48 variants with SKUs, none of them in QBO yet."""

    def catalogue(store: Store) -> None:
        for n in range(PRODUCTS):
            sizes = [(s, f"ONCE-{n}-{s}", f"{10 + n}.00", None) for s in ("S", "M", "L", "XL")]
            set_product(store, f"Item {n}", sizes)

    made = make_store(SHOP, orders=catalogue, sales={"sku_match_field": "sku"})
    merchant(SHOP).put_settings({"products": {"enabled": True}})
    return made


def assert_one_item_per_variant() -> None:
    """Each SKU has exactly one QBO item, and every variant row is linked to it."""
    qb = client_for(Shop.by_domain(SHOP).quickbooks_connection)
    found = Item.all(max_results=1000, qb=qb)
    skus = Counter(i.Sku for i in found if (i.Sku or "").startswith("ONCE-"))
    assert skus == Counter(
        {f"ONCE-{n}-{s}": 1 for n in range(PRODUCTS) for s in "S M L XL".split()}
    )
    db.session.expire_all()
    rows = db.session.query(LedgerEntry).filter_by(kind=LedgerKind.PRODUCT_VARIANT).all()
    assert len(rows) == PRODUCTS * 4
    assert {r.status for r in rows} == {LedgerStatus.POSTED}
    assert len({r.qbo_id for r in rows}) == PRODUCTS * 4


def test_twin_executions_of_a_run_create_each_item_once(app, store, qbo_emulator) -> None:
    shop = Shop.by_domain(SHOP)
    run = queue_run(shop.id, Workflow.PRODUCTS, Trigger.MANUAL)
    shop_id, run_id = shop.id, run.id
    results = race(app, lambda: sync_products(shop_id, run_id))
    assert sorted(len(r) for r in results)[0] == 0  # the twin found the run taken
    assert_one_item_per_variant()


@pytest.mark.parametrize("drops", [1, 2])
def test_answers_lost_after_qbo_created_the_items_never_duplicate(
    store, qbo_emulator, worker, drops
) -> None:
    qbo_emulator.control(
        "POST", "faults", drop_after_commit=drops, only_endpoint="/batch"
    ).raise_for_status()
    run = run_products(worker, SHOP)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert retries_of(run) >= 1
    assert_one_item_per_variant()


def test_a_worker_killed_mid_batch_leaves_no_duplicate_item(
    app, store, qbo_emulator, database_uri, redis_server_url, worker
) -> None:
    """SIGKILL a real worker process while QBO creates a batch, then let another finish."""
    kill_worker_mid_batch(
        app, qbo_emulator, database_uri, redis_server_url, SHOP, Workflow.PRODUCTS
    )
    assert mark_abandoned_runs()["closed"] == 1  # the watchdog queues a new products run
    worker.run()
    db.session.expire_all()
    runs = db.session.query(SyncRun).order_by(SyncRun.id).all()
    assert [(r.workflow, r.status) for r in runs] == [
        (Workflow.PRODUCTS, RunStatus.ABANDONED),
        (Workflow.PRODUCTS, RunStatus.SUCCEEDED),
    ]
    assert_one_item_per_variant()
