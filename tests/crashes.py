"""A real worker process SIGKILLed while QBO answers one of its batches (exactly-once tests)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from extensions import db
from jobs import enqueue
from models import LedgerEntry, LedgerStatus, Shop, Trigger, Workflow
from services.runs import queue_run
from tests.deployed import signal_session, worker_env
from tests.support import TEST_LEASE_SECONDS, make_test_app

ROOT = Path(__file__).resolve().parents[1]


def wait_until_documents_in_flight(stored: str = "payload", timeout: float = 60.0) -> bool:
    """Poll the database until the worker has stored a batch's payloads (and is sending it):
    ledger rows in progress whose qbo_related holds `stored`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        rows = db.session.query(LedgerEntry).filter_by(status=LedgerStatus.IN_PROGRESS).all()
        if any((row.qbo_related or {}).get(stored) for row in rows):
            return True
        db.session.rollback()
        time.sleep(0.05)
    return False


def kill_worker_mid_batch(
    app,
    qbo_emulator,
    database_uri: str,
    redis_url: str,
    shop_domain: str,
    workflow: Workflow,
    *,
    endpoint: str = "/batch",
    stored: str = "payload",
) -> None:
    """Queue a run of `workflow`, start a worker process, SIGKILL it while QBO takes 0.7 s to
    answer a batch it sent, and wait until its lease has run out. The stock push writes to
    Shopify: it passes the Shopify emulator's control (`qbo_emulator` is any emulator with
    `control`), the slowed `endpoint` and the ledger's `stored` key of a batch being sent."""
    from jobs.sales_triggers import WORKFLOW_JOBS

    names = ("SHOPIFY_ADMIN_BASE_URL", "QBO_ENVIRONMENT", "QBO_API_BASE_URL")
    producer = make_test_app(database_uri, REDIS_URL=redis_url, **{k: app.config[k] for k in names})
    env = {**worker_env(app, database_uri, redis_url), "LEASE_SECONDS": str(TEST_LEASE_SECONDS)}
    qbo_emulator.control(
        "POST", "faults", latency_ms=700, only_endpoint=endpoint
    ).raise_for_status()
    with producer.app_context():
        shop = Shop.by_domain(shop_domain)
        run = queue_run(shop.id, workflow, Trigger.MANUAL)
        enqueue("sync", WORKFLOW_JOBS[workflow], shop.id, run.id, shop_domain=shop_domain)
        db.session.remove()
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    assert wait_until_documents_in_flight(stored), "the worker never sent its documents"
    signal_session(process.pid, signal.SIGKILL)  # while QBO takes 0.7 s to answer the batch
    process.wait(timeout=10)
    qbo_emulator.control("POST", "faults").raise_for_status()
    db.session.expire_all()
    assert any(e.status != LedgerStatus.POSTED for e in db.session.query(LedgerEntry)), (
        "the worker finished before it was killed: nothing was tested"
    )
    time.sleep(TEST_LEASE_SECONDS + 0.5)  # the dead worker's lease runs out
