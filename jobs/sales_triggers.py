"""What starts a sales run: the hourly schedule, an order webhook, Sync now, a retry, the CLI."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from extensions import db
from jobs import enqueue
from jobs.context import with_app_context
from jobs.runs import queue_run
from models import (
    ConnectionStatus,
    LedgerEntry,
    LedgerKind,
    LedgerStatus,
    QuickBooksConnection,
    RunStatus,
    SalesSettings,
    Shop,
    SyncRun,
    SyncSettings,
    Trigger,
    Workflow,
)

# Each incremental run re-reads a little before the last one started: an order updated while
# that run was reading is never missed (posted ones are recognised by the ledger).
SINCE_OVERLAP = timedelta(minutes=10)


def last_sync_start(shop_id: int) -> datetime | None:
    """When the last complete sales run started, less the overlap; None before the first."""
    started = db.session.scalar(
        select(SyncRun.started_at)
        .where(
            SyncRun.shop_id == shop_id,
            SyncRun.workflow == Workflow.SALES,
            SyncRun.status.in_([RunStatus.SUCCEEDED, RunStatus.PARTIAL]),
            SyncRun.dry_run.is_(False),
        )
        .order_by(SyncRun.started_at.desc())
        .limit(1)
    )
    return started - SINCE_OVERLAP if started else None


def pending_run(shop_id: int) -> SyncRun | None:
    """A sales run of the shop already queued or running."""
    return db.session.scalar(
        select(SyncRun)
        .where(
            SyncRun.shop_id == shop_id,
            SyncRun.workflow == Workflow.SALES,
            SyncRun.status.in_([RunStatus.QUEUED, RunStatus.RUNNING]),
        )
        .limit(1)
    )


def start_sales_run(
    shop: Shop, trigger: Trigger, *, full: bool = False, order_ids: list[str] | None = None
) -> SyncRun:
    """Queue a run (or return the one already waiting); incremental unless `full`."""
    if order_ids is None:
        existing = pending_run(shop.id)
        if existing is not None:
            return existing
    since = None if full or order_ids is not None else last_sync_start(shop.id)
    run = queue_run(shop.id, Workflow.SALES, trigger)
    job = enqueue(
        "sync",
        "jobs.sales.sync_orders",
        shop.id,
        run.id,
        since.isoformat() if since else None,
        False,
        5,
        order_ids,
        job_id=f"sales-run-{run.id}",
        shop_domain=shop.shop_domain,
    )
    run.rq_job_id = job.id
    db.session.commit()
    return run


def failed_order_ids(shop_id: int) -> list[str]:
    """Shopify ids of the shop's orders that could not be posted."""
    return list(
        db.session.scalars(
            select(LedgerEntry.shopify_id)
            .where(
                LedgerEntry.shop_id == shop_id,
                LedgerEntry.kind == LedgerKind.ORDER,
                LedgerEntry.status == LedgerStatus.FAILED,
            )
            .order_by(LedgerEntry.id)
        )
    )


@with_app_context
def enqueue_hourly_syncs() -> int:
    """The hourly job: a run for every shop that turned automated sync on."""
    shops = db.session.scalars(
        select(Shop)
        .join(SalesSettings)
        .join(SyncSettings)
        .join(QuickBooksConnection)
        .where(
            Shop.uninstalled_at.is_(None),
            Shop.installed_at.is_not(None),
            SalesSettings.enabled.is_(True),
            SyncSettings.hourly_sync_enabled.is_(True),
            QuickBooksConnection.status == ConnectionStatus.CONNECTED,
        )
    ).all()
    for shop in shops:
        start_sales_run(shop, Trigger.HOURLY)
    return len(shops)


@with_app_context
def sync_order_from_webhook(shop_domain: str, payload: dict) -> str:
    """An order webhook: post that one order now, when the merchant turned this on."""
    shop = Shop.by_domain(shop_domain)
    if shop is None or not shop.is_installed or shop.sales_settings is None:
        return "ignored"
    if not (
        shop.sales_settings.enabled
        and shop.sync_settings
        and shop.sync_settings.webhook_sync_enabled
    ):
        return "ignored"
    from jobs.sales import sync_orders

    run = queue_run(shop.id, Workflow.SALES, Trigger.WEBHOOK)
    sync_orders(shop.id, run.id, order_ids=[str(payload.get("id"))])
    return "synced"
