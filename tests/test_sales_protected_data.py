"""Orders post whatever protected customer data Shopify approved: names and emails at level 2,
one customer per Shopify customer id at level 1, the generic customer at level 0.

ref: https://shopify.dev/docs/apps/launch/protected-customer-data
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice

from models import RunStatus, Shop
from tests.sales_store import Store
from tests.support import register_shopify_app
from tests.test_sales_customers import buyer, customer_ids, email, install, qbo, sell, shopify_id

SHOP = "customers.myshopify.com"  # the shop of tests.test_sales_customers' fixtures
__all__ = ["install"]  # the fixture, used by name


@pytest.fixture
def store(make_store, qbo_emulator) -> Store:
    """A US store; its orders are made before the app is installed."""
    return make_store(SHOP, install=False)


def approve(app, shopify_emulator, level: int) -> None:
    """Shopify approved the app for protected customer data `level` (before it is installed)."""
    register_shopify_app(app, shopify_emulator.url, protected_customer_data=level)


def invoices_by_order(merchant) -> dict[str, tuple[Customer, Invoice]]:
    """Sync, then each order's (by name) invoice and its customer."""
    run = merchant(SHOP).sync()
    assert run.status == RunStatus.SUCCEEDED and run.failed_count == 0, run.error
    customers = {c.Id: c for c in Customer.all(max_results=1000, qb=qbo())}
    invoices = Invoice.all(max_results=1000, qb=qbo())
    return {i.PrivateNote.split()[2]: (customers[i.CustomerRef.value], i) for i in invoices}


def status(merchant) -> dict:
    """The embedded page's status API, Shopify side."""
    return merchant(SHOP).api("GET", "/api/status").get_json()["shopify"]


def orders(store: Store) -> tuple[dict, dict, dict, dict]:
    """Ada twice, another Ada Lovelace (another email), and a guest order."""
    ada = sell(store, "10.00", customer=buyer("ada@example.com"))
    again = sell(store, "15.25", customer=buyer("ada@example.com"))
    other = sell(store, "20.10", customer=buyer("ada.l@example.org"))
    guest = sell(store, "7.05")
    return ada, again, other, guest


def test_level_2_books_names_and_emails(store, install, merchant) -> None:
    ada = sell(store, "10.00", customer=buyer("ada@example.com"))
    install()
    customer, invoice = invoices_by_order(merchant)[ada["name"]]
    assert (customer.DisplayName, email(customer)) == ("Ada Lovelace", "ada@example.com")
    assert Decimal(str(invoice.TotalAmt)) == ada["total"]
    assert status(merchant)["missing_approval"] is None


@pytest.mark.parametrize("bulk_from", [1, 100])  # one bulk operation, or pages
def test_level_1_books_each_shopify_customer_by_its_id(
    app, shopify_emulator, store, install, bulk_from: int, merchant
) -> None:
    app.config["SHOPIFY_BULK_MIN_ORDERS"] = bulk_from
    approve(app, shopify_emulator, 1)
    ada, again, other, guest = orders(store)
    install()
    before = customer_ids()
    on = invoices_by_order(merchant)
    assert Shop.by_domain(SHOP).shopify_customer_data == 1
    names = {
        name: on[o["name"]][0].DisplayName
        for name, o in (("ada", ada), ("again", again), ("other", other), ("guest", guest))
    }
    assert names == {
        "ada": f"Shopify customer {shopify_id(ada, store)}",
        "again": f"Shopify customer {shopify_id(ada, store)}",
        "other": f"Shopify customer {shopify_id(other, store)}",
        "guest": "Shopify Sales",
    }
    assert on[ada["name"]][0].Id == on[again["name"]][0].Id != on[other["name"]][0].Id
    assert all(email(c) is None for c, _ in on.values())
    for order in (ada, again, other, guest):
        assert Decimal(str(on[order["name"]][1].TotalAmt)) == order["total"]
    assert sum(Decimal(str(i.TotalAmt)) for _, i in on.values()) == Decimal("52.40")
    created = customer_ids() - before
    merchant(SHOP).assert_second_run_posts_nothing()
    assert customer_ids() - before == created
    message = status(merchant)["missing_approval"]
    assert "names and emails (protected customer data level 2)" in message
    assert "Shopify id" in message


def test_level_0_books_every_order_on_the_generic_customer(
    app, shopify_emulator, store, install, merchant
) -> None:
    approve(app, shopify_emulator, 0)
    placed = orders(store)
    install()
    on = invoices_by_order(merchant)
    assert Shop.by_domain(SHOP).shopify_customer_data == 0
    assert {on[o["name"]][0].DisplayName for o in placed} == {"Shopify Sales"}
    assert sum(Decimal(str(i.TotalAmt)) for _, i in on.values()) == Decimal("52.40")
    merchant(SHOP).assert_second_run_posts_nothing()
    message = status(merchant)["missing_approval"]
    assert "protected customer data level 1" in message
