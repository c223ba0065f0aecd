"""Orders sold in another currency than the shop's: booked in shop money, or — when the QBO
company has multi-currency — in the buyer's currency at the rate implied by Shopify's two money
bags, with a customer kept in that currency; every document reconciled to the cent both ways."""

from __future__ import annotations

from decimal import Decimal

import pytest
from quickbooks.objects.companycurrency import CompanyCurrency
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.salesreceipt import SalesReceipt

from clients.shopify_paging import paginate
from extensions import db
from models import LedgerEntry, LedgerStatus, RunStatus, Shop
from services.quickbooks_connection import client_for
from tests.corpus import generate
from tests.sales_store import ALL_STATUSES, Store

BAGS = """query($first: Int!, $after: String) { orders(first: $first, after: $after) {
  nodes { name presentmentCurrencyCode
    currentTotalPriceSet { shopMoney { amount } presentmentMoney { amount } }
    currentTotalTaxSet { shopMoney { amount } presentmentMoney { amount } } }
  pageInfo { hasNextPage endCursor } } }"""
TAXES = [[("VAT", "0.2")], [("VAT", "0.05")], []]


def totals(store: Store) -> dict[str, dict]:
    """Each order's currency and current total and tax in shop and presentment money."""

    def pair(node: dict, field: str) -> tuple[Decimal, Decimal]:
        bag = node[field]
        return Decimal(bag["shopMoney"]["amount"]), Decimal(bag["presentmentMoney"]["amount"])

    return {
        n["name"]: {
            "currency": n["presentmentCurrencyCode"],
            "total": pair(n, "currentTotalPriceSet"),
            "tax": pair(n, "currentTotalTaxSet"),
        }
        for n in paginate(store.owner, BAGS, {}, "orders", page_size=100)
    }


def posted(domain: str) -> list[LedgerEntry]:
    """The shop's posted ledger rows."""
    shop = Shop.by_domain(domain)
    return (
        db.session.query(LedgerEntry).filter_by(shop_id=shop.id, status=LedgerStatus.POSTED).all()
    )


def set_up(merchant, store: Store, document_type: str, mode: str) -> None:
    """UK settings: every status, the zero-rated code, VAT mapped."""
    domain = store.domain
    merchant(domain).put_sales_settings(
        document_type=document_type,
        customer_mode=mode,
        financial_statuses=ALL_STATUSES,
        qbo_untaxed_tax_code_id=merchant(domain).first_choice("tax_codes", "0.0% Z"),
    )


@pytest.mark.parametrize(
    ("document_type", "mode"), [("invoice", "original"), ("sales_receipt", "generic")]
)
def test_multicurrency_company_books_euro_orders_in_euros_to_the_cent(
    shopify_emulator, connect, document_type, mode, merchant
) -> None:
    store = Store(shopify_emulator, f"euro-{mode}.myshopify.com", currency="GBP")
    generate(store, 120, "GBP", TAXES, inclusive=True, seed=5, presentment="EUR")
    connect(store, "uk", multi_currency=True)
    set_up(merchant, store, document_type, mode)
    domain = store.domain
    merchant(domain).sync()
    merchant(domain).map_taxes({"VAT 20%": "20.0% S", "VAT 5%": "5.0% R"})
    run = merchant(domain).sync(retry=True)
    failed = merchant(domain).api("GET", "/api/ledger/failed").get_json()["failed"]
    assert run.status == RunStatus.SUCCEEDED and not failed, [f["reason"] for f in failed][:5]

    qb = client_for(Shop.by_domain(domain).quickbooks_connection)
    entity = Invoice if document_type == "invoice" else SalesReceipt
    documents = {d.Id: d for d in entity.all(max_results=1000, qb=qb)}
    customers = {c.Id: c for c in Customer.all(max_results=1000, qb=qb)}
    shopify = totals(store)
    rows = posted(domain)
    assert len(rows) == len(documents) >= 90
    euros = 0
    for row in rows:
        doc, order = documents[row.qbo_id], shopify[row.shopify_name]
        currency = doc.CurrencyRef.value
        customer = customers[doc.CustomerRef.value]
        assert currency == order["currency"] == customer.CurrencyRef.value, row.shopify_name
        side = 1 if currency == "EUR" else 0
        assert Decimal(str(doc.TotalAmt)) == order["total"][side], row.shopify_name
        assert Decimal(str(doc.TxnTaxDetail.TotalTax or 0)) == order["tax"][side], row.shopify_name
        if currency == "EUR":
            euros += 1
            assert Decimal(str(doc.HomeTotalAmt)) == order["total"][0], row.shopify_name
            assert customer.DisplayName.endswith("(EUR)")
        else:
            assert not customer.DisplayName.endswith(")")
        assert not (row.last_error or "").startswith("Reconciliation"), row.last_error
    assert euros >= 40
    codes = {c.Code for c in CompanyCurrency.all(qb=qb)}
    assert "EUR" in codes  # added by the app on first need
    if document_type == "invoice":  # payments in the invoice's currency, linked
        paid = [d for d in documents.values() if Decimal(str(d.Balance)) == 0 and d.TotalAmt]
        assert any(d.CurrencyRef.value == "EUR" for d in paid)
    merchant(domain).assert_second_run_posts_nothing()


@pytest.fixture
def untaxed_store(shopify_emulator, connect, merchant):
    """A pound store selling every other order in euros, untaxed, on a UK company."""

    def make(domain: str, count: int, multi_currency: bool) -> Store:
        store = Store(shopify_emulator, domain, currency="GBP")
        generate(store, count, "GBP", [[]], inclusive=True, seed=3, presentment="EUR")
        connect(store, "uk", multi_currency=multi_currency)
        set_up(merchant, store, "sales_receipt", "original")
        return store

    return make


def test_without_multicurrency_euro_orders_are_booked_in_shop_money(
    untaxed_store, merchant
) -> None:
    store = untaxed_store("euro-home.myshopify.com", 30, multi_currency=False)
    run = merchant(store.domain).sync()
    assert run.status == RunStatus.SUCCEEDED and run.failed_count == 0, run.error
    qb = client_for(Shop.by_domain(store.domain).quickbooks_connection)
    documents = {d.Id: d for d in SalesReceipt.all(max_results=1000, qb=qb)}
    shopify = totals(store)
    for row in posted(store.domain):
        doc = documents[row.qbo_id]
        assert doc.CurrencyRef.value == "GBP"
        assert Decimal(str(doc.TotalAmt)) == shopify[row.shopify_name]["total"][0]
    assert any(o["currency"] == "EUR" for o in shopify.values())


def test_a_currency_turned_off_in_quickbooks_fails_only_its_orders(untaxed_store, merchant) -> None:
    store = untaxed_store("euro-off.myshopify.com", 20, multi_currency=True)
    qb = client_for(Shop.by_domain(store.domain).quickbooks_connection)
    euro = CompanyCurrency()
    euro.Code = "EUR"
    euro.save(qb=qb)
    euro = CompanyCurrency.where("Code = 'EUR'", qb=qb)[0]
    euro.Active = False
    euro.save(qb=qb)
    merchant(store.domain).sync()
    failed = merchant(store.domain).api("GET", "/api/ledger/failed").get_json()
    reasons = {f["reason"] for f in failed["failed"]}
    assert reasons == {"The currency EUR is turned off in QuickBooks"}, reasons
    assert all("turn EUR back on" in f["fix"] for f in failed["failed"])
    assert posted(store.domain)  # the pound orders went through
    euro = CompanyCurrency.where("Code = 'EUR' AND Active = false", qb=qb)[0]
    euro.Active = True
    euro.save(qb=qb)
    retried = merchant(store.domain).sync(retry=True)
    assert retried.status == RunStatus.SUCCEEDED and retried.failed_count == 0, retried.error
