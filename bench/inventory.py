"""Inventory benchmark: 5,000 tracked variants stocked in Shopify and as QBO inventory items; the
first stock run (both catalogues read whole), then 1 % of the items changed in QBO and the next
run measured: API requests (target: at most 5 in all), wall time and peak memory; then a run
with nothing changed (target: at most 2 requests).

    python bench/inventory.py --items 5000 --changed 0.01

The emulators run as separate processes. Requests are the APIs' own: Intuit's OpenID discovery
document and token endpoint (fetched by intuit-oauth, not the accounting API) are left out. The
last line is one JSON object: items, changed, requests, qbo_requests, shopify_requests, updated,
failed, wall_s, peak_mb, unchanged_requests, and the first run's requests, wall time and peak.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import TypeVar

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")

from bench.backfill import SHOP, emulated_app, install_and_connect  # noqa: E402

PER_PRODUCT = 1000
T = TypeVar("T")
LOCATION_ADD = """mutation { locationAdd(input: {name: "Warehouse", address: {countryCode: US}}) {
  location { id } } }"""
PRODUCT_SET = """mutation($input: ProductSetInput!) { productSet(input: $input) {
  product { id } userErrors { message } } }"""


def sku(n: int) -> str:
    """The n-th SKU."""
    return f"SKU-{n:05d}"


def seed_shopify(shopify: SimpleNamespace, items: int) -> str:
    """A store with `items` tracked variants, 10 of each at one location; the location id."""
    from clients.shopify import ShopifyClient

    created = requests.post(
        f"{shopify.url}/_emulator/shops", json={"domain": SHOP}, timeout=30
    ).json()
    requests.post(f"{shopify.url}/_emulator/settings", json={"bucket_max": 10**7}, timeout=30)
    owner = ShopifyClient(SHOP, created["access_token"], "2026-10", shopify.url)
    location = owner.execute(LOCATION_ADD)["data"]["locationAdd"]["location"]["id"]
    for first in range(0, items, PER_PRODUCT):
        numbers = range(first, min(first + PER_PRODUCT, items))
        variants = [
            {
                "optionValues": [{"optionName": "Kind", "name": sku(n)}],
                "sku": sku(n),
                "price": "10.00",
                "inventoryQuantities": [
                    {"locationId": location, "name": "available", "quantity": 10}
                ],
            }
            for n in numbers
        ]
        options = [{"name": "Kind", "values": [{"name": sku(n)} for n in numbers]}]
        body = {"title": f"Product {first}", "productOptions": options, "variants": variants}
        owner.execute(PRODUCT_SET, {"input": body})
    return location


def qbo_batch(qb, operations: list[dict]) -> list[dict]:
    """Send QBO batch requests of 30 operations; the answered items."""
    answered = []
    url = f"{qb.api_url}/company/{qb.company_id}/batch"
    for start in range(0, len(operations), 30):
        chunk = [
            dict(op, bId=str(start + i)) for i, op in enumerate(operations[start : start + 30])
        ]
        body = json.dumps({"BatchItemRequest": chunk}, default=str)
        answer = qb.make_request("POST", url, request_body=body)
        answered += [r.get("Item") for r in answer["BatchItemResponse"]]
    return answered


def seed_qbo(app, items: int) -> list[dict]:
    """`items` tracked QBO inventory items named by the SKUs, 10 on hand each."""
    from tests.inventory_store import inventory_accounts, qbo_of

    with app.app_context():
        qb = qbo_of(SHOP)
        refs = inventory_accounts(qb)
        creates = [
            {
                "operation": "create",
                "Item": {
                    "Name": sku(n),
                    "Sku": sku(n),
                    "Type": "Inventory",
                    "TrackQtyOnHand": True,
                    "QtyOnHand": 10,
                    "InvStartDate": "2025-01-01",
                    **refs,
                },
            }
            for n in range(items)
        ]
        return qbo_batch(qb, creates)


def change_qbo(app, created: list[dict], share: float) -> int:
    """Change the quantity on hand of `share` of the items (spread over the catalogue)."""
    from tests.inventory_store import qbo_of

    step = max(int(1 / share), 1)
    chosen = created[::step]
    updates = [
        {
            "operation": "update",
            "Item": {"Id": i["Id"], "SyncToken": i["SyncToken"], "sparse": True, "QtyOnHand": 13},
        }
        for i in chosen
    ]
    with app.app_context():
        qbo_batch(qbo_of(SHOP), updates)
    return len(chosen)


def unthrottled(quickbooks: SimpleNamespace, seeding: Callable[[], T]) -> T:
    """Run the bookkeeper's seeding with QBO's rate limits lifted (they are not what is
    measured), then put Intuit's limits back."""
    url = f"{quickbooks.url}/_emulator/settings"
    limits = requests.get(url, timeout=30).json()
    keys = ("per_minute", "batch_per_minute")
    requests.post(url, json=dict.fromkeys(keys, 10**6), timeout=30).raise_for_status()
    try:
        return seeding()
    finally:
        requests.post(url, json={k: limits[k] for k in keys}, timeout=30).raise_for_status()


def turn_on(app, location: str) -> None:
    """The merchant's steps: location, preview (a dry run), approval, switch on."""
    from emulators.shopify.session_tokens import mint_session_token
    from jobs.inventory_job import push_stock_levels
    from models import Shop, Trigger, Workflow
    from services.runs import queue_run

    client = app.test_client()

    def put(path: str, body: dict, method: str = "PUT") -> None:
        token = mint_session_token(
            SHOP, app.config["SHOPIFY_API_KEY"], app.config["SHOPIFY_API_SECRET"]
        )
        answer = client.open(
            path, method=method, json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 200, answer.get_json()

    put("/api/settings", {"inventory": {"shopify_location_id": location}})
    with app.app_context():
        shop = Shop.by_domain(SHOP)
        preview = queue_run(shop.id, Workflow.INVENTORY, Trigger.CLI, dry_run=True)
        push_stock_levels(shop.id, preview.id, dry_run=True)
        preview_id = preview.id
    put("/api/inventory/approve", {"run_id": preview_id}, method="POST")
    put("/api/settings", {"inventory": {"enabled": True}})


def api_requests(emulator: SimpleNamespace) -> int:
    """The API requests an emulator served since its log was cleared (OAuth left out)."""
    counts = requests.get(f"{emulator.url}/_emulator/requests", timeout=30).json()["counts"]
    return sum(n for k, n in counts.items() if "well-known" not in k and "oauth2" not in k)


def measured_run(app, emulators: tuple) -> dict:
    """One stock run in the foreground: its counts, requests, wall time and peak memory."""
    from jobs.inventory_job import push_stock_levels
    from models import Shop, Trigger, Workflow
    from services.runs import queue_run

    for emulator in emulators:
        requests.delete(f"{emulator.url}/_emulator/requests", timeout=30)
    with app.app_context():
        shop = Shop.by_domain(SHOP)
        run = queue_run(shop.id, Workflow.INVENTORY, Trigger.CLI)
        tracemalloc.start()
        started = time.perf_counter()
        counts = push_stock_levels(shop.id, run.id)
        wall = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    shopify, quickbooks = (api_requests(e) for e in emulators)
    return {
        "counts": counts,
        "qbo_requests": quickbooks,
        "shopify_requests": shopify,
        "wall_s": round(wall, 3),
        "peak_mb": round(peak, 1),
    }


def main() -> None:
    """Seed, run once, change 1 % in QBO, run again; print the figures and the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--changed", type=float, default=0.01)
    args = parser.parse_args()
    with emulated_app() as (app, shopify, quickbooks):
        requests.post(f"{quickbooks.url}/_emulator/companies", json={"template": "us"}, timeout=30)
        print(f"seeding {args.items} variants and QBO items…", file=sys.stderr)
        location = seed_shopify(shopify, args.items)
        install_and_connect(app)
        created = unthrottled(quickbooks, lambda: seed_qbo(app, args.items))
        # the catalogue rests half an hour by QBO's clock before the first run
        requests.post(f"{quickbooks.url}/_emulator/clock", json={"advance": 1800}, timeout=30)
        turn_on(app, location)
        first = measured_run(app, (shopify, quickbooks))
        changed = unthrottled(quickbooks, lambda: change_qbo(app, created, args.changed))
        second = measured_run(app, (shopify, quickbooks))
        unchanged = measured_run(app, (shopify, quickbooks))
    second["unchanged_requests"] = unchanged["qbo_requests"] + unchanged["shopify_requests"]
    report(args.items, changed, first, second)


def report(items: int, changed: int, first: dict, second: dict) -> None:
    """Human lines, then the JSON line."""
    total = second["qbo_requests"] + second["shopify_requests"]
    figures = {
        "items": items,
        "changed": changed,
        "requests": total,
        "qbo_requests": second["qbo_requests"],
        "shopify_requests": second["shopify_requests"],
        "updated": second["counts"].get("updated", 0),
        "failed": second["counts"].get("failed", 0),
        "wall_s": second["wall_s"],
        "peak_mb": second["peak_mb"],
        "unchanged_requests": second["unchanged_requests"],
        "first_run_requests": first["qbo_requests"] + first["shopify_requests"],
        "first_run_wall_s": first["wall_s"],
        "first_run_peak_mb": first["peak_mb"],
    }
    print(
        f"first run (both catalogues whole): {figures['first_run_requests']} requests, "
        f"{first['wall_s']} s, peak {first['peak_mb']} MiB"
    )
    print(
        f"{changed} of {items} changed in QBO: {total} requests "
        f"({second['qbo_requests']} QBO, {second['shopify_requests']} Shopify; target ≤ 5), "
        f"{figures['updated']} set, wall {second['wall_s']} s, peak {second['peak_mb']} MiB"
    )
    print(f"the next run, nothing changed: {figures['unchanged_requests']} request(s)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
