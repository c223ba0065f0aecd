"""Housekeeping jobs: prune old webhook ids, and flag runs whose worker died mid-run."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

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
    Workflow,
    utcnow,
)
from services.runs import TAKEN_OVER
from services.writes import rows_changed

# Shopify retries a failed delivery 8 times over 4 hours
# (https://shopify.dev/docs/apps/build/webhooks/troubleshooting-webhooks); a week of ids is ample.
WEBHOOK_ID_RETENTION = timedelta(days=7)
# A waiting run younger than this may still be getting its job from the request that made it.
QUEUED_GRACE = timedelta(seconds=30)
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
    return rows_changed(result)


@with_app_context
def mark_abandoned_runs() -> dict[str, int]:
    """The watchdog: close runs whose worker died (lease run out) and hand their orders to a new
    run at once; give waiting runs whose job was lost (a Redis outage) their job back. Neither
    can then block Sync now, and no order waits longer than one watchdog pass."""
    from jobs.sales_triggers import (
        QueueUnavailable,
        ensure_job,
        start_sales_run,
        start_workflow_run,
    )

    counts = {"closed": 0, "requeued": 0}
    for run in db.session.scalars(
        select(SyncRun).where(
            SyncRun.status == RunStatus.RUNNING, SyncRun.lease_expires_at < utcnow()
        )
    ).all():
        closed = rows_changed(
            db.session.execute(
                update(SyncRun)
                .where(SyncRun.id == run.id, SyncRun.status == RunStatus.RUNNING)
                .where(SyncRun.lease_expires_at < utcnow())
                .values(
                    status=RunStatus.ABANDONED, finished_at=utcnow(), error=TAKEN_OVER, owner=None
                )
            )
        )
        db.session.commit()
        if closed and not run.dry_run and run.shop.is_installed:
            counts["closed"] += 1
            params = {k: v for k, v in (run.params or {}).items() if k != "cursor"}
            if run.workflow == Workflow.SALES:
                start_sales_run(run.shop, run.trigger, **_follow_up(params))
            else:  # the other workflows' runs cover what changed, or everything
                start_workflow_run(run.shop, run.workflow, run.trigger, _follow_up(params))
    for run in db.session.scalars(
        select(SyncRun).where(
            SyncRun.status == RunStatus.QUEUED,
            SyncRun.queued_at < utcnow() - QUEUED_GRACE,
        )
    ).all():
        try:
            ensure_job(run, run.shop.shop_domain, created=False)
        except QueueUnavailable:
            break
        counts["requeued"] += 1
    return counts


def _follow_up(params: dict) -> dict:
    """start_sales_run's arguments covering what a closed run covered."""
    if "order_ids" in params:
        return {"order_ids": params["order_ids"]}
    return {"full": bool(params.get("full"))}


@with_app_context
def keep_connections_alive() -> dict[str, int]:
    """Renew refresh tokens before they lapse, even for shops with nothing to sync.

    An unused QBO refresh token dies after about 100 days; renewing any within 30 days of its
    end keeps quiet shops connected. A refusal marks the connection for reconnecting.
    """
    from clients.errors import AuthError, RetryableError
    from services import quickbooks_connection, shopify_tokens

    soon = utcnow() + REFRESH_TOKEN_RENEWAL
    counts = {"renewed": 0, "failed": 0}
    due: list[tuple[Callable[..., object], Any]] = [
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
