"""Sync runs: one execution of a workflow for a shop, from trigger to outcome."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from models.shops import Shop


class Workflow(enum.StrEnum):
    SALES = "sales"
    PRODUCTS = "products"
    INVENTORY = "inventory"


class Trigger(enum.StrEnum):
    HOURLY = "hourly"
    MANUAL = "manual"
    WEBHOOK = "webhook"
    RETRY = "retry"
    CLI = "cli"
    SUPPORT = "support"


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"
    FAILED = "failed"
    ABANDONED = "abandoned"


class SyncRun(Model):
    """One execution of a workflow for a shop: trigger, timing, progress and outcome counts."""

    __tablename__ = "sync_runs"
    __table_args__ = (
        Index("ix_sync_runs_shop_started", "shop_id", "started_at"),
        # One run per shop and workflow waits and one runs, whatever triggered it: the database
        # refuses a second, so racing triggers coalesce instead of posting side by side.
        *(
            Index(
                f"uq_sync_runs_one_{status}",
                "shop_id",
                "workflow",
                unique=True,
                postgresql_where=text(f"status = '{status}' AND NOT dry_run"),
                sqlite_where=text(f"status = '{status}' AND NOT dry_run"),
            )
            for status in ("queued", "running")
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    workflow: Mapped[Workflow] = mapped_column(str_enum(Workflow, "workflow"))
    trigger: Mapped[Trigger] = mapped_column(str_enum(Trigger, "trigger"))
    status: Mapped[RunStatus] = mapped_column(
        str_enum(RunStatus, "run_status"), default=RunStatus.QUEUED
    )
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    rq_job_id: Mapped[str | None] = mapped_column(String(64))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    # What the run covers: {"order_ids": [...]} for named orders, {"full": true} for everything,
    # {} for what changed since the last complete run; "cursor" once a chunk has been done.
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The execution that owns the run now, and until when without a heartbeat (services/runs.py).
    owner: Mapped[str | None] = mapped_column(String(32))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    shop: Mapped[Shop] = relationship()
