"""Recurring jobs, registered with rq-scheduler under stable ids (re-registering is harmless).

The watchdog is not among them: the scheduler process runs it itself every WATCHDOG_INTERVAL_S
(jobs/runner.py), so it runs even while every worker is busy."""

from __future__ import annotations

from datetime import datetime, timedelta

from rq_scheduler import Scheduler

HOURLY_MINUTE = 5  # the hourly syncs start this many minutes past every hour (UTC)

# (stable id, cron expression in UTC, job function, queue)
SCHEDULES = (
    (
        "ledgerbridge-hourly-sales-sync",
        f"{HOURLY_MINUTE} * * * *",
        "jobs.sales_triggers.enqueue_hourly_syncs",
        "sync",
    ),
    (
        "ledgerbridge-keep-connections-alive",
        "41 2 * * *",
        "jobs.maintenance.keep_connections_alive",
        "maintenance",
    ),
    (
        "ledgerbridge-prune-processed-webhooks",
        "17 3 * * *",
        "jobs.maintenance.prune_processed_webhooks",
        "maintenance",
    ),
)


def register_schedules(scheduler: Scheduler) -> list[str]:
    """Create or replace every recurring job; returns their ids."""
    wanted = {job_id for job_id, *_ in SCHEDULES}
    for job in scheduler.get_jobs():
        # Drop schedules of ours that a newer release no longer defines.
        if job.id.startswith("ledgerbridge-") and job.id not in wanted:
            scheduler.cancel(job)
    for job_id, cron, func, queue_name in SCHEDULES:
        scheduler.cron(cron, func=func, id=job_id, queue_name=queue_name, use_local_timezone=False)
    return sorted(wanted)


def next_hourly_sync(now: datetime) -> datetime:
    """When the hourly syncs next start, after `now`."""
    at = now.replace(minute=HOURLY_MINUTE, second=0, microsecond=0)
    return at if at > now else at + timedelta(hours=1)
