"""An order whose data cannot be parsed (an amount that is no number) fails alone on the ledger
with the reason; the other orders of its batch post."""

from __future__ import annotations

import pytest

import sync.sales.run as sales_run
from extensions import db
from models import LedgerEntry, LedgerStatus, RunStatus, SyncRun
from rules.orders import parse_order_or_malformed
from tests.sales_store import Store, money

SHOP = "malformed.myshopify.com"


@pytest.fixture
def store(make_store) -> Store:
    """Three orders, one batch."""

    def orders(store: Store) -> None:
        for title, price in (("Gizmo", "10.00"), ("Gadget", "20.00"), ("Widget", "30.00")):
            store.order(
                lineItems=[{"title": title, "sku": "GS-1", "priceSet": money(price), "quantity": 1}]
            )

    return make_store(SHOP, orders=orders, sales={"sku_match_field": "sku"})


def test_a_malformed_order_fails_alone_with_its_reason(
    store, worker, merchant, monkeypatch
) -> None:
    def corrupted(node: dict):
        """The Gadget order as Shopify might send it broken: its unit price is no number."""
        lines = node["lineItems"]["nodes"]
        if lines and lines[0]["title"] == "Gadget":
            lines[0]["originalUnitPriceSet"]["shopMoney"]["amount"] = "twenty"
        return parse_order_or_malformed(node)

    monkeypatch.setattr(sales_run, "parse_order_or_malformed", corrupted)
    assert merchant(SHOP).api("POST", "/api/sync/sales").status_code == 202
    worker.run()
    db.session.expire_all()
    run = db.session.query(SyncRun).order_by(SyncRun.id.desc()).first()
    failed = merchant(SHOP).api("GET", "/api/ledger/failed").get_json()["failed"]
    assert run.status == RunStatus.PARTIAL and (run.created_count, run.failed_count) == (2, 1), (
        failed
    )
    statuses = sorted(e.status for e in db.session.query(LedgerEntry))
    assert statuses.count(LedgerStatus.POSTED) == 2 and LedgerStatus.FAILED in statuses
    failed = merchant(SHOP).api("GET", "/api/ledger/failed").get_json()["failed"]
    assert len(failed) == 1
    assert (
        "cannot read" in failed[0]["reason"] and "'twenty' is not an amount" in failed[0]["reason"]
    )
    assert "Check the order in Shopify" in failed[0]["fix"]
