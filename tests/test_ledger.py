"""Ledger rows are created once and claimed by one poster at a time; runs keep their counts."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from clients.errors import DataError
from extensions import db
from models import (
    LedgerEntry,
    LedgerKind,
    LedgerStatus,
    RunStatus,
    Shop,
    Trigger,
    Workflow,
    utcnow,
)
from services.ledger import (
    claim,
    ensure_entries,
    hold,
    record_failed,
    record_posted,
    take_over_expired,
)
from services.run_requests import request_run
from services.runs import (
    LeaseLost,
    RunBusy,
    beat,
    finish_run,
    queue_run,
    start_run,
)
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


def claim_for(entries: list, owner: str = "A", seconds: float = 60) -> tuple[list, str]:
    """Claim rows for an owner whose lease lasts `seconds`."""
    return claim(entries, None, owner, utcnow() + timedelta(seconds=seconds))


def test_a_row_is_claimed_by_one_poster_only(shop) -> None:
    entries = list(ensure_entries(shop.id, LedgerKind.ORDER, orders(1, 2)).values())
    won, request_id = claim_for(entries)
    assert len(won) == 2 and all(e.request_id == request_id for e in won)
    again, _ = claim_for(entries, "B")
    assert again == []


def test_failed_rows_are_claimable_again_posted_rows_never(shop) -> None:
    entries = ensure_entries(shop.id, LedgerKind.ORDER, orders(1, 2))
    claim_for(list(entries.values()))
    record_failed(entries["1"], DataError("SKU 'X' is not in QuickBooks", "add it"))
    record_posted(entries["2"], "SalesReceipt", "77")
    db.session.commit()
    retried, _ = claim_for(list(entries.values()))
    assert [e.shopify_id for e in retried] == ["1"] and retried[0].attempts == 2
    assert entries["2"].status == LedgerStatus.POSTED and entries["2"].attempts == 1


def test_rows_under_a_live_lease_are_never_taken_over(shop) -> None:
    """A run on another worker claimed them a moment ago: recovery leaves them alone."""
    entries = list(ensure_entries(shop.id, LedgerKind.ORDER, orders(1, 2)).values())
    claim_for(entries, "A")
    assert take_over_expired(shop.id, LedgerKind.ORDER, "B", utcnow()) == {}
    assert hold(entries, "A", utcnow() + timedelta(seconds=60))


def test_expired_rows_are_taken_over_by_request_id_and_their_old_owner_may_not_send(
    shop,
) -> None:
    entries = list(ensure_entries(shop.id, LedgerKind.ORDER, orders(1, 2, 3)).values())
    _, first = claim_for(entries[:2], "A", seconds=-1)
    _, second = claim_for(entries[2:], "A", seconds=-1)
    groups = take_over_expired(shop.id, LedgerKind.ORDER, "B", utcnow() + timedelta(seconds=60))
    assert {k: [e.shopify_id for e in v] for k, v in groups.items()} == {
        first: ["1", "2"],
        second: ["3"],
    }
    assert not hold(entries[:2], "A", utcnow() + timedelta(seconds=60))
    assert hold(entries[:2], "B", utcnow() + timedelta(seconds=60))


def test_a_run_ends_partial_when_items_failed(shop) -> None:
    run = queue_run(shop.id, Workflow.SALES, Trigger.MANUAL)
    owner = start_run(run.id, None)
    assert finish_run(run, owner, Counter(created=2, failed=1))
    assert run.status == RunStatus.PARTIAL and run.created_count == 2 and run.failed_count == 1
    other = queue_run(shop.id, Workflow.SALES, Trigger.HOURLY)
    finish_run(other, start_run(other.id, None), Counter(), error="QuickBooks needs reconnecting")
    assert other.status == RunStatus.FAILED and other.finished_at is not None


def test_one_run_per_shop_runs_at_a_time(shop) -> None:
    first = queue_run(shop.id, Workflow.SALES, Trigger.MANUAL)
    owner = start_run(first.id, None)
    second = queue_run(shop.id, Workflow.SALES, Trigger.WEBHOOK)
    with pytest.raises(RunBusy):
        start_run(second.id, None)
    finish_run(first, owner, Counter())
    assert start_run(second.id, None)


def test_a_run_whose_lease_ran_out_is_closed_by_the_next(app, shop) -> None:
    first = queue_run(shop.id, Workflow.SALES, Trigger.MANUAL)
    stale = start_run(first.id, None)
    first.lease_expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    second = queue_run(shop.id, Workflow.SALES, Trigger.HOURLY)
    assert start_run(second.id, None)
    db.session.refresh(first)
    assert first.status == RunStatus.ABANDONED
    assert not finish_run(first, stale, Counter(created=5))  # the dead worker writes nothing
    assert first.status == RunStatus.ABANDONED and first.created_count == 0


def test_triggers_coalesce_into_the_waiting_run(app, shop) -> None:
    shop_id = shop.id
    runs = race(
        app,
        lambda: request_run(shop_id, Workflow.SALES, Trigger.WEBHOOK, {"order_ids": ["7"]})[0].id,
        threads=3,
    )
    assert len(set(runs)) == 1
    run, created = request_run(shop_id, Workflow.SALES, Trigger.WEBHOOK, {"order_ids": ["8"]})
    assert not created and run.params == {"order_ids": ["7", "8"]}
    run, _ = request_run(shop_id, Workflow.SALES, Trigger.HOURLY, {})
    assert run.params == {}  # what changed since the last run covers both orders


def test_an_uninstall_closes_a_run_for_good(shop) -> None:
    run = queue_run(shop.id, Workflow.SALES, Trigger.MANUAL)
    owner = start_run(run.id, None)
    run.status, run.error = RunStatus.ABANDONED, "The app was uninstalled."
    db.session.commit()
    with pytest.raises(LeaseLost):
        beat(run, owner, Counter(), 1)
    assert not finish_run(run, owner, Counter(), error="QuickBooks refused the access token")
    assert run.error == "The app was uninstalled."
