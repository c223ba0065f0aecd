"""Backfill benchmark: seed N orders in the Shopify emulator, backfill them into a QBO emulator
company, and report API requests per order, wall time and peak memory.

    python bench/backfill.py --orders 1000

The emulators run as separate processes (as Shopify and Intuit would), so the figures are the
app's own. The last line is one JSON object: orders, shopify_requests, qbo_requests,
shopify_per_order, qbo_per_order, qbo_reads, qbo_reads_per_order (the read calls Intuit meters,
each batch item counted), wall_s, peak_mb (plus posted/failed/skipped counts).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")

SHOP = "bench.myshopify.com"


def free_port() -> int:
    """A local port free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_emulator(name: str) -> tuple[subprocess.Popen, SimpleNamespace]:
    """`python -m emulators.<name>` on a free port, once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", f"emulators.{name}", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            requests.get(f"{url}/_emulator/requests", timeout=1)
            return process, SimpleNamespace(url=url, port=port)
        except requests.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError(f"the {name} emulator did not start")


def make_app(workdir: Path):
    """The app on a fresh SQLite database, with the in-process Redis stand-in."""
    from cryptography.fernet import Fernet

    from app import create_app
    from extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "REDIS_URL": None,
            "SECRET_KEY": "bench",
            "ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "SHOPIFY_API_KEY": "bench-app",
            "SHOPIFY_API_SECRET": "bench-secret-" + "x" * 32,
            "QBO_CLIENT_ID": "bench-qbo",
            "QBO_CLIENT_SECRET": "bench-qbo-secret",
            "APP_URL": "http://127.0.0.1:5000",
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        db.create_all()
    return app


def seed(shopify: SimpleNamespace, quickbooks: SimpleNamespace, orders: int) -> None:
    """A US QBO company, and a store with `orders` orders made through Shopify's API."""
    from emulators.shopify.seed import seed_store

    requests.post(
        f"{quickbooks.url}/_emulator/companies", json={"template": "us"}, timeout=30
    ).raise_for_status()
    owner = requests.post(f"{shopify.url}/_emulator/shops", json={"domain": SHOP}, timeout=30)
    owner.raise_for_status()
    print(f"seeding {orders} orders through the Shopify emulator…", file=sys.stderr)
    seed_store(shopify.url, shopify.port, owner.json()["access_token"], orders=orders)


def install_and_connect(app) -> None:
    """Open the app (token exchange), connect QuickBooks, choose the income account."""
    from emulators.shopify.session_tokens import mint_session_token

    client = app.test_client()

    def token() -> str:
        return mint_session_token(
            SHOP, app.config["SHOPIFY_API_KEY"], app.config["SHOPIFY_API_SECRET"]
        )

    assert client.get(f"/app?shop={SHOP}&id_token={token()}").status_code == 200
    auth = {"Authorization": f"Bearer {token()}"}
    start = urlsplit(
        client.post("/api/quickbooks/connect", headers=auth).get_json()["authorize_url"]
    )
    intuit = client.get(f"{start.path}?{start.query}").location  # binds the flow to this client
    back = urlsplit(requests.get(intuit, allow_redirects=False, timeout=30).headers["Location"])
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    assert client.get("/quickbooks/callback", query_string=query).status_code == 302
    accounts = client.get(
        "/api/lookups/accounts?type=Income", headers={"Authorization": f"Bearer {token()}"}
    ).get_json()["choices"]
    income = next(a["id"] for a in accounts if "Sales" in a["name"])
    client.put(
        "/api/settings",
        json={"sales": {"qbo_income_account_id": income}},
        headers={"Authorization": f"Bearer {token()}"},
    )


def request_total(emulator: SimpleNamespace) -> int:
    """Requests the emulator served since its log was last cleared."""
    return requests.get(f"{emulator.url}/_emulator/requests", timeout=30).json()["total"]


def backfill(app, page_size: int) -> tuple[dict, float, float]:
    """Run the sales workflow over every order; counts, wall seconds, peak MiB (Python heap)."""
    import click

    from jobs.sales_job import sync_orders
    from models import Shop, Trigger, Workflow
    from services.runs import queue_run

    with app.app_context():
        shop = Shop.by_domain(SHOP)
        run = queue_run(shop.id, Workflow.SALES, Trigger.CLI)
        with click.progressbar(length=1, label="backfill", file=sys.stderr) as bar:

            def progress(done: int, total: int) -> None:
                bar.length = max(total, 1)
                bar.update(done - bar.pos)

            tracemalloc.start()
            started = time.perf_counter()
            counts = sync_orders(shop.id, run.id, page_size=page_size, progress=progress)
            wall = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        print_failures(shop.id)
    return counts, wall, peak


def print_failures(shop_id: int) -> None:
    """The most common reasons orders could not be posted (to stderr)."""
    from collections import Counter

    from extensions import db
    from models import LedgerEntry, LedgerStatus

    reasons = Counter(
        e.last_error
        for e in db.session.query(LedgerEntry).filter_by(
            shop_id=shop_id, status=LedgerStatus.FAILED
        )
    )
    for reason, count in reasons.most_common(5):
        print(f"  {count} failed: {reason}", file=sys.stderr)


def main() -> None:
    """Parse arguments, run the benchmark, print the figures and the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--page-size", type=int, default=5)
    args = parser.parse_args()
    with emulated_app() as (app, shopify, quickbooks):
        seed(shopify, quickbooks, args.orders)
        install_and_connect(app)
        for emulator in (shopify, quickbooks):
            requests.delete(f"{emulator.url}/_emulator/requests", timeout=30)
        requests.delete(f"{quickbooks.url}/_emulator/metered", timeout=30)
        counts, wall, peak = backfill(app, args.page_size)
        reads = requests.get(f"{quickbooks.url}/_emulator/metered", timeout=30).json()["reads"]
        report(
            args.orders,
            counts,
            (request_total(shopify), request_total(quickbooks), reads),
            wall,
            peak,
        )


@contextmanager
def emulated_app() -> Iterator[tuple]:
    """Both emulators as processes and the app on a fresh database pointed at them; (app,
    shopify, quickbooks). The emulators stop on the way out."""
    processes = []
    try:
        shop_proc, shopify = start_emulator("shopify")
        qbo_proc, quickbooks = start_emulator("quickbooks")
        processes += [shop_proc, qbo_proc]
        with tempfile.TemporaryDirectory() as workdir:
            app = make_app(Path(workdir))
            from emulators.sandbox import point_app_at

            point_app_at(app, shopify, quickbooks)
            yield app, shopify, quickbooks
    finally:
        for process in processes:
            process.terminate()


def report(
    orders: int, counts: dict, requested: tuple[int, int, int], wall: float, peak: float
) -> None:
    """Human lines, then the JSON line. `requested`: Shopify requests, QBO requests, and the QBO
    reads Intuit meters (each batch item a call)."""
    shopify_requests, qbo_requests, qbo_reads = requested
    figures = {
        "orders": orders,
        "shopify_requests": shopify_requests,
        "qbo_requests": qbo_requests,
        "shopify_per_order": round(shopify_requests / orders, 4),
        "qbo_per_order": round(qbo_requests / orders, 4),
        "qbo_reads": qbo_reads,
        "qbo_reads_per_order": round(qbo_reads / orders, 4),
        "wall_s": round(wall, 2),
        "peak_mb": round(peak, 1),
        "posted": counts.get("created", 0),
        "failed": counts.get("failed", 0),
        "skipped": counts.get("skipped", 0),
    }
    print(
        f"orders {orders}: posted {figures['posted']}, failed {figures['failed']}, "
        f"skipped {figures['skipped']}"
    )
    print(
        f"Shopify requests {shopify_requests} ({figures['shopify_per_order']}/order), "
        f"QBO requests {qbo_requests} ({figures['qbo_per_order']}/order), "
        f"metered QBO reads {qbo_reads} ({figures['qbo_reads_per_order']}/order)"
    )
    print(f"wall {figures['wall_s']} s, peak Python heap {figures['peak_mb']} MiB")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
