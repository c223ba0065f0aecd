"""The RQ job of the sales preview: a dry run over the next sync's first orders. Its answer is
the job's result (RQ keeps it a day), which GET /api/sync/sales/preview/<run> shows; the run
records the counts, so the history and the setup know a preview was made. The queueing and the
run's lifecycle here serve every workflow's preview (jobs/products_preview_job.py)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable

from flask import current_app
from redis.exceptions import RedisError
from rq import get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job

from clients.errors import SyncError
from extensions import db
from jobs import enqueue
from jobs.context import with_app_context
from jobs.sales_triggers import QUEUE_DOWN, QueueUnavailable, last_sync_start, refusal
from models import Shop, SyncRun, Trigger, Workflow
from services.runs import LeaseLost, finish_run, queue_run, set_job, start_run
from sync.sales.preview import preview_next_sync

JOB = "jobs.sales_preview_job.preview_orders"


def start_preview(shop: Shop, workflow: Workflow = Workflow.SALES, job: str = JOB) -> SyncRun:
    """Queue a preview run of `workflow` whose RQ function is `job` (dry runs never wait for
    the shop's sync slot). Raises QueueUnavailable when Redis is down; the run is then closed,
    saying so."""
    run = queue_run(shop.id, workflow, Trigger.MANUAL, dry_run=True)
    job_id = f"{workflow.value}-preview-{run.id}-{uuid.uuid4().hex[:8]}"
    try:
        # No RQ retry: the merchant is waiting on the page; a failure says why, and they press
        # Preview again.
        enqueue(
            "sync",
            job,
            shop.id,
            run.id,
            job_id=job_id,
            retry=None,
            timeout=600,
            shop_domain=shop.shop_domain,
        )
    except RedisError as exc:
        db.session.rollback()
        finish_run(run, None, Counter(), error=QUEUE_DOWN)
        raise QueueUnavailable(QUEUE_DOWN) from exc
    set_job(run, job_id)
    return run


def preview_result(run: SyncRun, key: str = "orders") -> dict | None:
    """What the run's job found (an answer holding `key`), while RQ keeps it; None before it
    finished, or once expired."""
    if not run.rq_job_id:
        return None
    try:
        job = Job.fetch(run.rq_job_id, connection=current_app.extensions["redis"])
    except NoSuchJobError:  # expired or flushed: nothing left to show
        return None
    value = job.return_value()
    return value if isinstance(value, dict) and key in value else None


@with_app_context
def preview_orders(shop_id: int, run_id: int) -> dict:
    """The RQ job: dry-run the next sync's first orders and close the run with the counts."""

    def previewed(shop: Shop, run: SyncRun, owner: str) -> tuple[dict, Counter]:
        result = preview_next_sync(shop, run, owner, last_sync_start(shop.id))
        counts = Counter(
            created=result["would_post"], skipped=result["would_skip"], failed=result["would_fail"]
        )
        return result, counts

    return run_preview(shop_id, run_id, previewed)


Preview = Callable[[Shop, SyncRun, str], tuple[dict, Counter]]


def run_preview(shop_id: int, run_id: int, make: Preview) -> dict:
    """A preview job's run, start to end: take the run, `make(shop, run, owner)` the answer and
    the run's counts, close the run with them (or with the reason it could not be made)."""
    run = db.session.get(SyncRun, run_id)
    if run is None or run.shop_id != shop_id or not run.dry_run:
        return {}
    job = get_current_job()
    owner = start_run(run.id, job.id if job else None)
    if owner is None:
        return {}  # closed meanwhile (the watchdog, an uninstall)
    shop = run.shop
    error = refusal(shop)
    if error:
        finish_run(run, owner, Counter(), error=error)
        return {}
    shop.ensure_settings()
    try:
        result, counts = make(shop, run, owner)
    except LeaseLost:
        return {}  # the watchdog closed the run as stalled: its word stands
    except SyncError as exc:
        db.session.rollback()
        finish_run(run, owner, Counter(), error=f"{exc.reason} {exc.fix or ''}".strip())
        return {}
    finish_run(run, owner, counts)
    return result
