"""Housekeeping jobs: prune old webhook ids, and flag runs whose worker died mid-run."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update

from extensions import db
from jobs.context import with_app_context
from models import (
    ConnectionStatus,
    ProcessedWebhook,
    QuickBooksConnection,
    RunStatus,
    Shop,
    SyncRun,
    utcnow,
)

# Shopify retries a failed delivery 8 times over 4 hours
# (https://shopify.dev/docs/apps/build/webhooks/troubleshooting-webhooks); a week of ids is ample.
WEBHOOK_ID_RETENTION = timedelta(days=7)
# A running sync writes a heartbeat at least every minute; silence this long means its worker died.
RUN_HEARTBEAT_TIMEOUT = timedelta(minutes=15)
# Renew refresh tokens this long before their end (QBO's roll over ~100 days of non-use).
REFRESH_TOKEN_RENEWAL = timedelta(days=30)


@with_app_context
def prune_processed_webhooks() -> int:
    """Forget webhook ids older than the retention window; returns how many were removed."""
    cutoff = utcnow() - WEBHOOK_ID_RETENTION
    result = db.session.execute(
        delete(ProcessedWebhook).where(ProcessedWebhook.received_at < cutoff)
    )
    db.session.commit()
    return result.rowcount


@with_app_context
def mark_abandoned_runs() -> int:
    """Close runs whose worker stopped beating, so the dashboard never shows a ghost run."""
    cutoff = utcnow() - RUN_HEARTBEAT_TIMEOUT
    result = db.session.execute(
        update(SyncRun)
        .where(SyncRun.status == RunStatus.RUNNING)
        .where(SyncRun.heartbeat_at < cutoff)
        .values(
            status=RunStatus.ABANDONED,
            finished_at=utcnow(),
            error="The worker stopped mid-run; the ledger keeps what was posted and the next "
            "run picks up the rest.",
        )
    )
    db.session.commit()
    return result.rowcount


@with_app_context
def keep_connections_alive() -> dict[str, int]:
    """Renew refresh tokens before they lapse, even for shops with nothing to sync.

    An unused QBO refresh token dies after about 100 days; renewing any within 30 days of its
    end keeps quiet shops connected. A refusal marks the connection for reconnecting.
    """
    from clients.errors import AuthError, RetryableError
    from jobs import quickbooks_connection, shopify_tokens

    soon = utcnow() + REFRESH_TOKEN_RENEWAL
    counts = {"renewed": 0, "failed": 0}
    due = [
        *[
            (shopify_tokens.access_token, shop)
            for shop in db.session.scalars(
                select(Shop).where(
                    Shop.uninstalled_at.is_(None), Shop.shopify_refresh_token_expires_at < soon
                )
            )
        ],
        *[
            (quickbooks_connection.access_token, connection)
            for connection in db.session.scalars(
                select(QuickBooksConnection).where(
                    QuickBooksConnection.status == ConnectionStatus.CONNECTED,
                    QuickBooksConnection.refresh_token_expires_at < soon,
                )
            )
        ],
    ]
    for refresh, owner in due:
        try:
            refresh(owner, force=True)
            counts["renewed"] += 1
        except (AuthError, RetryableError):
            counts["failed"] += 1
    return counts
