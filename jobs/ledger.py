"""The sync ledger: one row per Shopify object, claimed by one poster at a time.

Exactly once rests on three steps, each committed before the next:
1. claim — a compare-and-set moves rows from pending/failed to in_progress and gives them the
   request id their QBO batch will carry;
2. post — the batch is sent with that request id;
3. record — the outcome of every bId is written back.
A crash between 1 and 2 leaves rows in_progress whose request id QBO never saw: re-sending runs
them once. A crash between 2 and 3 leaves rows whose request id QBO executed: re-sending the same
id makes QBO replay its original answer, so nothing is posted twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from clients.errors import SyncError
from extensions import db
from models import LedgerEntry, LedgerKind, LedgerStatus, utcnow

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
            _insert(LedgerEntry).on_conflict_do_nothing(
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


def _insert(model: type):  # noqa: ANN202
    """INSERT with ON CONFLICT for the session's database (PostgreSQL or SQLite)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql_insert(model)
    return sqlite_insert(model)


def reload(entries: list[LedgerEntry]) -> None:
    """Bring rows up to date from the database in one query (after a commit expired them)."""
    if entries:
        db.session.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.id.in_([inspect(e).identity[0] for e in entries]))
            .execution_options(populate_existing=True)
        ).all()


def claim(entries: list[LedgerEntry], run_id: int | None) -> tuple[list[LedgerEntry], str]:
    """Move claimable rows to in_progress under one new request id; returns those won."""
    request_id = uuid.uuid4().hex[:32]
    ids = [inspect(e).identity[0] for e in entries]  # without reloading rows a commit expired
    won = set(
        db.session.scalars(
            update(LedgerEntry)
            .where(LedgerEntry.id.in_(ids), LedgerEntry.status.in_(CLAIMABLE))
            .values(
                status=LedgerStatus.IN_PROGRESS,
                request_id=request_id,
                last_run_id=run_id,
                attempts=LedgerEntry.attempts + 1,
                updated_at=utcnow(),
            )
            .returning(LedgerEntry.id)
        )
    )
    db.session.commit()
    reload(entries)
    return [e for e in entries if e.id in won], request_id


def unfinished(shop_id: int, kind: LedgerKind) -> dict[str, list[LedgerEntry]]:
    """Rows left in_progress by a run that stopped, grouped by the request id they were sent
    (or were about to be sent) with."""
    groups: dict[str, list[LedgerEntry]] = {}
    for entry in db.session.scalars(
        select(LedgerEntry)
        .where(
            LedgerEntry.shop_id == shop_id,
            LedgerEntry.kind == kind,
            LedgerEntry.status == LedgerStatus.IN_PROGRESS,
        )
        .order_by(LedgerEntry.id)
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
    """Hand claimed rows back unposted (e.g. a retryable failure before anything was sent)."""
    for entry in entries:
        if entry.status == LedgerStatus.IN_PROGRESS:
            entry.status = LedgerStatus.PENDING
            entry.request_id = None
    db.session.commit()
