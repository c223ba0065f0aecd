"""Shopify webhook deliveries already accepted, and the customer privacy requests they bring."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, UTCDateTime, str_enum, utcnow


class ProcessedWebhook(Model):
    """A webhook delivery already accepted, so Shopify's retries are not processed twice."""

    __tablename__ = "processed_webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[str] = mapped_column(String(255), unique=True)
    shop_id: Mapped[int | None] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), index=True
    )
    shop_domain: Mapped[str] = mapped_column(String(255))
    topic: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    rq_job_id: Mapped[str | None] = mapped_column(String(64))


class PrivacyRequestKind(enum.StrEnum):
    DATA_REQUEST = "customers/data_request"
    CUSTOMER_REDACT = "customers/redact"


class PrivacyRequest(Model):
    """A customer privacy request from Shopify and what was done (ids and counts only)."""

    __tablename__ = "privacy_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PrivacyRequestKind] = mapped_column(
        str_enum(PrivacyRequestKind, "privacy_request_kind")
    )
    shopify_request_id: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # For a data request: what Ledgerbridge holds about the customer, for the merchant to send.
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
