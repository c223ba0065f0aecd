"""Worker and scheduler processes, and their in-process twins for sandbox mode and tests."""

from __future__ import annotations

import logging
import threading
import time
import warnings

from flask import Flask
from rq import SimpleWorker, Worker
from rq.timeouts import TimerDeathPenalty
from rq_scheduler import Scheduler

from extensions import QUEUE_NAMES
from jobs.context import reset_connections_after_fork
from jobs.schedule import register_schedules

log = logging.getLogger(__name__)
# rq-scheduler calls crontab without default_utc; we schedule in UTC explicitly (cron strings).
warnings.filterwarnings("ignore", category=FutureWarning, module="rq_scheduler.utils")
SCHEDULER_INTERVAL_S = 30


class ThreadWorker(SimpleWorker):
    """Runs jobs in the calling thread: no fork, timer-based timeouts, no signal handlers."""

    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self) -> None:
        """Signals belong to the main thread; a background thread must not claim them."""


def queues_in_priority(app: Flask) -> list:
    """Queues in the order a worker serves them: webhooks first, housekeeping last."""
    return [app.extensions["rq"][name] for name in QUEUE_NAMES]


def run_worker(app: Flask, burst: bool = False) -> bool:
    """A forking RQ worker (production `flask worker`): each job in a fresh child process."""
    reset_connections_after_fork(app)
    worker = Worker(queues_in_priority(app), connection=app.extensions["redis"])
    return worker.work(burst=burst, logging_level=str(app.config["LOG_LEVEL"]).upper())


def make_scheduler(app: Flask) -> Scheduler:
    """An rq-scheduler on the app's Redis, enqueueing onto the maintenance queue by default."""
    return Scheduler(
        queue=app.extensions["rq"]["maintenance"],
        connection=app.extensions["redis"],
        interval=SCHEDULER_INTERVAL_S,
    )


def run_scheduler(app: Flask) -> None:
    """The `flask scheduler` process: register recurring jobs, then move due jobs onto queues."""
    scheduler = make_scheduler(app)
    ids = register_schedules(scheduler)
    log.info("scheduler: %d recurring jobs registered: %s", len(ids), ", ".join(ids))
    scheduler.run()


def start_in_process(app: Flask, stop: threading.Event) -> list[threading.Thread]:
    """Sandbox mode: a worker thread and a scheduler thread sharing the app's Redis stand-in."""

    def work() -> None:
        with app.app_context():
            worker = ThreadWorker(queues_in_priority(app), connection=app.extensions["redis"])
            while not stop.is_set():
                worker.work(burst=True, logging_level="WARNING")
                stop.wait(0.5)

    def schedule() -> None:
        scheduler = make_scheduler(app)
        register_schedules(scheduler)
        while not stop.is_set():
            scheduler.enqueue_jobs()
            stop.wait(SCHEDULER_INTERVAL_S)

    threads = [
        threading.Thread(target=work, name="ledgerbridge-worker", daemon=True),
        threading.Thread(target=schedule, name="ledgerbridge-scheduler", daemon=True),
    ]
    for thread in threads:
        thread.start()
    return threads


def wait_forever(stop: threading.Event) -> None:
    """Block until interrupted."""
    while not stop.is_set():
        time.sleep(1)
