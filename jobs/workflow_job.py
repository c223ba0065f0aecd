"""A run's lifecycle, whatever the workflow: take the run, recover, sync, always close the run.

The job owns its run's lifecycle. Whatever happens, the run ends in a true final state with its
counts (or waits, saying why, for RQ to retry this very job):
- a retryable failure (throttling, 5xx, lost answers) returns RQ's `Retry` with the configured
  backoff (never shorter than what the API asked for); after the last attempt the run is closed
  with the reason and its records wait for the next run;
- a refusal that needs the merchant (reconnect, a data fix) closes the run with the reason;
- another live run of the shop and workflow holding the slot makes this one wait its turn;
- between batches, when other shops' jobs wait, the run passes on to a continuation job at the
  back of the queue (so a 100,000-record backfill delays another shop by one batch at most).

Each workflow's job module is a thin entry point: it names its `WorkflowJob` (the dotted path of
its RQ function and how to build its sync) and hands `run_job` the scope of the execution.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from flask import current_app
from rq import Retry, get_current_job
from rq.job import Job

from clients.errors import AuthError, DataError, RetryableError, RetryReason, SyncError
from extensions import db
from jobs import enqueue, queue
from jobs.sales_triggers import refusal
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

log = logging.getLogger(__name__)
PEEK = 10  # waiting jobs looked at between batches

Show = Callable[[dict], None]
Progress = Callable[[int, int], None]


class WorkflowSync(Protocol):
    """What a workflow's sync offers the job (sync.sales.run.SalesSync is the model)."""

    @property
    def cursor(self) -> datetime | str | None:
        """Where a continuation goes on from (the last record handled)."""

    def recover(self, previous_owner: str | None = None) -> None:
        """Finish what a stopped execution of the run left half done."""

    def run_all(
        self, scope: Any, progress: Progress | None, pass_on: Callable[[], bool] | None
    ) -> bool:
        """Sync the scope; True when it stopped early for other shops (go on from `cursor`)."""


@dataclass(frozen=True)
class WorkflowJob:
    """One workflow as RQ runs it."""

    job: str  # the dotted path of the RQ function (re-enqueued to wait or to go on)
    prefix: str  # of its RQ job ids: "<prefix>-run-<run id>-…"
    build: Callable[[Shop, SyncRun, str, Counter, Show | None], WorkflowSync]
    gave_up: str  # what happens to its records when the run gives up, in plain words


def retry_intervals() -> list[int]:
    """RQ's backoff between attempts, in seconds (SYNC_RETRY_INTERVALS)."""
    return [int(i) for i in str(current_app.config["SYNC_RETRY_INTERVALS"]).split(",")]


def _job_id(spec: WorkflowJob, run: SyncRun) -> str:
    """A new RQ job id for another execution of the run."""
    return f"{spec.prefix}-run-{run.id}-{uuid.uuid4().hex[:8]}"


def _renewed(shop: Shop) -> bool:
    """Refresh a QBO token that was refused early (revoked tokens mark the connection)."""
    if shop.quickbooks_connection is None:
        return False
    try:
        qbo_access_token(shop.quickbooks_connection, force=True)
    except SyncError:
        return False
    return True


def _wait_turn(spec: WorkflowJob, run: SyncRun, job: Job) -> dict:
    """Another run of the shop is under way: try again shortly, as a new scheduled job."""
    job_id = _job_id(spec, run)
    delay = timedelta(seconds=int(current_app.config["RUN_WAIT_S"]))
    queue(job.origin).enqueue_in(
        delay,
        spec.job,
        run.shop_id,
        run.id,
        job_id=job_id,
        retry=Retry(max=len(retry_intervals())),
        meta={"shop_domain": run.shop.shop_domain},
    )
    set_job(run, job_id)
    return {"waiting_for": "another run of this shop"}


def _continue_later(
    spec: WorkflowJob, run: SyncRun, owner: str, counts: Counter, cursor: datetime | str | None
) -> None:
    """Pass on to a continuation job at the back of the queue, keeping the run's slot."""
    job_id = _job_id(spec, run)
    text = cursor.isoformat() if isinstance(cursor, datetime) else cursor or ""
    pass_on(run, owner, counts, text, job_id)
    enqueue(
        "sync",
        spec.job,
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


def _resumed_counts(run: SyncRun) -> Counter:
    """Counts an execution carries on from (none for a new run)."""
    done = {
        "created": run.created_count,
        "updated": run.updated_count,
        "skipped": run.skipped_count,
        "failed": run.failed_count,
    }
    return Counter({name: count for name, count in done.items() if count})


def run_job(
    spec: WorkflowJob,
    shop_id: int,
    run_id: int,
    scope_for: Callable[[SyncRun], Any],
    show: Show | None = None,
    progress: Progress | None = None,
) -> dict | Retry:
    """One execution of a run of `spec`'s workflow (under RQ, or in the foreground for the CLI);
    `scope_for(run)` says what this execution reads."""
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
        return _wait_turn(spec, run, job)
    if owner is None:
        return {}  # finished or taken over meanwhile: nothing left for this job
    # what earlier executions of the run did (a continuation, an RQ retry, a crash) still counts
    counts = _resumed_counts(run)
    execution = _Execution(spec, run, owner, counts, job)
    return execution.execute(previous, scope_for(run), show, progress)


@dataclass
class _Execution:
    """One execution of a run, under its owner token."""

    spec: WorkflowJob
    run: SyncRun
    owner: str
    counts: Counter
    job: Job | None

    def execute(
        self, previous: str | None, scope: Any, show: Show | None, progress: Progress | None
    ) -> dict | Retry:
        """Run the workflow; the run always ends closed or held for retry."""
        run, owner, counts = self.run, self.owner, self.counts
        shop = run.shop
        error: str | None = None
        holder: str | None = owner  # who closes the run at the end: nobody once it is handed on
        try:
            error = refusal(shop)
            if error:
                return {}
            shop.ensure_settings()
            sync = self.spec.build(shop, run, owner, counts, show)
            if not run.dry_run:
                sync.recover(previous)
            if sync.run_all(scope, progress, _others_waiting(self.job, shop.shop_domain)):
                _continue_later(self.spec, run, owner, counts, sync.cursor)
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
            retry, error = self._next_attempt(_token_refreshed())
            holder = owner if retry is None else None
            return retry or dict(counts)
        except DataError as exc:
            db.session.rollback()
            error = _reason(exc)
            return dict(counts)
        except RetryableError as exc:
            db.session.rollback()
            if self.job is None:  # the CLI: say why and stop; running it again resumes
                error = _reason(exc)
                raise
            retry, error = self._next_attempt(exc)
            holder = owner if retry is None else None
            return retry or dict(counts)
        except Exception:
            db.session.rollback()
            log.exception("run %s of shop %s failed unexpectedly", run.id, run.shop_id)
            error = "Ledgerbridge hit an unexpected error (it is logged for support). "
            error += self.spec.gave_up
            raise
        finally:
            if holder is not None:
                finish_run(run, holder, counts, error)

    def _next_attempt(self, exc: RetryableError) -> tuple[Retry | None, str | None]:
        """RQ's Retry for this job, holding the run (and its slot) until then — or, after the
        last attempt (or outside RQ), no Retry and the reason the run closes with."""
        intervals = retry_intervals()
        attempt = (self.job.number_of_retries or 0) if self.job else len(intervals)
        if attempt >= len(intervals):
            gave_up = f"{exc.reason} (gave up after {attempt + 1} attempts). {self.spec.gave_up}"
            return None, gave_up
        # Never sooner than the API asked (Shopify's throttle says when its bucket refills).
        delay = max(intervals[attempt], int(getattr(exc, "retry_after", None) or 0))
        hold_for_retry(self.run, self.owner, self.counts, exc.reason, delay)
        return Retry(max=len(intervals), interval=delay), None


def _token_refreshed() -> RetryableError:
    """QBO refused a token before its expiry and it was refreshed: try again with the new one."""
    return RetryableError(
        "QuickBooks refused the access token before its expiry; it was refreshed",
        why=RetryReason.TOKEN_EXPIRED,
    )


def _reason(exc: SyncError) -> str:
    """A failure as the merchant reads it: the reason and, when known, the fix."""
    return f"{exc.reason} — {exc.fix}" if exc.fix else exc.reason
