"""What starts a sales run: the hourly schedule, an order webhook, Sync now, a retry, the CLI."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime, timedelta

from flask import current_app
from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import select

from extensions import db
from jobs import enqueue
from jobs.context import with_app_context
from models import (
    ConnectionStatus,
    LedgerEntry,
    LedgerKind,
    LedgerStatus,
    QuickBooksConnection,
    RunStatus,
    Shop,
    SyncRun,
    SyncSettings,
    Trigger,
    Workflow,
)
from services.run_requests import request_run
from services.runs import finish_run, set_job

JOB = "jobs.sales_job.sync_orders"
# The RQ job of each workflow's runs.
WORKFLOW_JOBS = {
    Workflow.SALES: JOB,
    Workflow.PRODUCTS: "jobs.products_job.sync_products",
    Workflow.INVENTORY: "jobs.inventory_job.push_stock_levels",
}
DEAD_JOB_STATUSES = (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED, JobStatus.FINISHED)
# Each incremental run re-reads a little before the last one started: an order updated while
# that run was reading is never missed (posted ones are recognised by the ledger).
SINCE_OVERLAP = timedelta(minutes=10)


def last_sync_start(shop_id: int, workflow: Workflow = Workflow.SALES) -> datetime | None:
    """When the workflow's last complete run started, less the overlap; None before the first."""
    started = db.session.scalar(
        select(SyncRun.started_at)
        .where(
            SyncRun.shop_id == shop_id,
            SyncRun.workflow == workflow,
            SyncRun.status.in_([RunStatus.SUCCEEDED, RunStatus.PARTIAL]),
            SyncRun.dry_run.is_(False),
        )
        .order_by(SyncRun.started_at.desc())
        .limit(1)
    )
    return started - SINCE_OVERLAP if started else None


class QueueUnavailable(Exception):
    """Redis could not take the job: nothing was queued; try again in a moment."""


QUEUE_DOWN = "The job queue could not be reached, so nothing was queued. Try again in a minute."


def refusal(shop: Shop | None) -> str | None:
    """Why the shop cannot sync right now, in plain words."""
    if shop is None or not shop.is_installed:
        return "The app was uninstalled from this shop."
    connection = shop.quickbooks_connection
    if connection is None or connection.status != ConnectionStatus.CONNECTED:
        return "QuickBooks is not connected" + (
            f": {connection.status_reason}" if connection and connection.status_reason else "."
        )
    return None


def _job_alive(job_id: str | None) -> bool:
    """Whether the run's job is still waiting, scheduled or running in Redis."""
    if not job_id:
        return False
    try:
        job = Job.fetch(job_id, connection=current_app.extensions["redis"])
    except NoSuchJobError:
        return False
    return job.get_status() not in DEAD_JOB_STATUSES


def ensure_job(run: SyncRun, shop_domain: str, created: bool) -> None:
    """Give a waiting run its job (a new run, or one whose job was lost with Redis)."""
    try:
        if not created and _job_alive(run.rq_job_id):
            return
        prefix = f"{run.workflow.value}-run-{run.id}"
        job_id = prefix if created else f"{prefix}-{uuid.uuid4().hex[:8]}"
        job = WORKFLOW_JOBS[run.workflow]
        enqueue("sync", job, run.shop_id, run.id, job_id=job_id, shop_domain=shop_domain)
    except RedisError as exc:
        db.session.rollback()
        if created:  # a new run nobody will ever run must not hold the shop's slot
            finish_run(run, None, Counter(), error=QUEUE_DOWN)
        raise QueueUnavailable(QUEUE_DOWN) from exc
    set_job(run, job_id)


def start_sales_run(
    shop: Shop, trigger: Trigger, *, full: bool = False, order_ids: list[str] | None = None
) -> SyncRun:
    """Queue a run, or widen the shop's waiting one to cover this request (triggers coalesce:
    one waiting and one running run per shop). Raises QueueUnavailable when Redis is down."""
    if order_ids is not None:
        params: dict = {"order_ids": sorted({str(i) for i in order_ids})}
    else:
        params = {"full": True} if full else {}
    run, created = request_run(shop.id, Workflow.SALES, trigger, params)
    ensure_job(run, shop.shop_domain, created)
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
    """The hourly job: a run of every enabled workflow of every shop that turned automated sync
    on (which needs the terms accepted); how many runs were asked for."""
    shops = db.session.scalars(
        select(Shop)
        .join(SyncSettings)
        .join(QuickBooksConnection)
        .where(
            Shop.uninstalled_at.is_(None),
            Shop.installed_at.is_not(None),
            SyncSettings.hourly_sync_enabled.is_(True),
            QuickBooksConnection.status == ConnectionStatus.CONNECTED,
        )
    ).all()
    asked = 0
    for shop in shops:
        for workflow in enabled_workflows(shop):
            start_workflow_run(shop, workflow, Trigger.HOURLY)
            asked += 1
    return asked


def start_workflow_run(
    shop: Shop, workflow: Workflow, trigger: Trigger, params: dict | None = None
) -> SyncRun:
    """Queue a run of any workflow (or join the shop's waiting one); raises QueueUnavailable
    when Redis is down."""
    run, created = request_run(shop.id, workflow, trigger, params or {})
    ensure_job(run, shop.shop_domain, created)
    return run


def enabled_workflows(shop: Shop) -> list[Workflow]:
    """The workflows the merchant turned on, sales first."""
    rows = (
        (Workflow.SALES, shop.sales_settings),
        (Workflow.PRODUCTS, shop.product_settings),
        (Workflow.INVENTORY, shop.inventory_settings),
    )
    return [workflow for workflow, settings in rows if settings is not None and settings.enabled]


@with_app_context
def sync_order_from_webhook(shop_domain: str, payload: dict) -> str:
    """An order webhook: have that order posted soon, when the merchant turned this on (it
    joins the shop's waiting run, or queues one)."""
    shop = Shop.by_domain(shop_domain)
    if shop is None or not shop.is_installed or shop.sales_settings is None:
        return "ignored"
    if not (
        shop.sales_settings.enabled
        and shop.sync_settings
        and shop.sync_settings.webhook_sync_enabled
    ):
        return "ignored"
    order_id = str(payload.get("id") or "")
    if not order_id.isdigit():
        return "ignored: no order id"
    run = start_sales_run(shop, Trigger.WEBHOOK, order_ids=[order_id])
    return f"run {run.id}"
