"""Multi-shop benchmark: many shops backfilling at once on the Procfile's `worker` processes and
`scheduler`, with real Redis; how long each shop waits for its first posted document.

    REDIS_URL=redis://127.0.0.1:6379/0 python bench/multishop.py --shops 20 --orders 500

The emulators run as separate processes. The database is DATABASE_URL (in a fresh schema) or a
temporary SQLite file. The last line is one JSON object: shops, orders, workers, wall_s,
first_doc_s (per shop), max_first_doc_s, max_small_wait_s (the longest a small shop waited
behind the big one, with --big-orders), posted, failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.backfill import start_emulator  # noqa: E402

BENCH_REDIS_DB = 12  # flushed before and after: keep it apart from the tests' databases
# The engine's production timings: the tests' 4-second lease abandons runs under this load.
PRODUCTION_TIMINGS = {
    "SYNC_RETRY_INTERVALS": "10,60,300,900",
    "LEASE_SECONDS": "300",
    "SCHEDULER_INTERVAL_S": "5",
    "WATCHDOG_INTERVAL_S": "60",
}


@contextmanager
def bench_database(workdir: Path) -> Iterator[str]:
    """A database URI for this run: a fresh schema of DATABASE_URL, or a SQLite file."""
    from sqlalchemy import create_engine, text

    from config import database_url

    raw = os.environ.get("DATABASE_URL")
    if not raw:
        yield f"sqlite:///{workdir / 'bench.sqlite3'}"
        return
    base, schema = database_url(raw), f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{base}{'&' if '?' in base else '?'}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def bench_redis_url(number: int = BENCH_REDIS_DB) -> str:
    """REDIS_URL (required) on a database number of the benchmark's own."""
    from urllib.parse import urlsplit, urlunsplit

    raw = os.environ.get("REDIS_URL")
    if not raw:
        sys.exit("REDIS_URL is required: the worker processes share a real Redis")
    return urlunsplit(urlsplit(raw)._replace(path=f"/{number}"))


def make_app(database_uri: str, redis_url: str):
    """The app in test mode on the benchmark's database (tables created) and Redis (flushed)."""
    from extensions import db
    from tests.support import make_test_app

    app = make_test_app(database_uri, REDIS_URL=redis_url, LOG_LEVEL="WARNING")
    app.extensions["redis"].flushdb()
    with app.app_context():
        db.create_all()
    return app


def seed_shop(shopify: Any, quickbooks: Any, domain: str, orders: int) -> str:
    """A store with `orders` orders and a new QBO company for it; the company's realm id."""
    from emulators.shopify.seed import seed_store

    company = requests.post(
        f"{quickbooks.url}/_emulator/companies", json={"template": "us"}, timeout=30
    )
    company.raise_for_status()
    owner = requests.post(f"{shopify.url}/_emulator/shops", json={"domain": domain}, timeout=30)
    owner.raise_for_status()
    seed_store(shopify.url, shopify.port, owner.json()["access_token"], orders=orders)
    return company.json()["realm_id"]


def connect_shop(app, domain: str, realm: str) -> None:
    """Install, connect QuickBooks to the shop's own company, choose the income account."""
    from tests.merchant import Merchant

    merchant = Merchant(domain, app.test_client(), session_tokens(app))
    assert merchant.open_app().status_code == 200
    consent = merchant.quickbooks_consent(realm_id=realm)
    assert merchant.client.get("/quickbooks/callback", query_string=consent).status_code == 302
    merchant.put_sales_settings()


def session_tokens(app):
    """Mint App Bridge session tokens for the app: `token(shop)`."""
    from emulators.shopify.session_tokens import mint_session_token

    def token(shop: str, **claims: object) -> str:
        key, secret = app.config["SHOPIFY_API_KEY"], app.config["SHOPIFY_API_SECRET"]
        return mint_session_token(shop, key, secret, **claims)

    return token


def sync_now(app, domain: str) -> None:
    """The merchant presses Sync now (queued on real Redis for the worker processes)."""
    from tests.merchant import Merchant

    merchant = Merchant(domain, app.test_client(), session_tokens(app))
    response = merchant.api("POST", "/api/sync/sales")
    assert response.status_code == 202, response.get_data(as_text=True)


def runs_done(app) -> bool:
    """True when no run is queued or running."""
    from extensions import db
    from models import RunStatus, SyncRun

    with app.app_context():
        open_runs = db.session.query(SyncRun).filter(
            SyncRun.status.in_([RunStatus.QUEUED, RunStatus.RUNNING])
        )
        return open_runs.count() == 0


def figures(app, domains: list[str], big: str | None) -> dict[str, Any]:
    """Wall time, each shop's time to its first posted document, and the longest small wait."""
    from sqlalchemy import func

    from extensions import db
    from models import LedgerEntry, LedgerStatus, Shop, SyncRun

    with app.app_context():
        queued_at = db.session.query(func.min(SyncRun.queued_at)).scalar()
        first, waits, posted, failed, last = {}, {}, 0, 0, queued_at
        for domain in domains:
            shop = Shop.by_domain(domain)
            run = db.session.query(SyncRun).filter_by(shop_id=shop.id).order_by(SyncRun.id).first()
            rows = db.session.query(LedgerEntry).filter_by(shop_id=shop.id).all()
            times = [r.posted_at for r in rows if r.posted_at]
            posted += sum(r.status == LedgerStatus.POSTED for r in rows)
            failed += sum(r.status == LedgerStatus.FAILED for r in rows)
            first[domain] = round((min(times) - run.queued_at).total_seconds(), 2)
            waits[domain] = round(
                ((run.started_at or run.queued_at) - run.queued_at).total_seconds(), 2
            )
            last = max([last, *times])
    small = [d for d in domains if d != big]
    return {
        "wall_s": round((last - queued_at).total_seconds(), 2),
        "first_doc_s": first,
        "max_first_doc_s": max(first.values()),
        "max_small_first_doc_s": max(first[d] for d in small),
        "max_small_wait_s": max(waits[d] for d in small),
        "posted": posted,
        "failed": failed,
    }


def main() -> None:
    """Parse arguments, run the benchmark, print the figures and the JSON line."""
    from emulators.sandbox import point_app_at
    from tests.deployed import Deployment, wait_until, worker_env

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shops", type=int, default=20)
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--big-orders", type=int, default=0, help="a first shop this large")
    args = parser.parse_args()
    redis_url = bench_redis_url()
    emulators, deployment = [], None
    try:
        for name in ("shopify", "quickbooks"):
            emulators.append(start_emulator(name))
        (_, shopify), (_, quickbooks) = emulators
        with tempfile.TemporaryDirectory() as workdir, bench_database(Path(workdir)) as uri:
            app = make_app(uri, redis_url)
            point_app_at(app, shopify, quickbooks)
            sizes = [args.big_orders] * bool(args.big_orders) + [args.orders] * args.shops
            domains = [f"shop{n:02d}.myshopify.com" for n in range(len(sizes))]
            started = time.perf_counter()
            for domain, size in zip(domains, sizes, strict=True):
                connect_shop(app, domain, seed_shop(shopify, quickbooks, domain, size))
            print(
                f"seeded {sum(sizes)} orders in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
            deployment = Deployment(
                worker_env(app, uri, redis_url), Path(workdir) / "logs", redis_url
            )
            deployment.env.update(PRODUCTION_TIMINGS, LOG_LEVEL="WARNING")
            deployment.start_all(workers=args.workers, web=False)
            with app.app_context():
                for domain in domains:
                    sync_now(app, domain)
            wait_until(lambda: runs_done(app), 3600, "the runs never finished", every=1)
            result = {
                "shops": len(domains),
                "orders": args.orders,
                "big_orders": args.big_orders,
                "workers": args.workers,
                **figures(app, domains, domains[0] if args.big_orders else None),
            }
            app.extensions["redis"].flushdb()
    finally:
        if deployment:
            deployment.stop_all()
        for process, _ in emulators:
            process.terminate()
    report(
        f"{result['shops']} shops: wall {result['wall_s']} s, first document within "
        f"{result['max_first_doc_s']} s, small shops waited up to {result['max_small_wait_s']} s",
        result,
    )


def report(summary: str, figures: dict[str, Any]) -> None:
    """A human line, then the JSON line."""
    print(summary)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
