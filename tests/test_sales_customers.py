"""Invoices land on the right QBO customer: matched by email first, by display name only when that
customer has no other email, else a customer of its own named 'Ada Lovelace (Shopify <id>)'."""

from __future__ import annotations

import pytest
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice

from models import RunStatus, Shop
from services.quickbooks_connection import client_for
from tests.sales_store import Store, money

SHOP = "customers.myshopify.com"


def buyer(email: str, first: str = "Ada", last: str = "Lovelace") -> dict:
    """An order's customer input: a Shopify customer upserted by email."""
    return {"toUpsert": {"email": email, "firstName": first, "lastName": last}}


def sell(store: Store, price: str, **who: object) -> dict:
    """An unpaid one-line order (an invoice with a balance) for the buyer given."""
    line = {"title": "Notebook", "sku": "NB-1", "priceSet": money(price), "quantity": 1}
    return store.order(paid=False, lineItems=[line], **who)


@pytest.fixture
def store(make_store, qbo_emulator) -> Store:
    """A US store; its orders are made before the app is installed."""
    return make_store(SHOP, install=False)


@pytest.fixture
def install(store, merchant):
    """Install the app, connect a US QBO company, post every order as an invoice."""

    def installed() -> None:
        merchant(store.domain).install_and_connect()
        merchant(SHOP).put_sales_settings(
            document_type="invoice",
            customer_mode="original",
            financial_statuses=["PAID", "PENDING"],
        )

    return installed


def qbo():
    """The shop's QBO client."""
    return client_for(Shop.by_domain(SHOP).quickbooks_connection)


def existing_customer(name: str, email: str | None = None) -> str:
    """A customer the merchant already keeps in QBO; its Id."""
    customer = Customer()
    customer.DisplayName = name
    if email:
        customer.PrimaryEmailAddr = {"Address": email}
    return customer.save(qb=qbo()).Id


def invoiced(merchant) -> dict[str, Customer]:
    """Sync, then each order's (by name) invoice customer."""
    run = merchant(SHOP).sync()
    assert run.status == RunStatus.SUCCEEDED and run.failed_count == 0, run.error
    customers = {c.Id: c for c in Customer.all(max_results=1000, qb=qbo())}
    invoices = Invoice.all(max_results=1000, qb=qbo())
    return {i.PrivateNote.split()[2]: customers[i.CustomerRef.value] for i in invoices}


def customer_ids() -> set[str]:
    """The Ids of every customer in the QBO company (the template brings a few)."""
    return {c.Id for c in Customer.all(max_results=1000, qb=qbo())}


def email(customer: Customer) -> str | None:
    """A QBO customer's primary email."""
    return customer.PrimaryEmailAddr.Address if customer.PrimaryEmailAddr else None


def shopify_id(order: dict, store: Store) -> str:
    """The numeric id of the order's Shopify customer."""
    query = "query($id: ID!) { order(id: $id) { customer { id } } }"
    node = store.owner.execute(query, {"id": order["id"]})["data"]["order"]
    return node["customer"]["id"].rsplit("/", 1)[-1]


def test_two_people_of_one_name_get_a_customer_each(store, install, merchant) -> None:
    first = sell(store, "10.00", customer=buyer("ada@example.com"))
    second = sell(store, "20.00", customer=buyer("ada.l@example.org"))
    second_id = shopify_id(second, store)
    install()
    before = customer_ids()
    on = invoiced(merchant)
    ada, other = on[first["name"]], on[second["name"]]
    assert ada.Id != other.Id
    assert (ada.DisplayName, email(ada)) == ("Ada Lovelace", "ada@example.com")
    assert (other.DisplayName, email(other)) == (
        f"Ada Lovelace (Shopify {second_id})",
        "ada.l@example.org",
    )
    assert (ada.Balance, other.Balance) == (10, 20)
    merchant(SHOP).assert_second_run_posts_nothing()
    assert customer_ids() - before == {ada.Id, other.Id}


def test_a_customer_without_email_is_matched_by_name(store, install, merchant) -> None:
    order = sell(store, "10.00", customer=buyer("ada@example.com"))
    install()
    kept = existing_customer("Ada Lovelace")
    before = customer_ids()
    on = invoiced(merchant)
    assert on[order["name"]].Id == kept
    merchant(SHOP).assert_second_run_posts_nothing()
    assert customer_ids() == before


def test_a_namesake_with_another_email_gets_a_customer_of_its_own(store, install, merchant) -> None:
    order = sell(store, "10.00", customer=buyer("ada@example.com"))
    ada_id = shopify_id(order, store)
    install()
    kept = existing_customer("Ada Lovelace", "countess@example.com")
    before = customer_ids()
    customer = invoiced(merchant)[order["name"]]
    assert customer.Id != kept
    assert customer.DisplayName == f"Ada Lovelace (Shopify {ada_id})"
    assert email(customer) == "ada@example.com"
    merchant(SHOP).assert_second_run_posts_nothing()
    assert customer_ids() - before == {customer.Id}


def test_the_same_email_under_another_name_is_matched_by_email(store, install, merchant) -> None:
    order = sell(store, "10.00", customer=buyer("ada@example.com"))
    install()
    kept = existing_customer("A. A. Lovelace", "ada@example.com")
    before = customer_ids()
    assert invoiced(merchant)[order["name"]].Id == kept
    merchant(SHOP).assert_second_run_posts_nothing()
    assert customer_ids() == before


def test_a_guest_order_is_matched_and_created_by_its_own_email(store, install, merchant) -> None:
    address = {"firstName": "Grace", "lastName": "Hopper", "address1": "1 Main St"}
    known = sell(store, "10.00", email="guest@example.com", billingAddress=address)
    new = sell(store, "20.00", email="grace@example.net", billingAddress=address)
    install()
    kept = existing_customer("Guest Buyer", "guest@example.com")
    before = customer_ids()
    on = invoiced(merchant)
    assert on[known["name"]].Id == kept
    created = on[new["name"]]
    assert (created.DisplayName, email(created)) == ("Grace Hopper", "grace@example.net")
    merchant(SHOP).assert_second_run_posts_nothing()
    assert customer_ids() - before == {created.Id}
