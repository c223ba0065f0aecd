"""The sync ledger: one row per Shopify object a workflow handled, the proof of exactly-once."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, Timestamped, UTCDateTime, str_enum


class LedgerKind(enum.StrEnum):
    """What a ledger row stands for; refunds, cancellations, payouts designed in."""

    ORDER = "order"
    REFUND = "refund"
    CANCELLATION = "cancellation"
    PAYOUT = "payout"
    PRODUCT_VARIANT = "product_variant"
    INVENTORY_LEVEL = "inventory_level"


class LedgerStatus(enum.StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    POSTED = "posted"
    FAILED = "failed"
    SKIPPED = "skipped"
    VOIDED = "voided"


class LedgerEntry(Timestamped, Model):
    """One Shopify object handled by a workflow: the proof it was posted exactly once, and how."""

    __tablename__ = "sync_ledger"
    __table_args__ = (
        UniqueConstraint("shop_id", "kind", "shopify_id", name="uq_sync_ledger_shop_kind_object"),
        # Rows posted in one QBO batch share its request id; recovery looks them up by it.
        Index("ix_sync_ledger_shop_request_id", "shop_id", "request_id"),
        Index("ix_sync_ledger_shop_status", "shop_id", "status"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    kind: Mapped[LedgerKind] = mapped_column(str_enum(LedgerKind, "ledger_kind"))
    shopify_id: Mapped[str] = mapped_column(String(64))
    # The order a refund or cancellation belongs to; ids only, never personal data.
    parent_shopify_id: Mapped[str | None] = mapped_column(String(64))
    shopify_customer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    shopify_name: Mapped[str | None] = mapped_column(String(64))
    shopify_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    qbo_type: Mapped[str | None] = mapped_column(String(32))
    qbo_id: Mapped[str | None] = mapped_column(String(32))
    qbo_doc_number: Mapped[str | None] = mapped_column(String(21))
    qbo_related: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[LedgerStatus] = mapped_column(
        str_enum(LedgerStatus, "ledger_status"), default=LedgerStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_fix: Mapped[str | None] = mapped_column(Text)
    # Deterministic QBO requestid (<= 50 chars) so a retried POST is replayed, not re-executed.
    request_id: Mapped[str | None] = mapped_column(String(50))
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    shopify_total: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    qbo_total: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("sync_runs.id", ondelete="SET NULL"), index=True
    )
    # The run execution holding an in_progress row, and until when (renewed by its heartbeat):
    # only a row whose lease has run out may be taken over (see services/ledger.py).
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
