"""Products benchmark: a catalogue of N variants in the Shopify emulator becomes QBO items in a
QBO emulator company; then the same run again with nothing changed.

    python bench/products.py --variants 5000

The emulators run as separate processes (as Shopify and Intuit would), so the figures are the
app's own. Reports, for the first and the second run, Shopify and QBO requests per variant, the
QBO reads and writes Intuit meters (each batch item counted), wall time and peak memory. The
last line is one JSON object: variants, first_* and second_* figures. Targets: at most 0.05 QBO
requests per variant on the first run, no QBO write on the second.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")

from bench.backfill import SHOP, emulated_app, install_and_connect, request_total  # noqa: E402

PRODUCT_SET = """mutation($input: ProductSetInput!) { productSet(input: $input) {
  product { id } userErrors { message } } }"""
SIZES = ("XS", "S", "M", "L", "XL")


def seed(shopify: SimpleNamespace, quickbooks: SimpleNamespace, variants: int) -> None:
    """A US QBO company, and a store of products with five sizes each (cost on every other)."""
    from clients.shopify import ShopifyClient
    from tests.products_store import product_input

    requests.post(
        f"{quickbooks.url}/_emulator/companies", json={"template": "us"}, timeout=30
    ).raise_for_status()
    requests.post(
        f"{shopify.url}/_emulator/settings", json={"bucket_max": 10**9}, timeout=30
    ).raise_for_status()  # seeding is not what is measured
    made = requests.post(f"{shopify.url}/_emulator/shops", json={"domain": SHOP}, timeout=30)
    made.raise_for_status()
    owner = ShopifyClient(SHOP, made.json()["access_token"], "2026-10", shopify.url)
    print(f"seeding {variants} variants through the Shopify emulator…", file=sys.stderr)
    for n in range(0, variants, len(SIZES)):
        sizes = SIZES[: min(len(SIZES), variants - n)]
        rows = [
            (
                size,
                f"P{n // 5:05d}-{size}",
                f"{10 + n % 90}.{n % 100:02d}",
                "4.25" if n % 2 else None,
            )
            for size in sizes
        ]
        result = owner.execute(PRODUCT_SET, {"input": product_input(f"Product {n // 5}", rows)})
        assert result["data"]["productSet"]["userErrors"] == [], result
    requests.post(  # back to the emulator's default bucket: pacing is part of the run
        f"{shopify.url}/_emulator/settings", json={"bucket_max": 2000}, timeout=30
    ).raise_for_status()


def enable_products(app) -> None:
    """Turn the products workflow on (the sales settings' item choices apply)."""
    from extensions import db
    from models import Shop

    with app.app_context():
        shop = Shop.by_domain(SHOP)
        shop.ensure_settings()
        shop.product_settings.enabled = True
        db.session.commit()


def one_run(app, shopify: SimpleNamespace, quickbooks: SimpleNamespace) -> dict:
    """One full products run in the foreground; its figures."""
    from jobs.products_job import sync_products
    from models import Shop, Trigger, Workflow
    from services.runs import queue_run

    for emulator in (shopify, quickbooks):
        requests.delete(f"{emulator.url}/_emulator/requests", timeout=30)
    requests.delete(f"{quickbooks.url}/_emulator/metered", timeout=30)
    with app.app_context():
        shop = Shop.by_domain(SHOP)
        run = queue_run(shop.id, Workflow.PRODUCTS, Trigger.CLI, params={"full": True})
        tracemalloc.start()
        started = time.perf_counter()
        counts = sync_products(shop.id, run.id)
        wall = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    metered = requests.get(f"{quickbooks.url}/_emulator/metered", timeout=30).json()
    return {
        "shopify_requests": request_total(shopify),
        "qbo_requests": request_total(quickbooks),
        "qbo_reads": metered["reads"],
        "qbo_writes": metered["writes"],
        "wall_s": round(wall, 2),
        "peak_mb": round(peak, 1),
        "created": counts.get("created", 0),
        "failed": counts.get("failed", 0),
    }


def main() -> None:
    """Parse arguments, run the benchmark, print the figures and the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=5000)
    parser.add_argument(
        "--batch-rate",
        default=None,
        help="QBO_BATCH_RATE for the run (default: the app's, 40/minute as Intuit documents)",
    )
    args = parser.parse_args()
    with emulated_app() as (app, shopify, quickbooks):
        if args.batch_rate:
            app.config["QBO_BATCH_RATE"] = args.batch_rate
        seed(shopify, quickbooks, args.variants)
        install_and_connect(app)
        enable_products(app)
        first = one_run(app, shopify, quickbooks)
        second = one_run(app, shopify, quickbooks)
        report(args.variants, first, second)


def report(variants: int, first: dict, second: dict) -> None:
    """Human lines, then the JSON line."""
    figures: dict = {"variants": variants}
    for name, run in (("first", first), ("second", second)):
        for key, value in run.items():
            figures[f"{name}_{key}"] = value
        for side in ("shopify", "qbo"):
            figures[f"{name}_{side}_per_variant"] = round(run[f"{side}_requests"] / variants, 4)
        print(
            f"{name} run: created {run['created']}, failed {run['failed']}; Shopify requests "
            f"{run['shopify_requests']} ({figures[f'{name}_shopify_per_variant']}/variant), QBO "
            f"requests {run['qbo_requests']} ({figures[f'{name}_qbo_per_variant']}/variant), "
            f"metered QBO reads {run['qbo_reads']} and writes {run['qbo_writes']}; "
            f"wall {run['wall_s']} s, peak Python heap {run['peak_mb']} MiB"
        )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
