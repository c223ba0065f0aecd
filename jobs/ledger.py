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

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from clients.errors import SyncError
from extensions import db
from models import LedgerEntry, LedgerKind, LedgerStatus, utcnow

CLAIMABLE = (LedgerStatus.PENDING, LedgerStatus.FAILED)


def ensure_entries(
    shop_id: int, kind: LedgerKind, objects: Iterable[dict[str, Any]]
) -> dict[str, LedgerEntry]:
    """The ledger rows of these Shopify objects (dicts with `shopify_id` and optional fields),
    creating missing ones; safe when another worker creates the same rows concurrently."""
    objects = list(objects)
    ids = [str(o["shopify_id"]) for o in objects]
    existing = {
        e.shopify_id: e
        for e in db.session.scalars(
            select(LedgerEntry).where(
                LedgerEntry.shop_id == shop_id,
                LedgerEntry.kind == kind,
                LedgerEntry.shopify_id.in_(ids),
            )
        )
    }
    for obj in objects:
        if str(obj["shopify_id"]) in existing:
            continue
        entry = LedgerEntry(
            shop_id=shop_id, kind=kind, **{**obj, "shopify_id": str(obj["shopify_id"])}
        )
        try:
            with db.session.begin_nested():  # a concurrent insert of the same row loses cleanly
                db.session.add(entry)
            existing[entry.shopify_id] = entry
        except IntegrityError:
            existing[entry.shopify_id] = db.session.scalars(
                select(LedgerEntry).filter_by(
                    shop_id=shop_id, kind=kind, shopify_id=entry.shopify_id
                )
            ).one()
    db.session.commit()
    return existing


def claim(entries: list[LedgerEntry], run_id: int | None) -> tuple[list[LedgerEntry], str]:
    """Move claimable rows to in_progress under one new request id; returns those won."""
    request_id = uuid.uuid4().hex[:32]
    ids = [e.id for e in entries]
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
    for entry in entries:
        db.session.refresh(entry)
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
