"""Recurring jobs, registered with rq-scheduler under stable ids (re-registering is harmless).

The watchdog is not among them: the scheduler process runs it itself every WATCHDOG_INTERVAL_S
(jobs/runner.py), so it runs even while every worker is busy."""

from __future__ import annotations

from rq_scheduler import Scheduler

# (stable id, cron expression in UTC, job function, queue)
SCHEDULES = (
    (
        "ledgerbridge-hourly-sales-sync",
        "5 * * * *",
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
