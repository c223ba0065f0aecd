"""The products workflow over other shapes of settings and catalogues: inventory items with
their accounts and start date, items matched by name, a product of many variants, and a
catalogue large enough to be read with one bulk operation."""

from __future__ import annotations

from datetime import date, timedelta

import requests

from extensions import db
from jobs import enqueue
from models import LedgerEntry, LedgerStatus, RunStatus, Shop, SyncRun, Trigger, Workflow
from services.runs import queue_run
from tests.products_store import run_products, set_product
from tests.sales_store import Store
from tests.test_products_sync import items

SHOP = "shapes.myshopify.com"


def test_inventory_items_get_the_sales_accounts_start_date_and_no_quantity(
    make_store, merchant, worker
) -> None:
    make_store(
        SHOP,
        orders=lambda store: set_product(store, "Lamp", [("Default Title", "LAMP-1", "30", "9")]),
    )
    owner = merchant(SHOP)
    start = date.today() - timedelta(days=30)
    cogs = owner.first_choice("accounts?type=Cost of Goods Sold", "")
    asset = owner.first_choice("accounts?type=Other Current Asset", "Inventory")
    owner.put_settings({"sync": {"integration_start_date": start.isoformat()}})
    owner.put_sales_settings(
        sku_match_field="sku",
        item_type="inventory",
        inventory_start_date=start.isoformat(),
        qbo_cogs_account_id=cogs,
        qbo_asset_account_id=asset,
    )
    owner.put_settings({"products": {"enabled": True}})
    run = run_products(worker, SHOP)
    assert run.status == RunStatus.SUCCEEDED, run.error
    lamp = items(SHOP)["Lamp (LAMP-1)"]
    assert lamp.Type == "Inventory" and lamp.TrackQtyOnHand and lamp.QtyOnHand == 0
    assert (lamp.AssetAccountRef.value, lamp.ExpenseAccountRef.value) == (asset, cogs)
    assert lamp.InvStartDate == start.isoformat()


def test_items_matched_by_name_are_named_by_their_sku(make_store, merchant, worker) -> None:
    def catalogue(store: Store) -> None:
        set_product(store, "Vase", [("Small", "vase-s", "5", None), ("Large", "VASE-L", "9", None)])

    make_store(SHOP, orders=catalogue, sales={"sku_match_field": "name"})
    merchant(SHOP).put_settings({"products": {"enabled": True}})
    assert run_products(worker, SHOP).created_count == 2
    assert {"vase-s", "VASE-L"} <= set(items(SHOP))
    # a second run, like a sale of the SKU in any case, finds them by name
    assert run_products(worker, SHOP, full=True).created_count == 0


def test_a_product_of_many_variants_is_read_whole(make_store, merchant, worker) -> None:
    sizes = [(f"Size {n}", f"BIG-{n}", "1.00", None) for n in range(70)]  # beyond one page
    make_store(SHOP, orders=lambda store: set_product(store, "Big", sizes), sales={})
    merchant(SHOP).put_settings({"products": {"enabled": True}})
    run = run_products(worker, SHOP)
    assert run.created_count == 70, run.error


def test_a_large_catalogue_is_read_with_one_bulk_operation(
    make_store, merchant, worker, shopify_emulator
) -> None:
    def catalogue(store: Store) -> None:
        for n in range(100):  # BULK_FROM products
            set_product(store, f"Card {n}", [("Default Title", f"CARD-{n}", "2.00", None)])

    make_store(SHOP, orders=catalogue, sales={"sku_match_field": "sku"})
    merchant(SHOP).put_settings({"products": {"enabled": True}})
    requests.delete(f"{shopify_emulator.url}/_emulator/requests", timeout=10)
    run = run_products(worker, SHOP)
    assert run.created_count == 100, run.error
    served = requests.get(f"{shopify_emulator.url}/_emulator/requests", timeout=10).json()
    assert served["total"] <= 6  # count, start, a few polls (pages would take 20)
    posted = db.session.query(LedgerEntry).filter_by(status=LedgerStatus.POSTED).count()
    assert posted == 100


def test_a_large_run_lets_another_shop_go_first_and_goes_on_from_its_cursor(
    make_store, merchant, worker
) -> None:
    def catalogue(store: Store) -> None:
        for n in range(25):  # 75 variants: three batches
            sizes = [(s, f"JAR-{n}-{s}", "4.00", None) for s in ("S", "M", "L")]
            set_product(store, f"Jar {n}", sizes)

    make_store(SHOP, orders=catalogue, sales={"sku_match_field": "sku"})
    merchant(SHOP).put_settings({"products": {"enabled": True}})
    shop = Shop.by_domain(SHOP)
    run = queue_run(shop.id, Workflow.PRODUCTS, Trigger.MANUAL)
    enqueue("sync", "jobs.products_job.sync_products", shop.id, run.id, shop_domain=SHOP)
    enqueue("sync", "jobs.maintenance.prune_processed_webhooks", shop_domain="other.myshopify.com")
    worker.run()
    db.session.expire_all()
    done = db.session.get(SyncRun, run.id)
    assert done.status == RunStatus.SUCCEEDED and done.created_count == 75, done.error
    assert "cursor" in done.params  # it passed on once
    assert len(items(SHOP)) >= 75
