"""Deployed: workers SIGKILLed again and again while stock is pushed to Shopify in batches (and
replaced, as Heroku would) — the watchdog's follow-up run finishes by itself: every SKU at
QuickBooks' quantity, each written by exactly one applied batch, every ledger row posted."""

from __future__ import annotations

from collections import Counter

from clients.shopify_inventory import WRITE_BATCH
from extensions import db
from models import LedgerEntry, LedgerKind, LedgerStatus, RunStatus, Shop, SyncRun, Workflow
from tests.deployed import deploy_shop, kill_busy_workers, open_runs, settled
from tests.inventory_store import ShopifyControl, StockStore, add_qbo_items, qbo_of, turn_on_stock
from tests.sales_store import Store

SHOP = "crashy-stock.myshopify.com"
PRODUCTS, SIZES = 30, 10  # 300 variants to set: three batches of WRITE_BATCH
SKUS = [f"JAR-{n}-{s}" for n in range(PRODUCTS) for s in range(SIZES)]


def shopify_now(n: int) -> int:
    """The stock of the n-th SKU in Shopify before the push (QuickBooks holds 2 more)."""
    return n % 5 + 1


def test_workers_killed_mid_stock_push_write_no_stock_twice(
    deployment, shopify_emulator, qbo_emulator, session_token, merchant
) -> None:
    assert len(SKUS) > 2 * WRITE_BATCH
    stock, shopify = StockStore(Store(shopify_emulator, SHOP)), ShopifyControl(shopify_emulator.url)
    for n in range(PRODUCTS):
        indices = range(n * SIZES, (n + 1) * SIZES)
        stock.add_product(f"Jar {n}", [(SKUS[i], shopify_now(i), True) for i in indices])
    web = deploy_shop(deployment, merchant(SHOP), workers=2)
    shop_id = Shop.by_domain(SHOP).id
    qbo = {sku: shopify_now(n) + 2 for n, sku in enumerate(SKUS)}
    add_qbo_items(qbo_of(SHOP), {sku: str(qty) for sku, qty in qbo.items()})
    qbo_emulator.control("POST", "clock", advance=1800).raise_for_status()
    web.put_settings({"inventory": {"max_change_share": "1"}})  # every SKU changes at once
    turn_on_stock(web, stock, lambda: settled(deployment, 30, lambda: not open_runs(shop_id)))
    shopify.control(
        "POST", "faults", latency_ms=400, only_endpoint="inventorySetQuantities"
    ).raise_for_status()
    assert web.api("POST", "/api/inventory/sync").status_code == 202
    kill_busy_workers(deployment, shop_id, len(SKUS), kills=2)
    shopify.control("POST", "faults").raise_for_status()
    settled(deployment, timeout=60, done=lambda: not open_runs(shop_id))

    assert {sku: stock.available(sku) for sku in SKUS} == qbo
    applied = shopify.adjustments(SHOP)
    written = Counter(item for adjustment in applied for item in adjustment["items"])
    assert written == Counter(stock.items.values()), "stock written twice, or never"
    db.session.expire_all()
    rows = db.session.query(LedgerEntry).filter_by(kind=LedgerKind.INVENTORY_LEVEL).all()
    assert Counter(r.status for r in rows) == Counter({LedgerStatus.POSTED: len(SKUS)})
    assert {r.shopify_name: int(r.shopify_total) for r in rows} == qbo
    assert {r.qbo_related["key"] for r in rows} == {a["key"] for a in applied}
    runs = db.session.query(SyncRun).filter_by(workflow=Workflow.INVENTORY, dry_run=False)
    statuses = [r.status for r in runs.order_by(SyncRun.id)]
    assert statuses[-1] == RunStatus.SUCCEEDED and len(statuses) > 1, statuses
    assert set(statuses[:-1]) == {RunStatus.ABANDONED}, statuses
