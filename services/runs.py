"""Sync runs: queued → running (owned by one execution under a lease) → a final status.

A shop has at most one run waiting and one running per workflow: partial unique indexes in the
database refuse a second (models.SyncRun), so triggers that race coalesce into the waiting run
(services/run_requests.py). The execution that starts a run takes it with a compare-and-set and
gets an owner token; every later write (heartbeat, retry, final state) is conditional on still
holding it, so a run closed by an uninstall or taken over after its lease ran out is never
overwritten by a stale worker.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from extensions import db
from models import LedgerEntry, LedgerStatus, RunStatus, SyncRun, Trigger, Workflow, utcnow
from services.run_log import log_run_end, log_run_start
from services.writes import rows_changed

# Outcome names counted per run, as the dashboard shows them.
OUTCOMES = ("created", "updated", "skipped", "failed")
TAKEN_OVER = "The worker stopped mid-run; a new run took over its orders."


class LeaseLost(Exception):
    """The run (or a claimed row) is no longer this execution's: stop without writing."""


class RunBusy(Exception):
    """Another live run of the same shop and workflow holds the running slot."""


def lease_until(extra: float = 0) -> datetime:
    """When a lease taken or renewed now runs out."""
    return utcnow() + timedelta(seconds=int(current_app.config["LEASE_SECONDS"]) + extra)


def queue_run(
    shop_id: int,
    workflow: Workflow,
    trigger: Trigger,
    dry_run: bool = False,
    params: dict | None = None,
) -> SyncRun:
    """A new run waiting for a worker (a dry run never competes for the shop's slots)."""
    run = SyncRun(
        shop_id=shop_id, workflow=workflow, trigger=trigger, dry_run=dry_run, params=params or {}
    )
    db.session.add(run)
    db.session.commit()
    return run


def set_job(run: SyncRun, job_id: str) -> bool:
    """Record the job that will run a waiting run (never on a run already under way)."""
    changed = rows_changed(
        db.session.execute(
            update(SyncRun)
            .where(SyncRun.id == run.id, SyncRun.status == RunStatus.QUEUED)
            .values(rq_job_id=job_id)
        )
    )
    db.session.commit()
    return bool(changed)


def start_run(run_id: int, job_id: str | None) -> str | None:
    """Take the run for this execution; its owner token, or None when there is nothing to do.

    A waiting run is taken; so is a running one whose lease ran out (its worker died) or that
    waits for this very job's retry. Raises RunBusy while another live run holds the slot.
    """
    for _ in range(3):
        owner, now = uuid.uuid4().hex, utcnow()
        mine = [SyncRun.lease_expires_at < now]
        if job_id:
            mine.append(SyncRun.rq_job_id == job_id)
        try:
            taken = rows_changed(
                db.session.execute(
                    update(SyncRun)
                    .where(
                        SyncRun.id == run_id,
                        or_(
                            SyncRun.status == RunStatus.QUEUED,
                            and_(SyncRun.status == RunStatus.RUNNING, or_(*mine)),
                        ),
                    )
                    .values(
                        status=RunStatus.RUNNING,
                        owner=owner,
                        heartbeat_at=now,
                        lease_expires_at=lease_until(),
                        rq_job_id=job_id,
                    )
                )
            )
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            _close_dead_holder(run_id)
            continue
        if not taken:
            return None
        run = db.session.get(SyncRun, run_id, populate_existing=True)
        if run is None:  # deleted meanwhile (the shop uninstalled)
            return None
        if run.started_at is None:
            run.started_at = now
            db.session.commit()
        log_run_start(run)
        return owner
    raise RunBusy("another run of this shop is under way")


def _close_dead_holder(run_id: int) -> None:
    """Close the shop's running run if its lease ran out; RunBusy when it is alive."""
    run = db.session.get(SyncRun, run_id)
    if run is None:
        return
    closed = rows_changed(
        db.session.execute(
            update(SyncRun)
            .where(
                SyncRun.shop_id == run.shop_id,
                SyncRun.workflow == run.workflow,
                SyncRun.status == RunStatus.RUNNING,
                SyncRun.dry_run.is_(False),
                SyncRun.id != run_id,
                SyncRun.lease_expires_at < utcnow(),
            )
            .values(status=RunStatus.ABANDONED, finished_at=utcnow(), error=TAKEN_OVER, owner=None)
        )
    )
    db.session.commit()
    if not closed:
        raise RunBusy("another run of this shop is under way")


def _owned(run: SyncRun, owner: str):
    """UPDATE of the run, only while this execution still owns it and it is running."""
    return update(SyncRun).where(
        SyncRun.id == run.id, SyncRun.owner == owner, SyncRun.status == RunStatus.RUNNING
    )


def _count_values(counts: Counter) -> dict[str, int]:
    """The run's count columns from a Counter of outcomes."""
    return {f"{outcome}_count": counts.get(outcome, 0) for outcome in OUTCOMES}


def beat(run: SyncRun, owner: str, counts: Counter, done: int, total: int | None = None) -> None:
    """Record progress and renew the leases of the run and of the rows it holds.

    Raises LeaseLost when the run is no longer this execution's (closed or taken over)."""
    values: dict = {"progress_done": done, "heartbeat_at": utcnow(), **_count_values(counts)}
    values["lease_expires_at"] = lease_until()
    if total is not None:
        values["progress_total"] = total
    if not rows_changed(db.session.execute(_owned(run, owner).values(**values))):
        db.session.rollback()
        raise LeaseLost(f"run {run.id} is no longer owned by this worker")
    db.session.execute(
        update(LedgerEntry)
        .where(
            LedgerEntry.shop_id == run.shop_id,  # the shop/status index, never another shop
            LedgerEntry.status == LedgerStatus.IN_PROGRESS,
            LedgerEntry.claimed_by == owner,
        )
        .values(lease_expires_at=values["lease_expires_at"])
    )
    db.session.commit()


def finish_run(
    run: SyncRun,
    owner: str | None,
    counts: Counter,
    error: str | None = None,
    status: RunStatus | None = None,
) -> bool:
    """Close the run: succeeded, partial (some items failed) or failed; False when it was no
    longer this execution's (an uninstall or a takeover closed it first: that state stands)."""
    if status is None:
        status = (
            RunStatus.FAILED
            if error
            else RunStatus.PARTIAL
            if counts.get("failed")
            else RunStatus.SUCCEEDED
        )
    query = (
        _owned(run, owner)
        if owner
        else update(SyncRun).where(SyncRun.id == run.id, SyncRun.status == RunStatus.QUEUED)
    )
    values = {**_count_values(counts), "status": status, "error": error, "finished_at": utcnow()}
    closed = bool(rows_changed(db.session.execute(query.values(**values, owner=None))))
    db.session.commit()
    db.session.refresh(run)
    if closed:
        log_run_end(run, counts)
    return closed


def hold_for_retry(run: SyncRun, owner: str, counts: Counter, reason: str, delay: float) -> None:
    """Keep the run (and its slot) for this job's retry in `delay` seconds, saying why."""
    when = utcnow() + timedelta(seconds=delay)
    db.session.execute(
        _owned(run, owner).values(
            **_count_values(counts),
            error=f"Retrying at {when:%H:%M:%S} UTC: {reason}",
            lease_expires_at=lease_until(delay),
            heartbeat_at=utcnow(),
        )
    )
    db.session.commit()


def pass_on(run: SyncRun, owner: str, counts: Counter, cursor: str, job_id: str) -> None:
    """Let other shops' jobs go first: the run keeps its slot for its continuation job."""
    db.session.execute(
        _owned(run, owner).values(
            **_count_values(counts),
            params={**(run.params or {}), "cursor": cursor},
            rq_job_id=job_id,
            lease_expires_at=lease_until(),
            heartbeat_at=utcnow(),
        )
    )
    db.session.commit()


def note_params(run: SyncRun, owner: str, **values: object) -> None:
    """Add what the execution learnt to the run's parameters (a preview, a hold, the catalogue
    read), only while it owns the run; raises LeaseLost otherwise."""
    params = {**(run.params or {}), **values}
    if not rows_changed(db.session.execute(_owned(run, owner).values(params=params))):
        db.session.rollback()
        raise LeaseLost(f"run {run.id} is no longer owned by this worker")
    db.session.commit()
    set_committed_value(run, "params", params)
