"""The RQ job of the sales workflow: a thin entry point on the shared run lifecycle
(jobs/workflow_job.py) around `sync.sales.run.SalesSync`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import current_app
from rq import Retry

from jobs.context import with_app_context
from jobs.sales_triggers import last_sync_start
from jobs.workflow_job import WorkflowJob, run_job
from models import SyncRun
from sync.sales.run import SalesSync, Scope

JOB = "jobs.sales_job.sync_orders"
GAVE_UP = "The orders wait for the next run."


SALES = WorkflowJob(job=JOB, prefix="sales", build=SalesSync, gave_up=GAVE_UP)


def _scope(run: SyncRun, since: str | None, order_ids: list[str] | None) -> Scope:
    """What this execution reads, from the run's parameters (or the CLI's)."""
    params = run.params or {}
    ids = order_ids if order_ids is not None else params.get("order_ids")
    when = datetime.fromisoformat(since) if since else None
    if when is None and ids is None and not params.get("full"):
        when = last_sync_start(run.shop_id)
    return Scope(
        since=when,
        order_ids=[str(i) for i in ids] if ids is not None else None,
        cursor=params.get("cursor") or None,
        bulk_from=int(current_app.config["SHOPIFY_BULK_MIN_ORDERS"]),
    )


@with_app_context
def sync_orders(
    shop_id: int,
    run_id: int,
    since: str | None = None,
    dry_run: bool = False,
    page_size: int = 5,
    order_ids: list[str] | None = None,
    show: Callable[[dict], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict | Retry:
    """The RQ job: one execution of a sales run (also called in the foreground by the CLI)."""

    def scope_for(run: SyncRun) -> Scope:
        scope = _scope(run, since, order_ids)
        scope.page_size = page_size
        return scope

    return run_job(SALES, shop_id, run_id, scope_for, show, progress)
