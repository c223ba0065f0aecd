"""Ledger rows are created once and claimed by one poster at a time; runs keep their counts."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from clients.errors import DataError
from extensions import db
from jobs.ledger import claim, ensure_entries, record_failed, record_posted, unfinished
from jobs.runs import finish_run, queue_run, start_run
from models import LedgerEntry, LedgerKind, LedgerStatus, RunStatus, Shop, Trigger, Workflow
from tests.support import race


@pytest.fixture
def shop(app) -> Shop:
    """A shop."""
    shop = Shop(shop_domain="ledger.myshopify.com", installed_at=datetime.now(UTC))
    db.session.add(shop)
    db.session.commit()
    return shop


def orders(*ids: int) -> list[dict]:
    """Ledger inputs for orders."""
    return [{"shopify_id": str(i), "shopify_name": f"#{i}"} for i in ids]


def test_entries_are_created_once(shop) -> None:
    first = ensure_entries(shop.id, LedgerKind.ORDER, orders(1, 2))
    again = ensure_entries(shop.id, LedgerKind.ORDER, orders(2, 3))
    assert first["2"].id == again["2"].id
    assert db.session.query(LedgerEntry).count() == 3


def test_concurrent_creation_of_the_same_rows_makes_one_each(app, shop) -> None:
    shop_id = shop.id
    race(app, lambda: ensure_entries(shop_id, LedgerKind.ORDER, orders(*range(1, 21))))
    assert db.session.query(LedgerEntry).count() == 20


def test_a_row_is_claimed_by_one_poster_only(shop) -> None:
    entries = list(ensure_entries(shop.id, LedgerKind.ORDER, orders(1, 2)).values())
    won, request_id = claim(entries, run_id=None)
    assert len(won) == 2 and all(e.request_id == request_id for e in won)
    again, _ = claim(entries, run_id=None)
    assert again == []


def test_failed_rows_are_claimable_again_posted_rows_never(shop) -> None:
    entries = ensure_entries(shop.id, LedgerKind.ORDER, orders(1, 2))
    won, _ = claim(list(entries.values()), run_id=None)
    record_failed(entries["1"], DataError("SKU 'X' is not in QuickBooks", "add it"))
    record_posted(entries["2"], "SalesReceipt", "77")
    db.session.commit()
    retried, _ = claim(list(entries.values()), run_id=None)
    assert [e.shopify_id for e in retried] == ["1"] and retried[0].attempts == 2
    assert entries["2"].status == LedgerStatus.POSTED and entries["2"].attempts == 1


def test_rows_left_in_progress_are_found_by_request_id(shop) -> None:
    entries = list(ensure_entries(shop.id, LedgerKind.ORDER, orders(1, 2, 3)).values())
    _, first = claim(entries[:2], run_id=None)
    _, second = claim(entries[2:], run_id=None)
    groups = unfinished(shop.id, LedgerKind.ORDER)
    assert {k: [e.shopify_id for e in v] for k, v in groups.items()} == {
        first: ["1", "2"],
        second: ["3"],
    }


def test_a_run_ends_partial_when_items_failed(shop) -> None:
    run = queue_run(shop.id, Workflow.SALES, Trigger.MANUAL)
    start_run(run, total=3)
    finish_run(run, Counter(created=2, failed=1))
    assert run.status == RunStatus.PARTIAL and run.created_count == 2 and run.failed_count == 1
    other = queue_run(shop.id, Workflow.SALES, Trigger.HOURLY)
    start_run(other)
    finish_run(other, Counter(), error="QuickBooks needs reconnecting")
    assert other.status == RunStatus.FAILED and other.finished_at is not None
