"""The corpus: hundreds of generated orders posted to US and non-US (CA, UK, AU) companies, with
each document type and customer mode — every QBO document reconciled to the cent with Shopify's
current totals, and a second run posting nothing."""

from __future__ import annotations

from decimal import Decimal

from quickbooks.objects.invoice import Invoice
from quickbooks.objects.salesreceipt import SalesReceipt

from clients.shopify_paging import paginate
from extensions import db
from models import LedgerEntry, LedgerStatus, RunStatus, Shop
from services.quickbooks_connection import client_for
from tests.corpus import generate
from tests.sales_store import ALL_STATUSES, Store

TOTALS = """query($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query) { nodes { id name test cancelledAt
    currentTotalPriceSet { shopMoney { amount } } currentTotalTaxSet { shopMoney { amount } }
    totalReceivedSet { shopMoney { amount } } totalRefundedSet { shopMoney { amount } }
    transactions(first: 20) { kind status gateway test amountSet { shopMoney { amount } } } }
    pageInfo { hasNextPage endCursor } } }"""
GIFT_CARD_SIGN = {"SALE": 1, "CAPTURE": 1, "REFUND": -1}


def gift_cards_redeemed(node: dict) -> Decimal:
    """What gift cards paid for the order, net of refunds to them (a line on the document)."""
    return sum(
        (
            GIFT_CARD_SIGN.get(t["kind"], 0) * Decimal(t["amountSet"]["shopMoney"]["amount"])
            for t in node["transactions"]
            if t["gateway"] == "gift_card" and t["status"] == "SUCCESS" and not t["test"]
        ),
        Decimal(0),
    )


def shopify_totals(store: Store) -> dict[str, tuple[Decimal, Decimal, Decimal, Decimal]]:
    """Each order's current total, tax, money kept (received less refunded) and gift cards
    redeemed, now."""

    def amount(node: dict, field: str) -> Decimal:
        return Decimal(node[field]["shopMoney"]["amount"])

    nodes = paginate(store.owner, TOTALS, {"query": None}, "orders", page_size=10)
    return {
        n["name"]: (
            amount(n, "currentTotalPriceSet"),
            amount(n, "currentTotalTaxSet"),
            amount(n, "totalReceivedSet") - amount(n, "totalRefundedSet"),
            gift_cards_redeemed(n),
        )
        for n in nodes
    }


def assert_reconciled(store: Store, entity: type) -> int:
    """Every posted document equals Shopify's current total (less gift cards redeemed, a line on
    it) and tax; returns how many."""
    shop = Shop.by_domain(store.domain)
    qb = client_for(shop.quickbooks_connection)
    documents = {d.Id: d for d in entity.all(max_results=1000, qb=qb)}
    current = shopify_totals(store)
    posted = (
        db.session.query(LedgerEntry).filter_by(shop_id=shop.id, status=LedgerStatus.POSTED).all()
    )
    for row in posted:
        document = documents[row.qbo_id]
        total, tax, kept, gift = current[row.shopify_name]
        assert Decimal(str(document.TotalAmt)) == total - gift, row.shopify_name
        assert Decimal(str(document.TxnTaxDetail.TotalTax or 0)) == tax, row.shopify_name
        if entity is Invoice:  # payments recorded and linked: what is owed is what is unpaid
            assert Decimal(str(document.Balance)) == max(total - kept, 0), row.shopify_name
        assert not (row.last_error or "").startswith("Reconciliation"), row.last_error
    assert len(documents) == len(posted)  # one document per posted order, no more
    return len(posted)


def test_canadian_store_posts_invoices_with_payments_to_the_cent(
    shopify_emulator, connect, merchant
) -> None:
    store = Store(shopify_emulator, "maple.myshopify.com", currency="CAD")
    taxes = [[("GST", "0.05")], [("HST", "0.13")], [("GST", "0.05"), ("PST", "0.07")], []]
    generate(store, 160, "CAD", taxes, inclusive=False)
    connect(store, "ca")
    domain = store.domain
    merchant(domain).put_sales_settings(
        document_type="invoice",
        customer_mode="company",
        financial_statuses=ALL_STATUSES,
        qbo_untaxed_tax_code_id=merchant(domain).first_choice("tax_codes", "Zero-rated"),
        qbo_discount_item_id=merchant(domain).first_choice("items", "Discount"),
        qbo_shipping_item_id=merchant(domain).first_choice("items", "Shipping"),
    )
    first = merchant(domain).sync()
    assert first.failed_count > 0  # the taxes are not mapped yet: every taxed order waits
    failed = merchant(domain).api("GET", "/api/ledger/failed").get_json()["failed"]
    assert all("is not mapped" in f["reason"] for f in failed), failed[:3]
    merchant(domain).map_taxes(
        {"GST 5%": "GST", "HST 13%": "HST ON", "GST 5% + PST 7%": "GST/PST BC"},
    )
    retried = merchant(domain).sync(retry=True)
    failed = merchant(domain).api("GET", "/api/ledger/failed").get_json()["failed"]
    assert retried.status == RunStatus.SUCCEEDED, [f["reason"] for f in failed][:8]
    assert assert_reconciled(store, Invoice) >= 120
    merchant(domain).assert_second_run_posts_nothing()


def test_uk_store_posts_tax_inclusive_receipts_for_one_generic_customer(
    shopify_emulator, connect, merchant
) -> None:
    store = Store(shopify_emulator, "tea.myshopify.com", currency="GBP")
    taxes = [[("VAT", "0.2")], [("VAT", "0.05")], []]
    generate(store, 150, "GBP", taxes, inclusive=True, seed=11)
    connect(store, "uk")
    domain = store.domain
    merchant(domain).put_sales_settings(
        customer_mode="generic",
        generic_customer_name="Online Sales",
        financial_statuses=["PAID", "PARTIALLY_REFUNDED"],
        qbo_untaxed_tax_code_id=merchant(domain).first_choice("tax_codes", "0.0% Z"),
    )
    merchant(domain).sync()
    merchant(domain).map_taxes({"VAT 20%": "20.0% S", "VAT 5%": "5.0% R"})
    retried = merchant(domain).sync(retry=True)
    failed = merchant(domain).api("GET", "/api/ledger/failed").get_json()["failed"]
    assert retried.status == RunStatus.SUCCEEDED, [f["reason"] for f in failed][:8]
    assert assert_reconciled(store, SalesReceipt) >= 100
    qb = client_for(Shop.by_domain(domain).quickbooks_connection)
    customers = {r.CustomerRef.value for r in SalesReceipt.all(max_results=1000, qb=qb)}
    assert len(customers) == 1  # everything to the generic customer
    receipts = SalesReceipt.all(max_results=1000, qb=qb)
    assert {r.GlobalTaxCalculation for r in receipts} == {"TaxInclusive"}
    merchant(domain).assert_second_run_posts_nothing()


def test_australian_store_posts_tax_inclusive_receipts_with_gst_to_the_cent(
    shopify_emulator, connect, merchant
) -> None:
    store = Store(shopify_emulator, "kangaroo.myshopify.com", currency="AUD")
    generate(store, 140, "AUD", [[("GST", "0.1")], []], inclusive=True, seed=23)
    connect(store, "au")
    domain = store.domain
    merchant(domain).put_sales_settings(
        financial_statuses=["PAID", "PARTIALLY_REFUNDED"],
        qbo_untaxed_tax_code_id=merchant(domain).first_choice("tax_codes", "GST free"),
    )
    merchant(domain).sync()
    merchant(domain).map_taxes({"GST 10%": "GST"})
    retried = merchant(domain).sync(retry=True)
    failed = merchant(domain).api("GET", "/api/ledger/failed").get_json()["failed"]
    assert retried.status == RunStatus.SUCCEEDED, [f["reason"] for f in failed][:8]
    assert assert_reconciled(store, SalesReceipt) >= 100
    qb = client_for(Shop.by_domain(domain).quickbooks_connection)
    receipts = SalesReceipt.all(max_results=1000, qb=qb)
    assert {r.GlobalTaxCalculation for r in receipts} == {"TaxInclusive"}
    assert {r.CurrencyRef.value for r in receipts} == {"AUD"}
    merchant(domain).assert_second_run_posts_nothing()


def test_us_demo_store_posts_sales_receipts_per_customer(
    shopify_emulator, connect, merchant
) -> None:
    from emulators.shopify.seed import seed_store

    store = Store(shopify_emulator, "demo-us.myshopify.com")
    seed_store(shopify_emulator.url, shopify_emulator.port, store.owner.access_token, orders=300)
    connect(store, "us")
    domain = store.domain
    income = merchant(domain).first_choice("accounts?type=Income", "Sales")
    # the company's item on the gift card liability (as Intuit has merchants keep gift cards)
    gift_card_item = merchant(domain).first_choice("items", "Gift Card")
    merchant(domain).put_settings(
        {
            "sales": {
                "qbo_income_account_id": income,
                "sku_match_field": "sku",
                "financial_statuses": ["PAID", "PARTIALLY_REFUNDED"],
                "qbo_gift_card_item_id": gift_card_item,
            },
        },
    )
    run = merchant(domain).sync()
    failed = merchant(domain).api("GET", "/api/ledger/failed").get_json()["failed"]
    assert run.status == RunStatus.SUCCEEDED, [f["reason"] for f in failed][:8]
    assert assert_reconciled(store, SalesReceipt) >= 250
    merchant(domain).assert_second_run_posts_nothing()
