"""`flask sync`: a foreground run with a progress bar and a summary; --dry-run posts nothing."""

from __future__ import annotations

import json

import pytest
from quickbooks.objects.salesreceipt import SalesReceipt

from extensions import db
from models import LedgerEntry, Shop
from services.quickbooks_connection import client_for
from tests.sales_store import Store, one_line_orders

SHOP = "cli.myshopify.com"


@pytest.fixture
def store(make_store) -> Store:
    """Three paid orders and a connected company."""
    return make_store(
        SHOP,
        orders=lambda store: one_line_orders(store, 3, "Pen", "PEN-1", first_price=2),
        sales={},
    )


def receipts() -> int:
    """Sales receipts in the QBO company."""
    qb = client_for(Shop.by_domain(SHOP).quickbooks_connection)
    return len(SalesReceipt.all(max_results=1000, qb=qb))


def test_dry_run_prints_documents_and_posts_nothing(runner, store) -> None:
    result = runner.invoke(args=["sync", SHOP, "--workflow", "sales", "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert sorted(line["order"] for line in lines) == sorted(o["name"] for o in store.orders)
    assert all(line["document"]["doc_type"] == "sales_receipt" for line in lines)
    assert "3 would post" in result.output
    assert receipts() == 0 and db.session.query(LedgerEntry).count() == 0


def test_sync_posts_with_a_summary_and_a_second_run_posts_nothing(runner, store) -> None:
    first = runner.invoke(args=["sync", SHOP, "--since", "2000-01-01"])
    assert first.exit_code == 0, first.output
    assert "succeeded: 3 created" in first.output and "orders" in first.output
    second = runner.invoke(args=["sync", SHOP, "--since", "2000-01-01"])
    assert "succeeded: nothing to do" in second.output
    assert receipts() == 3


def test_unknown_shop_is_a_clean_error(runner, app) -> None:
    result = runner.invoke(args=["sync", "nobody.myshopify.com"])
    assert result.exit_code != 0 and "has not installed Ledgerbridge" in result.output
