"""Sync runs: queued → running (with a heartbeat and live progress) → a final status and counts."""

from __future__ import annotations

from collections import Counter

from extensions import db
from models import RunStatus, SyncRun, Trigger, Workflow, utcnow

# Outcome names counted per run, as the dashboard shows them.
OUTCOMES = ("created", "updated", "skipped", "failed")


def queue_run(shop_id: int, workflow: Workflow, trigger: Trigger, dry_run: bool = False) -> SyncRun:
    """A run waiting for a worker."""
    run = SyncRun(shop_id=shop_id, workflow=workflow, trigger=trigger, dry_run=dry_run)
    db.session.add(run)
    db.session.commit()
    return run


def start_run(run: SyncRun, total: int | None = None) -> None:
    """A worker picked the run up."""
    run.status, run.started_at = RunStatus.RUNNING, utcnow()
    run.heartbeat_at, run.progress_total = run.started_at, total
    db.session.commit()


def beat(run: SyncRun, counts: Counter, done: int, total: int | None = None) -> None:
    """Record progress; the heartbeat tells the dashboard (and the watchdog) the run is alive."""
    run.progress_done = done
    if total is not None:
        run.progress_total = total
    for outcome in OUTCOMES:
        setattr(run, f"{outcome}_count", counts.get(outcome, 0))
    run.heartbeat_at = utcnow()
    db.session.commit()


def finish_run(run: SyncRun, counts: Counter, error: str | None = None) -> None:
    """Close the run: succeeded, partial (some items failed) or failed (the run itself)."""
    beat(run, counts, run.progress_done)
    if error:
        run.status = RunStatus.FAILED
    elif counts.get("failed"):
        run.status = RunStatus.PARTIAL
    else:
        run.status = RunStatus.SUCCEEDED
    run.error, run.finished_at = error, utcnow()
    db.session.commit()
