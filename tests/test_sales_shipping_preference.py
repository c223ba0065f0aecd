"""QBO's shipping preference (Preferences.SalesFormsPrefs.AllowShipping): with shipping off on
the company's sales forms the built-in shipping line does not exist, so shipping is posted on the
merchant's chosen shipping item; without one, only orders that charge shipping fail, with a plain
reason and fix, and post to the cent once an item is chosen. The company's preferences are re-read
when they are a day old, so a change made in QBO is followed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from quickbooks.objects.salesreceipt import SalesReceipt

from extensions import db
from models import LedgerEntry, LedgerStatus, RunStatus, Shop, utcnow
from services.quickbooks_connection import client_for
from tests.sales_store import Store, money

SHOP = "no-shipping.myshopify.com"
SHIPPING_OFF = {"SalesFormsPrefs": {"AllowShipping": False}}


def _orders(store: Store) -> dict[str, dict]:
    """An order charging shipping, one with free shipping and one without a shipping line."""
    mug = {"title": "Mug", "sku": "MUG-1", "priceSet": money("12.50"), "quantity": 2}
    return {
        "charged": store.order(
            lineItems=[mug], shippingLines=[{"title": "Post", "priceSet": money("5.00")}]
        ),
        "free": store.order(
            lineItems=[mug], shippingLines=[{"title": "Free", "priceSet": money("0.00")}]
        ),
        "none": store.order(lineItems=[mug]),
    }


def _receipts(domain: str) -> dict[str, SalesReceipt]:
    """Every sales receipt in the company by its Shopify order's name (in the memo)."""
    qb = client_for(Shop.by_domain(domain).quickbooks_connection)
    out = {}
    for receipt in SalesReceipt.all(max_results=100, qb=qb):
        out[receipt.PrivateNote.split()[2]] = receipt
    return out


def _item_lines(receipt: SalesReceipt) -> list[tuple[str, Decimal]]:
    return [
        (ln.SalesItemLineDetail["ItemRef"]["value"], Decimal(str(ln.Amount)))
        for ln in receipt.Line
        if ln.DetailType == "SalesItemLineDetail"
    ]


def test_shipping_goes_on_the_chosen_item_when_qbo_has_shipping_off(
    shopify_emulator, connect, merchant
) -> None:
    store = Store(shopify_emulator, SHOP)
    orders = _orders(store)
    connect(store, "us", preferences=SHIPPING_OFF)
    merchant(SHOP).put_sales_settings(sku_match_field="sku")

    first = merchant(SHOP).sync()
    assert first.status == RunStatus.PARTIAL and first.failed_count == 1
    failed = merchant(SHOP).api("GET", "/api/ledger/failed").get_json()["failed"]
    assert [f["name"] for f in failed] == [orders["charged"]["name"]]
    assert "shipping is turned off on your QuickBooks company's sales forms" in failed[0]["reason"]
    assert "Choose the shipping item in the sales settings" in failed[0]["fix"]
    assert "2500" not in failed[0]["reason"]  # caught before QBO was asked

    shipping = merchant(SHOP).first_choice("items", "Shipping")
    merchant(SHOP).put_sales_settings(qbo_shipping_item_id=shipping)
    assert merchant(SHOP).sync(retry=True).status == RunStatus.SUCCEEDED
    receipts = _receipts(SHOP)
    charged = receipts[orders["charged"]["name"]]
    assert (shipping, Decimal("5.00")) in _item_lines(charged)
    assert Decimal(str(charged.TotalAmt)) == Decimal("30.00")  # 2 × 12.50 + 5.00, to the cent
    assert all("SHIPPING_ITEM_ID" not in dict(_item_lines(r)) for r in receipts.values())
    assert {e.status for e in db.session.query(LedgerEntry)} == {LedgerStatus.POSTED}


def test_a_shipping_preference_changed_in_qbo_is_followed_once_the_facts_are_a_day_old(
    shopify_emulator, qbo_emulator, connect, merchant
) -> None:
    store = Store(shopify_emulator, SHOP)
    orders = _orders(store)
    connect(store, "us")  # shipping on when connected
    merchant(SHOP).put_sales_settings(sku_match_field="sku")
    shop = Shop.by_domain(SHOP)
    assert shop.quickbooks_connection.allow_shipping is True
    realm = shop.quickbooks_connection.realm_id
    qbo_emulator.control("POST", f"companies/{realm}/preferences", **SHIPPING_OFF)
    shop.quickbooks_connection.facts_refreshed_at = utcnow() - timedelta(days=2)
    db.session.commit()

    run = merchant(SHOP).sync()
    assert run.failed_count == 1
    failed = merchant(SHOP).api("GET", "/api/ledger/failed").get_json()["failed"]
    assert [f["name"] for f in failed] == [orders["charged"]["name"]]
    assert "shipping is turned off" in failed[0]["reason"]
    db.session.expire_all()
    assert Shop.by_domain(SHOP).quickbooks_connection.allow_shipping is False

    # turned back on in QBO: the built-in shipping line is used again
    qbo_emulator.control(
        "POST", f"companies/{realm}/preferences", SalesFormsPrefs={"AllowShipping": True}
    )
    connection = Shop.by_domain(SHOP).quickbooks_connection
    connection.facts_refreshed_at = utcnow() - timedelta(days=2)
    db.session.commit()
    assert merchant(SHOP).sync(retry=True).status == RunStatus.SUCCEEDED
    charged = _receipts(SHOP)[orders["charged"]["name"]]
    assert ("SHIPPING_ITEM_ID", Decimal("5.00")) in _item_lines(charged)
    assert Decimal(str(charged.TotalAmt)) == Decimal("30.00")
