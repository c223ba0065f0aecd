"""Sandbox mode: one command starts the web app with a worker and the scheduler in-process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from extensions import db
from jobs import enqueue
from jobs.runner import start_in_process
from models import ProcessedWebhook, Shop

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A local port free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float = 20.0) -> bool:  # noqa: ANN001
    """Poll until predicate() is truthy or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_in_process_worker_thread_runs_enqueued_jobs(app) -> None:
    shop = Shop(shop_domain="sandbox.myshopify.com")
    db.session.add(shop)
    db.session.commit()
    db.session.add(
        ProcessedWebhook(
            webhook_id="old",
            shop_id=shop.id,
            shop_domain=shop.shop_domain,
            topic="orders/paid",
            received_at=shop.created_at.replace(year=2020),
        )
    )
    db.session.commit()
    stop = threading.Event()
    threads = start_in_process(app, stop)
    try:
        job = enqueue("maintenance", "jobs.maintenance.prune_processed_webhooks")
        assert wait_for(lambda: job.refresh() or job.is_finished), job.get_status()
        assert job.return_value() == 1
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)
    assert not any(thread.is_alive() for thread in threads)


def test_sandbox_command_serves_a_healthy_app(tmp_path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "TESTING"}}
    env.update(SANDBOX="1", PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path / 'sb.sqlite3'}")
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "sandbox"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:

        def healthy() -> bool:
            try:
                return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok
            except requests.ConnectionError:
                return False

        assert wait_for(healthy, timeout=60), process.stdout and process.stdout.read()
        body = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()
        assert body == {"status": "ok", "database": "ok", "redis": "ok"}
        assert "Sandbox mode" in requests.get(f"http://127.0.0.1:{port}/", timeout=5).text
    finally:
        process.terminate()
        process.wait(timeout=10)
