"""Sales options seen in QuickBooks itself: numbering, class and location, inventory items,
the default product, and the integration start date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from quickbooks.objects.item import Item
from quickbooks.objects.salesreceipt import SalesReceipt

from extensions import db
from jobs.sales_job import sync_orders
from models import LedgerEntry, LedgerStatus, Shop, Trigger, Workflow
from services.quickbooks_connection import client_for
from services.runs import queue_run
from tests.sales_store import Store, money

SHOP = "options.myshopify.com"


@pytest.fixture
def store(make_store) -> Store:
    """Three paid orders with new SKUs, connected to a US company tracking classes/locations."""

    def orders(store: Store) -> None:
        for n, sku in enumerate(("LAMP-1", "LAMP-2", "LAMP-1")):
            store.order(
                lineItems=[
                    {"title": f"Lamp {n}", "sku": sku, "quantity": 2, "priceSet": money("19.99")}
                ]
            )

    return make_store(SHOP, orders=orders)


def settings(merchant, **sales: object) -> None:
    """Sales settings plus the income account every option here needs."""
    merchant(SHOP).put_sales_settings(**sales)


def run() -> None:
    """One sales run."""
    shop = Shop.by_domain(SHOP)
    sync_orders(shop.id, queue_run(shop.id, Workflow.SALES, Trigger.MANUAL).id)


def ref(line: object, name: str) -> str:
    """A reference's value on a sales line (python-quickbooks leaves the detail a dict)."""
    detail = line.SalesItemLineDetail
    value = detail[name] if isinstance(detail, dict) else getattr(detail, name)
    return value["value"] if isinstance(value, dict) else value.value


def receipts() -> list[SalesReceipt]:
    """The company's sales receipts."""
    qb = client_for(Shop.by_domain(SHOP).quickbooks_connection)
    return SalesReceipt.all(max_results=1000, qb=qb)


def test_prefixed_numbers_class_and_location(store, merchant) -> None:
    klass = merchant(SHOP).first_choice("classes", "")
    location = merchant(SHOP).first_choice("departments", "")
    settings(
        merchant,
        order_number_prefix="WEB-",
        qbo_class_id=klass,
        qbo_department_id=location,
    )
    run()
    posted = receipts()
    assert sorted(r.DocNumber for r in posted) == sorted(
        f"WEB-{o['name'].lstrip('#')}" for o in store.orders
    )
    assert all(r.DepartmentRef.value == location for r in posted)
    lines = [ln for r in posted for ln in r.Line if ln.DetailType == "SalesItemLineDetail"]
    assert lines and all(ref(ln, "ClassRef") == klass for ln in lines)
    assert all(
        o["name"] in r.PrivateNote
        for r, o in zip(
            sorted(posted, key=lambda r: r.DocNumber),
            sorted(store.orders, key=lambda o: o["name"]),
            strict=True,
        )
    )


def test_automatic_numbers_leave_numbering_to_quickbooks(store, merchant) -> None:
    settings(merchant, order_number_prefix="WEB-", auto_doc_number=True)
    run()
    assert not any((r.DocNumber or "").startswith("WEB-") for r in receipts())
    assert {r.PrivateNote.split()[2] for r in receipts()} == {o["name"] for o in store.orders}


def test_inventory_items_are_created_with_accounts_and_start_date(store, merchant) -> None:
    start = date.today() - timedelta(days=30)
    cogs = merchant(SHOP).first_choice("accounts?type=Cost of Goods Sold", "")
    asset = merchant(SHOP).first_choice("accounts?type=Other Current Asset", "Inventory")
    merchant(SHOP).put_settings({"sync": {"integration_start_date": start.isoformat()}})
    settings(
        merchant,
        item_type="inventory",
        inventory_start_date=start.isoformat(),
        qbo_cogs_account_id=cogs,
        qbo_asset_account_id=asset,
    )
    run()
    qb = client_for(Shop.by_domain(SHOP).quickbooks_connection)
    lamps = [i for i in Item.all(max_results=1000, qb=qb) if i.Name.startswith("LAMP-")]
    assert sorted(i.Name for i in lamps) == ["LAMP-1", "LAMP-2"]  # one item per SKU, reused
    for lamp in lamps:
        assert lamp.Type == "Inventory" and lamp.TrackQtyOnHand
        assert lamp.AssetAccountRef.value == asset and lamp.ExpenseAccountRef.value == cogs
        assert lamp.InvStartDate == start.isoformat()
    assert len(receipts()) == 3


def test_default_product_takes_unknown_skus_when_item_creation_is_off(store, merchant) -> None:
    default = merchant(SHOP).first_choice("items", "Gardening")
    settings(merchant, create_items=False, qbo_default_item_id=default)
    run()
    lines = [ln for r in receipts() for ln in r.Line if ln.DetailType == "SalesItemLineDetail"]
    assert len(lines) == 3 and {ref(ln, "ItemRef") for ln in lines} == {default}


def test_orders_before_the_integration_start_date_are_never_posted(store, merchant) -> None:
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    merchant(SHOP).put_settings({"sync": {"integration_start_date": tomorrow}})
    settings(merchant)
    run()
    assert receipts() == []
    assert (
        db.session.query(LedgerEntry).filter(LedgerEntry.status == LedgerStatus.POSTED).count() == 0
    )
