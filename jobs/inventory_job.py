"""The RQ job of the stock push: a thin entry point on the shared run lifecycle
(jobs/workflow_job.py) around `sync.inventory.run.InventorySync`, and what starts a run."""

from __future__ import annotations

from collections.abc import Callable

from rq import Retry

from extensions import db
from jobs.context import with_app_context
from jobs.sales_triggers import ensure_job, start_workflow_run
from jobs.workflow_job import WorkflowJob, run_job
from models import Shop, SyncRun, Trigger, Workflow
from services.runs import queue_run
from sync.inventory.reading import stock_scope
from sync.inventory.run import InventorySync

JOB = "jobs.inventory_job.push_stock_levels"
GAVE_UP = "Shopify's stock is set at the next run."


INVENTORY = WorkflowJob(job=JOB, prefix="inventory", build=InventorySync, gave_up=GAVE_UP)


@with_app_context
def push_stock_levels(
    shop_id: int,
    run_id: int,
    dry_run: bool = False,
    show: Callable[[dict], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict | Retry:
    """The RQ job: one execution of a stock run (also called in the foreground by the CLI). A
    dry run is a run queued as one (`dry_run` only says so when the caller queued it)."""
    run = db.session.get(SyncRun, run_id)
    if run is not None and dry_run and not run.dry_run:
        return {"refused": "the run was not queued as a dry run"}
    return run_job(INVENTORY, shop_id, run_id, stock_scope, show, progress)


def start_stock_run(
    shop: Shop, trigger: Trigger, *, dry_run: bool = False, full: bool = False
) -> SyncRun:
    """Queue a stock run (`full`: reading both catalogues whole), or join the shop's waiting
    one; a dry run (the preview) is queued apart. Raises QueueUnavailable when Redis is down."""
    if not dry_run:
        return start_workflow_run(shop, Workflow.INVENTORY, trigger, {"full": True} if full else {})
    run = queue_run(shop.id, Workflow.INVENTORY, trigger, dry_run=True)
    ensure_job(run, shop.shop_domain, created=True)
    return run
