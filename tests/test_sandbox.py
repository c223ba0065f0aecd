"""Sandbox mode: one command starts the web app with a worker and the scheduler in-process."""

from __future__ import annotations

import os
import re
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


def wait_for(predicate, timeout: float = 20.0) -> bool:
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


def test_sandbox_command_starts_seeded_emulators_and_the_app(tmp_path) -> None:
    port, shopify_port, qbo_port = free_port(), free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "TESTING"}}
    env.update(
        SANDBOX="1", SANDBOX_ORDERS="12", DATABASE_URL=f"sqlite:///{tmp_path / 'sb.sqlite3'}"
    )
    command = [
        sys.executable,
        "-m",
        "flask",
        "--app",
        "app",
        "sandbox",
        "--port",
        str(port),
        "--shopify-port",
        str(shopify_port),
        "--quickbooks-port",
        str(qbo_port),
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def healthy() -> bool:
            try:
                return requests.get(f"{base}/healthz", timeout=1).ok
            except requests.ConnectionError:
                return False

        assert wait_for(healthy, timeout=120), "sandbox did not come up"
        assert "Sandbox mode" in requests.get(f"{base}/", timeout=5).text
        walk_through_the_sandbox(base)
    finally:
        process.terminate()
        process.wait(timeout=10)


def walk_through_the_sandbox(base: str) -> None:
    """What a newcomer does in the browser: open the app in the demo admin, connect QuickBooks,
    look at the demo company's books."""
    admin = requests.get(f"{base}/sandbox/", timeout=10)
    assert admin.status_code == 200
    frame = re.search(r'<iframe[^>]+src="([^"]+)"', admin.text).group(1).replace("&amp;", "&")
    embedded = requests.get(f"{base}{frame}", timeout=30)
    assert embedded.status_code == 200 and "Connect to QuickBooks" in embedded.text
    shop = re.search(r'name="shopify-shop" content="([^"]+)"', embedded.text).group(1)
    token = requests.get(f"{base}/sandbox/session-token", params={"shop": shop}, timeout=10).json()[
        "token"
    ]
    start = requests.post(
        f"{base}/api/quickbooks/connect", timeout=30, headers={"Authorization": f"Bearer {token}"}
    )
    browser = requests.Session()  # the consent ends in the browser (cookie jar) that started it
    done = browser.get(start.json()["authorize_url"], timeout=30)
    assert done.status_code == 200 and "is now connected" in done.text
    configure_and_sync(base, shop)
    browse = re.search(r'href="([^"]+/_emulator/browse/[^"]+)"', admin.text).group(1)
    books = requests.get(browse, timeout=10)
    assert books.status_code == 200 and "SalesReceipt" in books.text


def configure_and_sync(base: str, shop: str) -> None:
    """Choose the income account, save, Sync now, and watch the run finish with orders posted."""

    def auth() -> dict[str, str]:
        token = requests.get(
            f"{base}/sandbox/session-token", params={"shop": shop}, timeout=10
        ).json()["token"]
        return {"Authorization": f"Bearer {token}"}

    accounts = requests.get(
        f"{base}/api/lookups/accounts?type=Income", headers=auth(), timeout=30
    ).json()["choices"]
    income = next(a["id"] for a in accounts if "Sales" in a["name"])
    saved = requests.put(
        f"{base}/api/settings",
        headers=auth(),
        timeout=30,
        json={"sales": {"qbo_income_account_id": income}},
    )
    assert saved.status_code == 200, saved.text
    run = requests.post(f"{base}/api/sync/sales", headers=auth(), timeout=30).json()

    def finished() -> bool:
        status = requests.get(f"{base}/api/runs/{run['id']}", headers=auth(), timeout=10).json()
        return status["status"] in {"succeeded", "partial", "failed"}

    assert wait_for(finished, timeout=120)
    final = requests.get(f"{base}/api/runs/{run['id']}", headers=auth(), timeout=10).json()
    assert final["counts"]["created"] > 0 and final["progress"]["done"] == 12, final
