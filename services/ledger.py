"""The sync ledger: one row per Shopify object, claimed by one run execution at a time.

Exactly once rests on these steps, each committed before the next:
1. claim — a compare-and-set moves rows from pending/failed to in_progress, gives them the
   request id their QBO batch will carry, and a lease held by the claiming execution (its owner
   token), renewed by the run's heartbeat;
2. hold — in the transaction that stores what is about to be sent, the owner checks it still
   holds every row of the batch; a batch is sent only by the owner of all its rows;
3. post — the batch is sent with that request id;
4. record — the outcome of every bId is written back; the row is posted once its payments are.
A row is taken over only when its lease ran out (its worker died or stalled). A crash between 1
and 2 leaves rows whose request id QBO never saw: they go back to pending. A crash after 2
leaves rows whose stored request the new owner re-sends under the same id: QBO replays its
original answer if it had executed it, so nothing is posted twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, or_, select, update

from clients.errors import SyncError
from extensions import db
from models import LedgerEntry, LedgerKind, LedgerStatus, upsert_statement, utcnow
from services.writes import rows_changed

CLAIMABLE = (LedgerStatus.PENDING, LedgerStatus.FAILED)


def ensure_entries(
    shop_id: int, kind: LedgerKind, objects: Iterable[dict[str, Any]]
) -> dict[str, LedgerEntry]:
    """The ledger rows of these Shopify objects (dicts with `shopify_id` and optional fields),
    creating missing ones in one statement; a row another worker inserts meanwhile is kept
    (ON CONFLICT DO NOTHING on the shop/kind/object key), so concurrent runs are safe."""
    rows = {str(o["shopify_id"]): {**o, "shopify_id": str(o["shopify_id"])} for o in objects}
    if not rows:
        return {}
    existing = set(
        db.session.scalars(
            select(LedgerEntry.shopify_id).where(
                LedgerEntry.shop_id == shop_id,
                LedgerEntry.kind == kind,
                LedgerEntry.shopify_id.in_(list(rows)),
            )
        )
    )
    missing = [
        {"shop_id": shop_id, "kind": kind, **row}
        for key, row in rows.items()
        if key not in existing
    ]
    if missing:
        db.session.execute(
            upsert_statement(LedgerEntry).on_conflict_do_nothing(
                index_elements=["shop_id", "kind", "shopify_id"]
            ),
            missing,
        )
    db.session.commit()
    return {
        e.shopify_id: e
        for e in db.session.scalars(
            select(LedgerEntry)
            .where(
                LedgerEntry.shop_id == shop_id,
                LedgerEntry.kind == kind,
                LedgerEntry.shopify_id.in_(list(rows)),
            )
            .execution_options(populate_existing=True)
        )
    }


def reload(entries: list[LedgerEntry]) -> None:
    """Bring rows up to date from the database in one query (after a commit expired them)."""
    if entries:
        db.session.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.id.in_(_ids(entries)))
            .execution_options(populate_existing=True)
        ).all()


def _ids(entries: list[LedgerEntry]) -> list[int]:
    """Row ids without reloading rows a commit expired."""
    return [_identity(e) for e in entries]


def _identity(entry: LedgerEntry) -> int:
    """A persisted row's primary key (its identity, never None once flushed)."""
    identity = inspect(entry).identity
    assert identity is not None, "the row was never flushed"
    return int(identity[0])


def claim(
    entries: list[LedgerEntry], run_id: int | None, owner: str, lease: datetime
) -> tuple[list[LedgerEntry], str]:
    """Move claimable rows to in_progress under one new request id and the owner's lease;
    returns those won."""
    request_id = uuid.uuid4().hex[:32]
    won = set(
        db.session.scalars(
            update(LedgerEntry)
            .where(LedgerEntry.id.in_(_ids(entries)), LedgerEntry.status.in_(CLAIMABLE))
            .values(
                status=LedgerStatus.IN_PROGRESS,
                request_id=request_id,
                last_run_id=run_id,
                claimed_by=owner,
                lease_expires_at=lease,
                attempts=LedgerEntry.attempts + 1,
                updated_at=utcnow(),
            )
            .returning(LedgerEntry.id)
        )
    )
    db.session.commit()
    reload(entries)
    return [e for e in entries if e.id in won], request_id


def hold(entries: list[LedgerEntry], owner: str, lease: datetime) -> bool:
    """Renew the owner's lease on every row, in the caller's transaction; False (and nothing
    renewed) unless it still holds them all. The caller commits what it stores with it."""
    held = rows_changed(
        db.session.execute(
            update(LedgerEntry)
            .where(
                LedgerEntry.id.in_(_ids(entries)),
                LedgerEntry.claimed_by == owner,
                LedgerEntry.status == LedgerStatus.IN_PROGRESS,
                LedgerEntry.lease_expires_at > utcnow(),
            )
            .values(lease_expires_at=lease)
        )
    )
    if held != len(entries):
        db.session.rollback()
        return False
    return True


def take_over_expired(
    shop_id: int, kind: LedgerKind, owner: str, lease: datetime, previous: str | None = None
) -> dict[str, list[LedgerEntry]]:
    """Take the in_progress rows whose lease ran out (or that the run's previous, dead
    execution held), grouped by the request id they were sent (or about to be sent) with."""
    expired = or_(LedgerEntry.lease_expires_at.is_(None), LedgerEntry.lease_expires_at < utcnow())
    if previous:
        expired = or_(expired, LedgerEntry.claimed_by == previous)
    taken = set(
        db.session.scalars(
            update(LedgerEntry)
            .where(
                LedgerEntry.shop_id == shop_id,
                LedgerEntry.kind == kind,
                LedgerEntry.status == LedgerStatus.IN_PROGRESS,
                expired,
            )
            .values(claimed_by=owner, lease_expires_at=lease)
            .returning(LedgerEntry.id)
        )
    )
    db.session.commit()
    groups: dict[str, list[LedgerEntry]] = {}
    if not taken:
        return groups
    for entry in db.session.scalars(
        select(LedgerEntry)
        .where(LedgerEntry.id.in_(list(taken)))
        .order_by(LedgerEntry.id)
        .execution_options(populate_existing=True)
    ):
        groups.setdefault(entry.request_id or "", []).append(entry)
    return groups


def record_posted(
    entry: LedgerEntry,
    qbo_type: str,
    qbo_id: str,
    *,
    doc_number: str | None = None,
    shopify_total: Decimal | None = None,
    qbo_total: Decimal | None = None,
    fingerprint: str | None = None,
    related: dict[str, Any] | None = None,
    when: datetime | None = None,
) -> None:
    """The object is in QuickBooks; remember where, and what it came to."""
    entry.status = LedgerStatus.POSTED
    entry.qbo_type, entry.qbo_id, entry.qbo_doc_number = qbo_type, qbo_id, doc_number
    entry.shopify_total, entry.qbo_total = shopify_total, qbo_total
    entry.fingerprint, entry.qbo_related = fingerprint, related
    entry.posted_at = when or utcnow()
    entry.last_error = entry.last_error_fix = None


def record_failed(entry: LedgerEntry, error: SyncError) -> None:
    """The object could not be posted: keep the plain reason and fix; it can be retried."""
    entry.status = LedgerStatus.FAILED
    entry.last_error, entry.last_error_fix = error.reason, error.fix


def record_skipped(entry: LedgerEntry, reason: str) -> None:
    """The object is deliberately not posted (test order, status not chosen, before start)."""
    entry.status = LedgerStatus.SKIPPED
    entry.last_error, entry.last_error_fix = reason, None


def release(entries: list[LedgerEntry]) -> None:
    """Hand claimed rows back unposted (nothing of theirs was ever sent)."""
    for entry in entries:
        if entry.status == LedgerStatus.IN_PROGRESS:
            entry.status = LedgerStatus.PENDING
            entry.request_id = entry.claimed_by = entry.lease_expires_at = None
    db.session.commit()
