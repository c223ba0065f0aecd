"""The RQ job of the stock push: a thin entry point on the shared run lifecycle
(jobs/workflow_job.py) around `sync.inventory.run.InventorySync`, and what starts a run."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable

from redis.exceptions import RedisError
from rq import Retry

from extensions import db
from jobs import enqueue
from jobs.context import with_app_context
from jobs.sales_triggers import QUEUE_DOWN, QueueUnavailable
from jobs.workflow_job import WorkflowJob, run_job
from models import Shop, SyncRun, Trigger, Workflow
from services.runs import finish_run, queue_run, request_run, set_job
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


def start_stock_run(shop: Shop, trigger: Trigger, *, dry_run: bool = False) -> SyncRun:
    """Queue a stock run (a dry run is the preview), or join the shop's waiting one. Raises
    QueueUnavailable when Redis is down."""
    if dry_run:
        run, created = queue_run(shop.id, Workflow.INVENTORY, trigger, dry_run=True), True
    else:
        run, created = request_run(shop.id, Workflow.INVENTORY, trigger, {})
        if not created and run.rq_job_id:
            return run  # its job runs it, reading what changed by then
    job_id = f"inventory-run-{run.id}-{uuid.uuid4().hex[:8]}"
    try:
        enqueue("sync", JOB, shop.id, run.id, job_id=job_id, shop_domain=shop.shop_domain)
    except RedisError as exc:
        db.session.rollback()
        if created:  # a run nobody will ever run must not hold the shop's slot
            finish_run(run, None, Counter(), error=QUEUE_DOWN)
        raise QueueUnavailable(QUEUE_DOWN) from exc
    set_job(run, job_id)
    return run
