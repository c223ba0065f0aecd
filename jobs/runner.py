"""Worker and scheduler processes, and their in-process twins for sandbox mode and tests.

The one `scheduler` process owns everything that happens on time (docs/operations.md): it moves
rq-scheduler's recurring jobs and RQ's own scheduled jobs (retries with backoff, runs waiting
their turn) onto their queues, hands abandoned jobs of dead workers back to RQ's retry, and runs
the watchdog that closes dead runs. Workers only execute jobs.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
import warnings

from flask import Flask
from rq import SimpleWorker, Worker
from rq.registry import clean_registries
from rq.scheduler import RQScheduler
from rq.timeouts import TimerDeathPenalty
from rq_scheduler import Scheduler

from extensions import QUEUE_NAMES
from jobs.context import reset_connections_after_fork
from jobs.schedule import register_schedules

log = logging.getLogger(__name__)
# rq-scheduler calls crontab without default_utc; we schedule in UTC explicitly (cron strings).
warnings.filterwarnings("ignore", category=FutureWarning, module="rq_scheduler.utils")


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
        interval=int(app.config["SCHEDULER_INTERVAL_S"]),
    )


class Ticker:
    """One scheduler tick: recurring jobs, RQ's due retries, abandoned jobs, the watchdog."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.recurring = make_scheduler(app)
        self.retries = RQScheduler(
            queues_in_priority(app),
            connection=app.extensions["redis"],
            interval=int(app.config["SCHEDULER_INTERVAL_S"]),
        )
        self.watchdog_every = float(app.config["WATCHDOG_INTERVAL_S"])
        self.last_watch = 0.0

    def register(self) -> list[str]:
        """Register the recurring jobs (stable ids: harmless on every boot)."""
        return register_schedules(self.recurring)

    def tick(self) -> None:
        """Move every due job onto its queue; close dead runs when the watchdog is due."""
        if self.recurring.acquire_lock():
            try:
                self.recurring.enqueue_jobs()
            finally:
                self.recurring.remove_lock()
        if self.retries.acquire_locks():
            self.retries.enqueue_scheduled_jobs()
            for queue in queues_in_priority(self.app):
                clean_registries(queue)  # a dead worker's job goes back to RQ's retry
        if time.monotonic() - self.last_watch >= self.watchdog_every:
            self.last_watch = time.monotonic()
            self.watch()

    def watch(self) -> None:
        """The watchdog, in this process: it runs even while every worker is busy."""
        from jobs.maintenance import mark_abandoned_runs

        with self.app.app_context():
            found = mark_abandoned_runs()
        if any(found.values()):
            log.info("watchdog: %s", found)


def run_scheduler(app: Flask) -> None:
    """The `flask scheduler` process: register recurring jobs, then tick until SIGTERM."""
    reset_connections_after_fork(app)
    ticker = Ticker(app)
    ids = ticker.register()
    log.info("scheduler: %d recurring jobs registered: %s", len(ids), ", ".join(ids))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    interval = float(app.config["SCHEDULER_INTERVAL_S"])
    while not stop.is_set():
        try:
            ticker.tick()
        except Exception:  # noqa: BLE001 - a Redis or database blip must not end the process
            log.exception("scheduler tick failed; trying again in %.0f s", interval)
        stop.wait(interval)
    ticker.retries.release_locks()


def start_in_process(app: Flask, stop: threading.Event) -> list[threading.Thread]:
    """Sandbox mode: a worker thread and a scheduler thread sharing the app's Redis stand-in."""

    def work() -> None:
        with app.app_context():
            worker = ThreadWorker(queues_in_priority(app), connection=app.extensions["redis"])
            while not stop.is_set():
                worker.work(burst=True, logging_level="WARNING")
                stop.wait(0.5)

    def schedule() -> None:
        ticker = Ticker(app)
        ticker.register()
        while not stop.is_set():
            ticker.tick()
            stop.wait(float(app.config["SCHEDULER_INTERVAL_S"]))

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
