"""An order that cannot be posted gets a plain reason and a fix, does not stop the others, and
posts once the cause is fixed and it is retried."""

from __future__ import annotations

import pytest

from extensions import db
from models import LedgerEntry, LedgerStatus, RunStatus, SyncRun
from tests.sales_store import Store, money

SHOP = "failures.myshopify.com"


@pytest.fixture
def store(make_store) -> Store:
    """Two orders: one with a SKU QuickBooks lacks, one with the SKU of a QBO item."""

    def orders(store: Store) -> None:
        store.order(
            lineItems=[
                {"title": "Gizmo", "sku": "ABC-1", "priceSet": money("10.00"), "quantity": 1}
            ]
        )
        store.order(
            lineItems=[
                {"title": "Gadget", "sku": "GS-1", "priceSet": money("20.00"), "quantity": 1}
            ]
        )

    return make_store(SHOP, orders=orders)


def latest_run() -> SyncRun:
    """The newest run."""
    db.session.expire_all()
    return db.session.query(SyncRun).order_by(SyncRun.id.desc()).first()


def test_unknown_sku_fails_alone_with_reason_and_fix_then_retry_posts(
    store, worker, merchant
) -> None:
    merchant(SHOP).put_settings({"sales": {"create_items": False, "sku_match_field": "sku"}})
    assert merchant(SHOP).api("POST", "/api/sync/sales").status_code == 202
    worker.run()
    run = latest_run()
    assert run.status == RunStatus.PARTIAL and (run.created_count, run.failed_count) == (1, 1)
    failed = merchant(SHOP).api("GET", "/api/ledger/failed").get_json()["failed"]
    assert len(failed) == 1
    assert failed[0]["reason"] == "SKU 'ABC-1' is not in QuickBooks"
    assert "turn on item creation" in failed[0]["fix"].lower()

    merchant(SHOP).put_sales_settings(create_items=True)
    assert (
        merchant(SHOP).api("POST", "/api/sync/sales/retry", {"all_failed": True}).status_code == 202
    )
    worker.run()
    assert latest_run().status == RunStatus.SUCCEEDED
    statuses = {e.shopify_name: e.status for e in db.session.query(LedgerEntry)}
    assert set(statuses.values()) == {LedgerStatus.POSTED}
    assert merchant(SHOP).api("GET", "/api/ledger/failed").get_json()["failed"] == []


def test_disconnected_quickbooks_fails_the_run_plainly(store, worker, merchant) -> None:
    merchant(SHOP).api("POST", "/api/quickbooks/disconnect")
    merchant(SHOP).api("POST", "/api/sync/sales")
    worker.run()
    run = latest_run()
    assert run.status == RunStatus.FAILED and "QuickBooks is not connected" in run.error
    assert db.session.query(LedgerEntry).count() == 0


def test_run_progress_is_visible(store, worker, merchant) -> None:
    started = merchant(SHOP).api("POST", "/api/sync/sales").get_json()
    assert started["status"] == "queued"
    worker.run()
    body = merchant(SHOP).api("GET", f"/api/runs/{started['id']}").get_json()
    assert body["progress"] == {"done": 2, "total": 2}
    assert body["status"] in {"succeeded", "partial"}
