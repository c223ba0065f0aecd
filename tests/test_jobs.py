"""Jobs run for real on RQ workers; recurring jobs are registered once under stable ids."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rq_scheduler import Scheduler

from extensions import db
from jobs import enqueue, queue
from jobs.maintenance import mark_abandoned_runs
from jobs.runner import make_scheduler
from jobs.schedule import SCHEDULES, register_schedules
from models import ProcessedWebhook, RunStatus, Shop, SyncRun, Trigger, Workflow

ROOT = Path(__file__).resolve().parents[1]


def add_webhooks(shop: Shop, ages_in_days: list[int]) -> None:
    """Processed webhook ids received that many days ago."""
    now = datetime.now(UTC)
    db.session.add_all(
        ProcessedWebhook(
            webhook_id=f"wh-{i}",
            shop_id=shop.id,
            shop_domain=shop.shop_domain,
            topic="orders/paid",
            received_at=now - timedelta(days=age),
        )
        for i, age in enumerate(ages_in_days)
    )
    db.session.commit()


def test_worker_executes_an_enqueued_job(app, worker) -> None:
    shop = Shop(shop_domain="jobs.myshopify.com")
    db.session.add(shop)
    db.session.commit()
    add_webhooks(shop, [0, 3, 8, 30])
    job = enqueue("maintenance", "jobs.maintenance.prune_processed_webhooks")
    worker.run()
    job.refresh()
    assert job.is_finished and job.return_value() == 2
    db.session.expire_all()
    assert sorted(w.webhook_id for w in db.session.query(ProcessedWebhook)) == ["wh-0", "wh-1"]


def test_the_watchdog_closes_dead_runs_hands_on_their_orders_and_requeues_lost_jobs(
    app,
) -> None:
    now = datetime.now(UTC)
    dead, live, waiting = (
        Shop(shop_domain=f"{name}.myshopify.com", installed_at=now)
        for name in ("dead", "live", "waiting")
    )
    db.session.add_all([dead, live, waiting])
    db.session.commit()
    stale, alive = (
        SyncRun(
            shop_id=shop.id,
            workflow=Workflow.SALES,
            trigger=Trigger.WEBHOOK,
            status=RunStatus.RUNNING,
            started_at=now - timedelta(hours=1),
            heartbeat_at=now - timedelta(minutes=minutes),
            lease_expires_at=now + timedelta(minutes=5 - minutes),
            params={"order_ids": ["42"]},
        )
        for shop, minutes in ((dead, 40), (live, 1))
    )
    lost = SyncRun(  # queued while Redis was down: it never got its job
        shop_id=waiting.id,
        workflow=Workflow.SALES,
        trigger=Trigger.MANUAL,
        queued_at=now - timedelta(minutes=2),
        params={},
    )
    db.session.add_all([stale, alive, lost])
    db.session.commit()
    assert mark_abandoned_runs() == {"closed": 1, "requeued": 1}
    db.session.expire_all()
    assert stale.status == RunStatus.ABANDONED and "worker stopped" in stale.error
    assert alive.status == RunStatus.RUNNING
    follow_up = db.session.query(SyncRun).filter_by(shop_id=dead.id, status=RunStatus.QUEUED)
    assert [r.params for r in follow_up] == [{"order_ids": ["42"]}]
    assert lost.rq_job_id and queue("sync").fetch_job(lost.rq_job_id) is not None


def test_registering_schedules_twice_keeps_one_job_per_id(app) -> None:
    scheduler = make_scheduler(app)
    register_schedules(scheduler)
    register_schedules(scheduler)
    ids = sorted(job.id for job in scheduler.get_jobs())
    assert ids == sorted(job_id for job_id, *_ in SCHEDULES)


def test_due_scheduled_jobs_reach_the_queue_and_run(app, worker) -> None:
    scheduler = make_scheduler(app)
    register_schedules(scheduler)

    def queued() -> int:
        return sum(q.count for q in app.extensions["rq"].values())

    assert queued() == 0
    later = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=2)
    due = list(scheduler.get_jobs(until=later))
    assert {job.id for job in due} == {job_id for job_id, *_ in SCHEDULES}
    for job in due:  # what the scheduler loop does when their time comes
        scheduler.enqueue_job(job)
    assert queued() == len(SCHEDULES)
    worker.run()
    assert queued() == 0
    assert isinstance(scheduler, Scheduler)


def test_worker_process_runs_jobs_in_forked_children(app, database_uri, redis_server_url):
    """`flask worker --burst` as Procfile runs it: a separate process, forking per job."""
    from tests.support import make_test_app

    producer = make_test_app(database_uri, REDIS_URL=redis_server_url)
    with producer.app_context():
        shop = Shop(shop_domain="fork.myshopify.com")
        db.session.add(shop)
        db.session.commit()
        add_webhooks(shop, [9, 10])
        job = enqueue("maintenance", "jobs.maintenance.prune_processed_webhooks")
        env = dict(
            os.environ,
            TESTING="1",
            DATABASE_URL=database_uri,
            REDIS_URL=redis_server_url,
            ENCRYPTION_KEY=str(producer.config["ENCRYPTION_KEY"]),
        )
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "app", "worker", "--burst"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        job.refresh()
        assert job.is_finished and job.return_value() == 2
        db.session.expire_all()
        assert db.session.query(ProcessedWebhook).count() == 0
        db.session.remove()


def test_worker_without_redis_url_explains_itself(runner) -> None:
    result = runner.invoke(args=["worker", "--burst"])
    if os.environ.get("REDIS_URL"):
        assert result.exit_code == 0
    else:
        assert result.exit_code != 0 and "REDIS_URL is not set" in result.output
