"""Invoices posted without their payment (an old bug) are paid once from what Shopify received:
a second repair, or two at once, never pays an invoice twice; a dry run writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.payment import Payment

from clients.errors import RetryableError
from extensions import db
from jobs.sales_repair_job import repair_unpaid_invoices
from models import ConnectionStatus, LedgerEntry, LedgerStatus, RunStatus, Shop
from services.quickbooks_connection import client_for
from tests.sales_store import ALL_STATUSES, Store, money, one_line_orders
from tests.support import race

SHOP = "repair.myshopify.com"


@pytest.fixture
def store(make_store, worker, merchant) -> Store:
    """Four paid orders and one unpaid, posted as invoices by a real run, then the old bug
    simulated: every payment deleted in QBO and forgotten by the ledger."""

    def orders(store: Store) -> None:
        one_line_orders(store, 4, "Mug", "MUG-1", first_price=7)
        store.order(
            paid=False,
            lineItems=[{"title": "Mug", "sku": "MUG-1", "priceSet": money("9.99"), "quantity": 1}],
        )

    store = make_store(
        SHOP, orders=orders, sales={"document_type": "invoice", "financial_statuses": ALL_STATUSES}
    )
    run = merchant(SHOP).sync()
    assert run.status == RunStatus.SUCCEEDED and run.created_count == 5, run.error
    assert len(payments()) == 4
    for payment in payments():
        payment.delete(qb=qb())
    for entry in invoice_rows():
        entry.qbo_related = {"entity": "Invoice"}  # what the bug left: no payment ids
    db.session.commit()
    return store


def qb():
    """A client for the shop's QBO company."""
    return client_for(Shop.by_domain(SHOP).quickbooks_connection)


def payments() -> list[Payment]:
    """Every Payment in the company."""
    return Payment.all(max_results=1000, qb=qb())


def invoices() -> dict[str, Invoice]:
    """Invoices by id."""
    return {i.Id: i for i in Invoice.all(max_results=1000, qb=qb())}


def invoice_rows() -> list[LedgerEntry]:
    """The ledger rows of the posted invoices."""
    db.session.expire_all()
    return db.session.query(LedgerEntry).filter_by(status=LedgerStatus.POSTED).all()


def repair() -> dict[str, int]:
    """The RQ job, as a worker runs it."""
    return repair_unpaid_invoices(Shop.by_domain(SHOP).id)


def assert_paid_once(store: Store) -> None:
    """Every paid order's invoice is settled to the cent by exactly one payment; the unpaid one
    stays open."""
    by_invoice: dict[str, list[Payment]] = {}
    for payment in payments():
        for line in payment.Line:
            for link in line.LinkedTxn:
                by_invoice.setdefault(link.TxnId, []).append(payment)
    held = invoices()
    totals = {o["name"]: o["total"] for o in store.orders}
    for entry in invoice_rows():
        invoice = held[entry.qbo_id]
        total = Decimal(str(invoice.TotalAmt))
        assert total == totals[entry.shopify_name]
        if entry.shopify_name == store.orders[-1]["name"]:  # never paid in Shopify
            assert Decimal(str(invoice.Balance)) == total and entry.qbo_id not in by_invoice
            assert "payment_ids" not in entry.qbo_related
            continue
        paid = by_invoice[entry.qbo_id]
        assert Decimal(str(invoice.Balance)) == 0 and len(paid) == 1, entry.shopify_name
        assert Decimal(str(paid[0].TotalAmt)) == total
        assert entry.qbo_related["payment_ids"] == [paid[0].Id]


def test_repair_pays_each_invoice_once_and_a_second_repair_pays_none(store) -> None:
    assert repair() == {"paid": 4, "not_received": 1}
    assert_paid_once(store)
    before = len(payments())
    assert repair() == {"not_received": 1}  # the paid rows are repaired: no longer selected
    assert len(payments()) == before == 4
    assert_paid_once(store)


def test_invoices_paid_in_quickbooks_are_only_marked(store) -> None:
    repair()
    for entry in invoice_rows():  # the payments exist, but the ledger lost them again
        entry.qbo_related = {"entity": "Invoice"}
    db.session.commit()
    assert repair() == {"already_paid": 4, "not_received": 1}
    assert len(payments()) == 4
    assert_paid_once(store)


def test_two_repairs_at_once_pay_each_invoice_once(app, store) -> None:
    results = race(app, repair)
    assert sum(r.get("paid", 0) for r in results) == 4
    assert len(payments()) == 4
    assert_paid_once(store)


def test_dry_run_lists_what_it_would_pay_and_writes_nothing(runner, store) -> None:
    result = runner.invoke(args=["repair-payments", SHOP, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "4 would pay" in result.output and "1 not received" in result.output
    assert '"amount": "7.00"' in result.output and "invoices" in result.output
    assert payments() == []
    assert all(e.qbo_related == {"entity": "Invoice"} for e in invoice_rows())


def test_cli_repairs_with_a_summary(runner, store) -> None:
    result = runner.invoke(args=["repair-payments", SHOP])
    assert result.exit_code == 0, result.output
    assert "4 paid" in result.output
    assert_paid_once(store)
    again = runner.invoke(args=["repair-payments", SHOP])
    assert "1 not received" in again.output and "paid" not in again.output.split("\n")[-2]
    assert len(payments()) == 4


def test_a_payment_whose_answer_was_lost_is_not_posted_again(store, qbo_emulator) -> None:
    qbo_emulator.control(
        "POST", "faults", drop_after_commit=1, only_endpoint="/batch"
    ).raise_for_status()
    with pytest.raises(RetryableError):  # RQ retries the job
        repair()
    assert len(payments()) == 1  # QBO saved it; the answer never came
    assert repair() == {"already_paid": 1, "paid": 3, "not_received": 1}
    assert_paid_once(store)


def test_unknown_or_disconnected_shops_are_clean_errors(runner, store) -> None:
    unknown = runner.invoke(args=["repair-payments", "nobody.myshopify.com"])
    assert unknown.exit_code != 0 and "has not installed Ledgerbridge" in unknown.output
    Shop.by_domain(SHOP).quickbooks_connection.status = ConnectionStatus.NEEDS_RECONNECT
    db.session.commit()
    stopped = runner.invoke(args=["repair-payments", SHOP])
    assert stopped.exit_code != 0 and "QuickBooks is not connected" in stopped.output
    assert repair() == {}
    Shop.by_domain(SHOP).quickbooks_connection.status = ConnectionStatus.CONNECTED
    db.session.commit()
    assert payments() == []
