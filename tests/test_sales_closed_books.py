"""Closed books: an order dated on or before QBO's closing date fails alone with a plain reason
naming the date and a fix; the rest of the batch posts; reopening the period lets a retry post."""

from __future__ import annotations

from decimal import Decimal

from extensions import db
from models import LedgerEntry, LedgerStatus, RunStatus
from tests.sales_store import Store, money

SHOP = "closed-books.myshopify.com"


def _line(title: str, sku: str, price: str) -> dict:
    return {"title": title, "sku": sku, "priceSet": money(price), "quantity": 1}


def _realm(qbo_emulator) -> str:
    return qbo_emulator.control("GET", "companies").json()["companies"][-1]["realm_id"]


def test_closed_period_fails_alone_with_the_date_then_posts_once_reopened(
    shopify_emulator, qbo_emulator, merchant
) -> None:
    store = Store(shopify_emulator, SHOP)
    old = store.order(
        processedAt="2026-06-15T18:00:00Z", lineItems=[_line("Gadget", "GS-1", "20.00")]
    )
    store.order(lineItems=[_line("Gadget", "GS-1", "30.00")])
    merchant(store.domain).install_and_connect()
    merchant(SHOP).put_settings({"sales": {"sku_match_field": "sku"}})
    realm = _realm(qbo_emulator)
    path = f"companies/{realm}/book_close_date"
    assert qbo_emulator.control("POST", path, date="2026-06-30").status_code == 200

    run = merchant(SHOP).sync()
    assert run.status == RunStatus.PARTIAL and (run.created_count, run.failed_count) == (1, 1)
    failed = merchant(SHOP).api("GET", "/api/ledger/failed").get_json()["failed"]
    assert [f["name"] for f in failed] == [old["name"]]
    assert failed[0]["reason"].startswith("QuickBooks books are closed up to 2026-06-30")
    assert "6210" in failed[0]["reason"] and "Reopen the period" in failed[0]["fix"]

    qbo_emulator.control("POST", path, date=None)
    assert merchant(SHOP).sync(retry=True).status == RunStatus.SUCCEEDED
    statuses = {e.status for e in db.session.query(LedgerEntry)}
    assert statuses == {LedgerStatus.POSTED}


def test_closed_period_is_a_data_error_under_6210_or_5010() -> None:
    from clients.errors import DataError
    from clients.quickbooks_faults import fault_error

    for code in ("6210", "5010"):
        error = fault_error(code, "Account Period Closed", "The account period has closed. {1}")
        assert isinstance(error, DataError) and error.code == "6210"
        assert "{1}" not in error.reason and error.reason.startswith("QuickBooks books are closed")


def test_merchant_may_date_closed_period_orders_the_day_after_the_close_date(
    shopify_emulator, qbo_emulator, merchant
) -> None:
    from quickbooks.objects.invoice import Invoice
    from quickbooks.objects.payment import Payment

    from models import Shop
    from services.quickbooks_connection import client_for

    store = Store(shopify_emulator, SHOP)
    old = store.order(
        processedAt="2026-06-15T18:00:00Z", lineItems=[_line("Gadget", "GS-1", "20.00")]
    )
    new = store.order(
        processedAt="2026-08-03T18:00:00Z", lineItems=[_line("Gadget", "GS-1", "30.00")]
    )
    merchant(store.domain).install_and_connect()
    sales = {"sku_match_field": "sku", "document_type": "invoice", "date_after_book_close": True}
    merchant(SHOP).put_settings({"sales": sales})
    path = f"companies/{_realm(qbo_emulator)}/book_close_date"
    assert qbo_emulator.control("POST", path, date="2026-06-30").status_code == 200

    run = merchant(SHOP).sync()
    assert run.status == RunStatus.SUCCEEDED and run.created_count == 2, run.error
    qb = client_for(Shop.by_domain(SHOP).quickbooks_connection)
    invoices = {i.PrivateNote.split()[2]: i for i in Invoice.all(qb=qb)}
    moved, kept = invoices[old["name"]], invoices[new["name"]]
    assert moved.TxnDate == "2026-07-01" and kept.TxnDate == "2026-08-03"
    assert "Shopify date 2026-06-15" in moved.PrivateNote
    assert "Shopify date" not in kept.PrivateNote
    assert (moved.TotalAmt, moved.Balance) == (Decimal("20.00"), Decimal("0"))  # paid in full
    payments = Payment.all(qb=qb)
    assert len(payments) == 2 and all(p.TxnDate > "2026-06-30" for p in payments)
