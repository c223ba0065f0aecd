"""An order that cannot be posted gets a plain reason and a fix, does not stop the others, and
posts once the cause is fixed and it is retried."""

from __future__ import annotations

import pytest

from extensions import db
from models import LedgerEntry, LedgerStatus, RunStatus, SyncRun
from tests.sales_store import (
    Store,
    install_and_connect,
    money,
    put_sales_settings,
    put_settings,
)

SHOP = "failures.myshopify.com"


@pytest.fixture
def store(app, client, shopify_emulator, qbo_emulator, session_token) -> Store:
    """Two orders: one with a SKU QuickBooks lacks, one with the SKU of a QBO item."""
    store = Store(shopify_emulator, SHOP)
    store.order(
        lineItems=[{"title": "Gizmo", "sku": "ABC-1", "priceSet": money("10.00"), "quantity": 1}]
    )
    store.order(
        lineItems=[{"title": "Gadget", "sku": "GS-1", "priceSet": money("20.00"), "quantity": 1}]
    )
    install_and_connect(client, session_token, store)
    return store


def api(client, session_token, method: str, path: str, body=None):
    """An embedded-page API call."""
    return client.open(
        path, method=method, json=body, headers={"Authorization": f"Bearer {session_token(SHOP)}"}
    )


def latest_run() -> SyncRun:
    """The newest run."""
    db.session.expire_all()
    return db.session.query(SyncRun).order_by(SyncRun.id.desc()).first()


def test_unknown_sku_fails_alone_with_reason_and_fix_then_retry_posts(
    client, store, session_token, worker
) -> None:
    put_settings(
        client, session_token, SHOP, {"sales": {"create_items": False, "sku_match_field": "sku"}}
    )
    assert api(client, session_token, "POST", "/api/sync/sales").status_code == 202
    worker.run()
    run = latest_run()
    assert run.status == RunStatus.PARTIAL and (run.created_count, run.failed_count) == (1, 1)
    failed = api(client, session_token, "GET", "/api/ledger/failed").get_json()["failed"]
    assert len(failed) == 1
    assert failed[0]["reason"] == "SKU 'ABC-1' is not in QuickBooks"
    assert "turn on item creation" in failed[0]["fix"].lower()

    put_sales_settings(client, session_token, SHOP, create_items=True)
    assert (
        api(
            client, session_token, "POST", "/api/sync/sales/retry", {"all_failed": True}
        ).status_code
        == 202
    )
    worker.run()
    assert latest_run().status == RunStatus.SUCCEEDED
    statuses = {e.shopify_name: e.status for e in db.session.query(LedgerEntry)}
    assert set(statuses.values()) == {LedgerStatus.POSTED}
    assert api(client, session_token, "GET", "/api/ledger/failed").get_json()["failed"] == []


def test_disconnected_quickbooks_fails_the_run_plainly(
    client, store, session_token, worker
) -> None:
    api(client, session_token, "POST", "/api/quickbooks/disconnect")
    api(client, session_token, "POST", "/api/sync/sales")
    worker.run()
    run = latest_run()
    assert run.status == RunStatus.FAILED and "QuickBooks is not connected" in run.error
    assert db.session.query(LedgerEntry).count() == 0


def test_run_progress_is_visible(client, store, session_token, worker) -> None:
    started = api(client, session_token, "POST", "/api/sync/sales").get_json()
    assert started["status"] == "queued"
    worker.run()
    body = api(client, session_token, "GET", f"/api/runs/{started['id']}").get_json()
    assert body["progress"] == {"done": 2, "total": 2}
    assert body["status"] in {"succeeded", "partial"}
