"""The RQ job of the products preview: a dry run over the whole catalogue — what each variant
would become in QuickBooks (a new item, an update, a link to an item it matches) or why it
cannot. Nothing is written; QuickBooks is only read. Its answer is the job's result, which
GET /api/sync/products/preview/<run> shows (the sales preview's machinery:
jobs/sales_preview_job.py)."""

from __future__ import annotations

from collections import Counter

from clients.shopify_queries import SHOP_QUERY
from jobs.context import with_app_context
from jobs.sales_preview_job import run_preview, start_preview
from models import Shop, SyncRun, Workflow
from sync.products.reading import Scope
from sync.products.run import ProductsSync

JOB = "jobs.products_preview_job.preview_products"
SHOWN_LINES = 500  # the page lists at most this many variants; the totals count them all
OUTCOMES = ("create", "update", "link", "unchanged")


def start_products_preview(shop: Shop) -> SyncRun:
    """Queue a products preview; raises QueueUnavailable when Redis is down."""
    return start_preview(shop, Workflow.PRODUCTS, JOB)


def preview_line(raw: dict) -> dict:
    """One dry-run line as the page shows it: the variant, its outcome, and the item it would
    carry (name, type, price) or the reason and fix."""
    line = {"variant": raw["variant"], "sku": raw.get("sku") or ""}
    if "failed" in raw:
        return line | {"outcome": "fail", "reason": raw.get("reason"), "fix": raw.get("fix")}
    outcome = next(o for o in OUTCOMES if o in raw)
    payload = raw[outcome] if isinstance(raw[outcome], dict) else {}
    price = payload.get("UnitPrice")
    return line | {
        "outcome": outcome,
        "name": payload.get("Name"),
        "type": payload.get("Type"),
        "price": None if price is None else str(price),
        "qbo_item_id": raw[outcome] if isinstance(raw[outcome], str) else None,
    }


def _store_currency(sync: ProductsSync) -> str:
    """The store's currency (one small read, when no sales run has noted it yet)."""
    return sync.shopify.execute(SHOP_QUERY)["data"]["shop"]["currencyCode"]


def _previewed(shop: Shop, run: SyncRun, owner: str) -> tuple[dict, Counter]:
    """Dry-run every product; the answer (totals, the first lines, failures first) and counts."""
    lines: list[dict] = []
    sync = ProductsSync(
        shop, run, owner, Counter(), show=lambda raw: lines.append(preview_line(raw))
    )
    sync.run_all(Scope())
    totals = Counter(line["outcome"] for line in lines)
    ordered = sorted(lines, key=lambda line: line["outcome"] != "fail")
    answer = {
        "totals": {o: totals[o] for o in ("fail", *OUTCOMES)},
        "variants": ordered[:SHOWN_LINES],
        "truncated": len(lines) > SHOWN_LINES,
        "currency": shop.currency or _store_currency(sync),  # of the prices
    }
    counts = Counter(created=totals["create"], updated=totals["update"], failed=totals["fail"])
    return answer, counts


@with_app_context
def preview_products(shop_id: int, run_id: int) -> dict:
    """The RQ job: dry-run the catalogue and close the run with the counts."""
    return run_preview(shop_id, run_id, _previewed)
