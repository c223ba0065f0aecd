"""Background jobs: enqueued by dotted path with ids (never ORM objects), run by RQ workers."""

from __future__ import annotations

from flask import current_app
from rq import Queue, Retry
from rq.job import Job

# Network trouble and throttling heal with time: back off 10 s, 1 min, 5 min, 15 min.
DEFAULT_RETRY = Retry(max=4, interval=[10, 60, 300, 900])


def queue(name: str) -> Queue:
    """The app's RQ queue of that purpose (webhooks, sync, maintenance)."""
    return current_app.extensions["rq"][name]


def enqueue(
    queue_name: str,
    func: str,
    *args: object,
    job_id: str | None = None,
    retry: Retry | None = DEFAULT_RETRY,
    timeout: int = 3600,
    shop_domain: str | None = None,
    meta: dict | None = None,
) -> Job:
    """Enqueue `func` (a dotted path) on a queue; a stable job_id makes re-enqueueing harmless.

    `shop_domain` is kept in the job's meta so a shop's pending jobs can be found and cancelled;
    `meta` adds to it.
    """
    return queue(queue_name).enqueue(
        func,
        *args,
        job_id=job_id,
        retry=retry,
        job_timeout=timeout,
        result_ttl=86400,
        meta={**({"shop_domain": shop_domain} if shop_domain else {}), **(meta or {})} or None,
    )


def cancel_shop_jobs(shop_domain: str) -> int:
    """Cancel every queued job of a shop (uninstall, erasure); returns how many."""
    cancelled = 0
    for name in current_app.extensions["rq"]:
        for job in queue(name).get_jobs():
            if job.meta.get("shop_domain") == shop_domain:
                job.cancel()
                cancelled += 1
    return cancelled
