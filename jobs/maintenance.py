"""Housekeeping jobs: prune old webhook ids, and flag runs whose worker died mid-run."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, update

from extensions import db
from jobs.context import with_app_context
from models import ProcessedWebhook, RunStatus, SyncRun, utcnow

# Shopify retries a failed delivery 8 times over 4 hours
# (https://shopify.dev/docs/apps/build/webhooks/troubleshooting-webhooks); a week of ids is ample.
WEBHOOK_ID_RETENTION = timedelta(days=7)
# A running sync writes a heartbeat at least every minute; silence this long means its worker died.
RUN_HEARTBEAT_TIMEOUT = timedelta(minutes=15)


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
