"""The RQ job of the products workflow: a thin entry point on the shared run lifecycle
(jobs/workflow_job.py) around `sync.products.run.ProductsSync`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rq import Retry

from jobs.context import with_app_context
from jobs.sales_triggers import last_sync_start
from jobs.workflow_job import WorkflowJob, run_job
from models import SyncRun, Workflow
from sync.products.reading import Scope
from sync.products.run import ProductsSync

JOB = "jobs.products_job.sync_products"
GAVE_UP = "The products wait for the next run."


PRODUCTS = WorkflowJob(job=JOB, prefix="products", build=ProductsSync, gave_up=GAVE_UP)


def _scope(run: SyncRun, since: str | None) -> Scope:
    """What this execution reads: products changed since the last complete run (all of them
    the first time, or when the run asks for a full read), from the cursor a continuation got."""
    params = run.params or {}
    when = datetime.fromisoformat(since) if since else None
    if when is None and not params.get("full"):
        when = last_sync_start(run.shop_id, Workflow.PRODUCTS)
    return Scope(since=when, cursor=params.get("cursor") or None)


@with_app_context
def sync_products(
    shop_id: int,
    run_id: int,
    since: str | None = None,
    dry_run: bool = False,
    show: Callable[[dict], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict | Retry:
    """The RQ job: one execution of a products run (also called in the foreground by the CLI)."""
    return run_job(PRODUCTS, shop_id, run_id, lambda run: _scope(run, since), show, progress)
