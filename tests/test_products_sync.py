"""The products workflow end to end: Shopify variants on the emulator become QBO items on the QBO
emulator — created once in batches, linked on the ledger, updated and retired only when chosen."""

from __future__ import annotations

from decimal import Decimal

import pytest
import requests
from quickbooks.objects.item import Item

from extensions import db
from models import LedgerEntry, LedgerKind, LedgerStatus, RunStatus, Shop
from services.quickbooks_connection import client_for
from tests.products_store import delete_product, metered, run_products, set_product
from tests.sales_store import Store

SHOP = "products.myshopify.com"


@pytest.fixture
def store(make_store, merchant) -> Store:
    """A US store with two products (one of two sizes) and a variant without SKU."""

    def catalogue(store: Store) -> None:
        set_product(store, "Mug", [("Default Title", "MUG-1", "12.50", "4.10")])
        set_product(
            store,
            "T-Shirt",
            [
                ("S", "TS-S", "20.00", "7.00"),
                ("L", "TS-L", "22.00", None),
                ("XL", None, "24.00", None),
            ],
        )

    made = make_store(SHOP, orders=catalogue, sales={"sku_match_field": "sku"})
    merchant(SHOP).put_settings({"products": {"enabled": True}})
    return made


def items(shop_domain: str = SHOP) -> dict[str, Item]:
    """Every item the QBO company holds, inactive ones too, by name."""
    qb = client_for(Shop.by_domain(shop_domain).quickbooks_connection)
    found = Item.where("Active IN (true, false)", max_results=1000, qb=qb)
    return {i.Name: i for i in found}


def rows(status: LedgerStatus | None = None) -> list[LedgerEntry]:
    """The shop's product-variant ledger rows."""
    query = db.session.query(LedgerEntry).filter_by(kind=LedgerKind.PRODUCT_VARIANT)
    return query.filter_by(status=status).all() if status else query.all()


def test_variants_become_items_with_price_and_cost(store, worker, qbo_emulator) -> None:
    run = run_products(worker, SHOP)
    assert run.status == RunStatus.PARTIAL, run.error  # the variant without SKU is reported
    assert (run.created_count, run.failed_count) == (3, 1)
    made = items()
    mug = made["Mug (MUG-1)"]
    assert (mug.Sku, Decimal(str(mug.UnitPrice)), Decimal(str(mug.PurchaseCost))) == (
        "MUG-1",
        Decimal("12.50"),
        Decimal("4.10"),
    )
    assert made["T-Shirt - S (TS-S)"].Type == "NonInventory"
    assert "T-Shirt - L (TS-L)" in made
    linked = {r.shopify_name: r.qbo_id for r in rows(LedgerStatus.POSTED)}
    assert linked["Mug"] == mug.Id
    (failed,) = rows(LedgerStatus.FAILED)
    assert failed.shopify_name == "T-Shirt - XL" and "no SKU" in failed.last_error
    assert "add a SKU" in failed.last_error_fix


def test_second_run_writes_nothing_to_quickbooks(store, worker, qbo_emulator) -> None:
    run_products(worker, SHOP)
    metered(qbo_emulator.url, reset=True)
    again = run_products(worker, SHOP, full=True)
    assert again.created_count == 0 and again.updated_count == 0, again.error
    assert metered(qbo_emulator.url) == {"reads": 0, "writes": 0}


def test_existing_items_are_linked_not_created(store, worker, qbo_emulator) -> None:
    qb = client_for(Shop.by_domain(SHOP).quickbooks_connection)
    mine = Item()
    mine.Name, mine.Sku, mine.Type = "Our mug", "MUG-1", "Service"
    mine.IncomeAccountRef = next(iter(items().values())).IncomeAccountRef
    mine.save(qb=qb)
    run = run_products(worker, SHOP)
    assert run.created_count == 2
    mug_row = next(r for r in rows() if r.shopify_name == "Mug")
    assert mug_row.qbo_id == mine.Id
    assert items()["Our mug"].Type == "Service"  # type and accounts are the merchant's


def test_name_collisions_get_a_number_never_a_failure(
    make_store, merchant, worker, qbo_emulator
) -> None:
    def catalogue(store: Store) -> None:
        set_product(store, "Mug", [("Default Title", "MUG-1", "12.50", None)])

    store = make_store(SHOP, orders=catalogue, sales={"sku_match_field": "sku"})
    merchant(SHOP).put_settings({"products": {"enabled": True}})
    qb = client_for(Shop.by_domain(SHOP).quickbooks_connection)
    taken = Item()
    taken.Name, taken.Type, taken.Sku = "mug (mug-1)", "Service", "OTHER"
    taken.IncomeAccountRef = next(iter(items().values())).IncomeAccountRef
    taken.save(qb=qb)
    taken.Active = False  # names of inactive items are taken too
    taken.save(qb=qb)
    set_product(store, "Mug", [("Default Title", "MUG-2", "12.50", None)])
    run = run_products(worker, SHOP)
    assert run.status == RunStatus.SUCCEEDED, run.error
    names = set(items())
    assert {"Mug (MUG-1) (2)", "Mug (MUG-2)"} <= names


def test_linked_items_follow_changes_only_when_chosen(
    store, worker, qbo_emulator, merchant
) -> None:
    run_products(worker, SHOP)
    mug = next(r for r in rows() if r.shopify_name == "Mug")
    set_product(
        store,
        "Mug XL",
        [("Default Title", "MUG-1", "14.00", "4.10")],
        f"gid://shopify/Product/{mug.parent_shopify_id}",
        [f"gid://shopify/ProductVariant/{mug.shopify_id}"],
    )
    metered(qbo_emulator.url, reset=True)
    run_products(worker, SHOP)
    assert metered(qbo_emulator.url)["writes"] == 0  # updates are off
    assert "Mug (MUG-1)" in items()
    merchant(SHOP).put_settings({"products": {"update_existing_items": True}})
    run = run_products(worker, SHOP, full=True)
    assert run.updated_count == 1, run.error
    item = items()["Mug XL (MUG-1)"]
    assert item.Id == mug.qbo_id and Decimal(str(item.UnitPrice)) == Decimal("14.00")
    assert item.Type == "NonInventory"  # never changed
    metered(qbo_emulator.url, reset=True)
    run_products(worker, SHOP, full=True)
    assert metered(qbo_emulator.url)["writes"] == 0


def test_deleted_products_retire_their_items_only_when_chosen(
    store, worker, qbo_emulator, merchant
) -> None:
    run_products(worker, SHOP)
    shirt = next(r for r in rows() if r.shopify_name == "T-Shirt - S")
    delete_product(store, f"gid://shopify/Product/{shirt.parent_shopify_id}")
    run_products(worker, SHOP)
    assert items()["T-Shirt - S (TS-S)"].Active is True
    merchant(SHOP).put_settings({"products": {"deactivate_deleted_items": True}})
    run = run_products(worker, SHOP)
    assert run.status in (RunStatus.SUCCEEDED, RunStatus.PARTIAL), run.error
    now = items()
    assert now["T-Shirt - S (TS-S)"].Active is False
    assert now["T-Shirt - L (TS-L)"].Active is False
    assert now["Mug (MUG-1)"].Active is True


def test_hourly_run_reads_only_products_changed_since(
    make_store, merchant, worker, qbo_emulator, shopify_emulator
) -> None:
    def catalogue(store: Store) -> None:
        clock = f"{shopify_emulator.url}/_emulator/clock"
        requests.post(clock, json={"advance": -7200}, timeout=10).raise_for_status()
        for n in range(3):  # made two hours ago
            set_product(store, f"Cup {n}", [("Default Title", f"CUP-{n}", "3.00", None)])
        requests.post(clock, json={"reset": True}, timeout=10).raise_for_status()

    store = make_store(SHOP, orders=catalogue, sales={"sku_match_field": "sku"})
    merchant(SHOP).put_settings({"products": {"enabled": True}})
    first = run_products(worker, SHOP)
    assert (first.created_count, first.progress_total) == (3, 3), first.error
    set_product(store, "Bowl", [("Default Title", "BOWL-1", "9.00", None)])
    second = run_products(worker, SHOP)
    assert (second.created_count, second.progress_total) == (1, 1), second.error
    assert "Bowl (BOWL-1)" in items()


def test_a_link_to_an_item_the_company_lacks_is_found_again_by_sku(
    store, worker, qbo_emulator, merchant
) -> None:
    run_products(worker, SHOP)
    mug = next(r for r in rows() if r.shopify_name == "Mug")
    right = mug.qbo_id
    mug.qbo_id, mug.fingerprint = "999999", None  # as after reconnecting to another company
    db.session.commit()
    merchant(SHOP).put_settings({"products": {"update_existing_items": True}})
    again = run_products(worker, SHOP, full=True)
    assert again.status == RunStatus.SUCCEEDED, again.error  # the no-SKU variant: already told
    db.session.expire_all()
    assert next(r for r in rows() if r.shopify_name == "Mug").qbo_id == right
    assert again.created_count == 0
