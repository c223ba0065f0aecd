"""Webhook intake benchmark: signed orders/create deliveries at a steady rate to gunicorn (the
Procfile's `web`) on real Redis; latency percentiles and errors as Shopify would see them.

    REDIS_URL=redis://127.0.0.1:6379/0 python bench/webhook_intake.py --rate 200 --seconds 10

Loopback only; the load is open-loop (each request leaves at its slot, however slow the last
one was) from a bounded thread pool. The database is DATABASE_URL (a fresh schema) or a
temporary SQLite file. The last line is one JSON object: rate, seconds, requests, errors,
p50_ms, p99_ms, max_ms, achieved_rps.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.multishop import BENCH_REDIS_DB, bench_database, bench_redis_url, make_app, report  # noqa: E402

SHOP = "intake.myshopify.com"
local = threading.local()


def deliver(url: str, secret: str, n: int, due: float) -> tuple[float, int]:
    """Send delivery n at its slot; (latency in ms, status; 0 for a connection error)."""
    from tests.support import signed_webhook_headers

    body = json.dumps({"id": 5_000_000 + n, "name": f"#{n}", "email": "a@example.com"}).encode()
    headers = signed_webhook_headers(body, "orders/create", SHOP, f"bench-{n}", secret)
    time.sleep(max(0.0, due - time.perf_counter()))
    session = getattr(local, "session", None) or requests.Session()
    local.session = session
    started = time.perf_counter()
    try:
        status = session.post(url, data=body, headers=headers, timeout=30).status_code
    except requests.RequestException:
        status = 0
    return (time.perf_counter() - started) * 1000, status


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    """Start web, warm it up, send the load, print the figures and the JSON line."""
    from tests.deployed import Deployment, worker_env

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=200, help="requests per second")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--threads", type=int, default=64)
    args = parser.parse_args()
    redis_url = bench_redis_url(BENCH_REDIS_DB + 1)
    with tempfile.TemporaryDirectory() as workdir, bench_database(Path(workdir)) as uri:
        app = make_app(uri, redis_url)
        deployment = Deployment(worker_env(app, uri, redis_url), Path(workdir) / "logs", redis_url)
        try:
            deployment.start("web")
            url, secret = f"{deployment.url}/webhooks", str(app.config["SHOPIFY_API_SECRET"])
            for n in range(20):  # warm-up: imports, connection pools
                deliver(url, secret, -1 - n, 0)
            total = int(args.rate * args.seconds)
            start = time.perf_counter() + 0.2
            with ThreadPoolExecutor(max_workers=args.threads) as pool:
                futures = [
                    pool.submit(deliver, url, secret, n, start + n / args.rate)
                    for n in range(total)
                ]
                results = [f.result() for f in futures]
            elapsed = time.perf_counter() - start
        finally:
            deployment.stop_all()
            app.extensions["redis"].flushdb()
    latencies = [ms for ms, _ in results]
    statuses = Counter(status for _, status in results)
    figures = {
        "rate": args.rate,
        "seconds": args.seconds,
        "requests": total,
        "errors": total - statuses[200],
        "statuses": {str(k): v for k, v in statuses.items()},
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1),
        "achieved_rps": round(total / elapsed, 1),
    }
    report(
        f"{total} webhooks at {args.rate}/s: p50 {figures['p50_ms']} ms, "
        f"p99 {figures['p99_ms']} ms, {figures['errors']} errors",
        figures,
    )


if __name__ == "__main__":
    main()
