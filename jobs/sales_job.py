"""The RQ job of the sales workflow: take the run, recover, sync, and always close the run.

The job owns its run's lifecycle. Whatever happens, the run ends in a true final state with its
counts (or waits, saying why, for RQ to retry this very job):
- a retryable failure (throttling, 5xx, lost answers) returns RQ's `Retry` with the configured
  backoff (never shorter than what the API asked for); after the last attempt the run is closed
  with the reason and its orders wait for the next run;
- a refusal that needs the merchant (reconnect, a data fix) closes the run with the reason;
- another live run of the shop holding the slot makes this one wait its turn;
- between batches, when other shops' jobs wait, the run passes on to a continuation job at the
  back of the queue (so a 100,000-order backfill delays another shop by one batch at most).
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from rq import Retry, get_current_job
from rq.job import Job

from clients.errors import AuthError, DataError, RetryableError, RetryReason, SyncError
from extensions import db
from jobs import enqueue, queue
from jobs.context import with_app_context
from jobs.sales_triggers import last_sync_start, refusal
from models import Shop, SyncRun
from services.quickbooks_connection import access_token as qbo_access_token
from services.runs import (
    LeaseLost,
    RunBusy,
    finish_run,
    hold_for_retry,
    pass_on,
    set_job,
    start_run,
)
from sync.sales.run import SalesSync, Scope

log = logging.getLogger(__name__)
JOB = "jobs.sales_job.sync_orders"
GAVE_UP = "The orders wait for the next run."
PEEK = 10  # waiting jobs looked at between batches


def retry_intervals() -> list[int]:
    """RQ's backoff between attempts, in seconds (SYNC_RETRY_INTERVALS)."""
    return [int(i) for i in str(current_app.config["SYNC_RETRY_INTERVALS"]).split(",")]


def _renewed(shop: Shop) -> bool:
    """Refresh a QBO token that was refused early (revoked tokens mark the connection)."""
    if shop.quickbooks_connection is None:
        return False
    try:
        qbo_access_token(shop.quickbooks_connection, force=True)
    except SyncError:
        return False
    return True


def _wait_turn(run: SyncRun, job: Job) -> dict:
    """Another run of the shop is under way: try again shortly, as a new scheduled job."""
    job_id = f"sales-run-{run.id}-{uuid.uuid4().hex[:8]}"
    delay = timedelta(seconds=int(current_app.config["RUN_WAIT_S"]))
    queue(job.origin).enqueue_in(
        delay,
        JOB,
        run.shop_id,
        run.id,
        job_id=job_id,
        retry=Retry(max=len(retry_intervals())),
        meta={"shop_domain": run.shop.shop_domain},
    )
    set_job(run, job_id)
    return {"waiting_for": "another run of this shop"}


def _continue_later(run: SyncRun, owner: str, counts: Counter, cursor: datetime | None) -> None:
    """Pass on to a continuation job at the back of the queue, keeping the run's slot."""
    job_id = f"sales-run-{run.id}-{uuid.uuid4().hex[:8]}"
    pass_on(run, owner, counts, cursor.isoformat() if cursor else "", job_id)
    enqueue(
        "sync",
        JOB,
        run.shop_id,
        run.id,
        job_id=job_id,
        shop_domain=run.shop.shop_domain,
        meta={"continuation": True},
    )


def _others_waiting(job: Job | None, shop_domain: str) -> Callable[[], bool] | None:
    """Under RQ: whether another shop's new job (or housekeeping) waits at the head of this job's
    queue. The shop's own jobs would only wait for this run to finish, and another backfill's
    continuation already had its turn: passing on to it would only make two backfills take turns
    at the cost of a new read each."""
    if job is None:
        return None

    def others() -> bool:
        waiting = queue(job.origin).get_jobs(0, PEEK)
        return any(
            j.meta.get("shop_domain") != shop_domain and not j.meta.get("continuation")
            for j in waiting
        )

    return others


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


def _resumed_counts(run: SyncRun) -> Counter:
    """Counts an execution carries on from (none for a new run)."""
    done = {
        "created": run.created_count,
        "updated": run.updated_count,
        "skipped": run.skipped_count,
        "failed": run.failed_count,
    }
    return Counter({name: count for name, count in done.items() if count})


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
    job = get_current_job()
    run = db.session.get(SyncRun, run_id)
    if run is None or run.shop_id != shop_id:
        return {}
    previous = run.owner
    try:
        owner = start_run(run.id, job.id if job else None)
    except RunBusy:
        if job is None:
            raise DataError(
                "Another sync of this shop is under way.", "Try again when it has finished."
            ) from None
        return _wait_turn(run, job)
    if owner is None:
        return {}  # finished or taken over meanwhile: nothing left for this job
    # what earlier executions of the run did (a continuation, an RQ retry, a crash) still counts
    counts = _resumed_counts(run)
    scope = _scope(run, since, order_ids)
    scope.page_size = page_size
    return _execute(run, owner, previous, counts, scope, job, show, progress)


def _execute(  # noqa: PLR0913
    run: SyncRun,
    owner: str,
    previous: str | None,
    counts: Counter,
    scope: Scope,
    job: Job | None,
    show: Callable[[dict], None] | None,
    progress: Callable[[int, int], None] | None,
) -> dict | Retry:
    """Run the workflow under the owner token; the run always ends closed or held for retry."""
    shop = run.shop
    error: str | None = None
    holder: str | None = owner  # who closes the run at the end: nobody once it is handed on
    try:
        error = refusal(shop)
        if error:
            return {}
        shop.ensure_settings()
        sync = SalesSync(shop, run, owner, counts, show=show)
        if not run.dry_run:
            sync.recover(previous)
        if sync.run_all(scope, progress, _others_waiting(job, shop.shop_domain)):
            _continue_later(run, owner, counts, sync.cursor)
            holder = None  # the continuation owns the run now
        return dict(counts)
    except LeaseLost as exc:
        log.warning("run %s stopped: %s", run.id, exc)
        holder = None  # someone else owns the run or its rows: write nothing more
        return dict(counts)
    except AuthError as exc:
        db.session.rollback()
        if exc.code != "401" or not _renewed(shop):
            error = _reason(exc)
            return dict(counts)
        retryable = RetryableError(
            "QuickBooks refused the access token before its expiry; it was refreshed",
            why=RetryReason.TOKEN_EXPIRED,
        )
        retry, error = _next_attempt(run, owner, counts, retryable, job)
        holder = owner if retry is None else None
        return retry or dict(counts)
    except DataError as exc:
        db.session.rollback()
        error = _reason(exc)
        return dict(counts)
    except RetryableError as exc:
        db.session.rollback()
        if job is None:  # the CLI: say why and stop; running it again resumes
            error = _reason(exc)
            raise
        retry, error = _next_attempt(run, owner, counts, exc, job)
        holder = owner if retry is None else None
        return retry or dict(counts)
    except Exception:
        db.session.rollback()
        log.exception("run %s of shop %s failed unexpectedly", run.id, run.shop_id)
        error = "Ledgerbridge hit an unexpected error (it is logged for support). " + GAVE_UP
        raise
    finally:
        if holder is not None:
            finish_run(run, holder, counts, error)


def _reason(exc: SyncError) -> str:
    """A failure as the merchant reads it: the reason and, when known, the fix."""
    return f"{exc.reason} — {exc.fix}" if exc.fix else exc.reason


def _next_attempt(
    run: SyncRun, owner: str, counts: Counter, exc: RetryableError, job: Job | None
) -> tuple[Retry | None, str | None]:
    """RQ's Retry for this job, holding the run (and its slot) until then — or, after the last
    attempt (or outside RQ), no Retry and the reason the run closes with."""
    intervals = retry_intervals()
    attempt = (job.number_of_retries or 0) if job else len(intervals)
    if attempt >= len(intervals):
        return None, f"{exc.reason} (gave up after {attempt + 1} attempts). {GAVE_UP}"
    # Never sooner than the API asked (Shopify's throttle says when its bucket refills).
    delay = max(intervals[attempt], int(getattr(exc, "retry_after", None) or 0))
    hold_for_retry(run, owner, counts, exc.reason, delay)
    return Retry(max=len(intervals), interval=delay), None
