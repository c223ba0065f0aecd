"""The preview of the next sales sync: a dry run over its first orders — what each would post,
or why it would be skipped or fail — that writes nothing to QuickBooks or the ledger. The taxes
and payment gateways it sees are remembered, so the setup can ask for their mappings before the
first real sync."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from itertools import islice

from clients.shopify_queries import ORDERS_PAGE_SIZE
from models import Shop, SyncRun
from rules.documents import SalesDocument
from services.runs import beat
from sync.sales.reading import batches, count_orders, order_filter, read_orders
from sync.sales.run import SalesSync, parsed
from sync.sales.taxes import remember_gateways, remember_taxes

PREVIEW_ORDERS = 50  # a page's worth: enough to show every kind of problem, read in seconds
SHOWN_LINES = 200  # per outcome, at most (skips are many on a store with refunds)


def _line(shown: dict) -> dict:
    """One order's outcome in the page's terms."""
    doc = shown.get("document")
    if isinstance(doc, SalesDocument):
        return {
            "order": shown["order"],
            "outcome": "post",
            "document_type": doc.doc_type,
            "doc_number": doc.doc_number,
            "total": str(doc.target_total),
            "currency": doc.currency,
            "new_items": [item.name for item in doc.new_items],
        }
    if "skipped" in shown:
        return {"order": shown["order"], "outcome": "skip", "reason": shown["skipped"]}
    return {
        "order": shown["order"],
        "outcome": "fail",
        "reason": shown.get("failed"),
        "fix": shown.get("fix"),
    }


def preview_next_sync(shop: Shop, run: SyncRun, owner: str, since: datetime | None) -> dict:
    """Dry-run the first PREVIEW_ORDERS orders the next sync would read (orders updated since
    `since`, within the integration start date); the summary and one line per order."""
    lines: list[dict] = []
    sync = SalesSync(shop, run, owner, counts=Counter(), show=lambda s: lines.append(_line(s)))
    search = order_filter(shop, since, None)
    in_scope = count_orders(sync.shopify, search)
    wanted = min(in_scope, PREVIEW_ORDERS)
    beat(run, owner, sync.counts, 0, wanted)
    nodes = islice(read_orders(sync.shopify, search, ORDERS_PAGE_SIZE), wanted)
    for chunk in batches(nodes):
        orders = parsed(chunk)
        remember_taxes(shop, orders)
        remember_gateways(shop, orders)
        sync.preview(chunk)
        beat(run, owner, sync.counts, sync.done, wanted)
    outcomes = Counter(line["outcome"] for line in lines)
    return {
        "orders_in_next_sync": in_scope,
        "previewed": sync.done,
        "would_post": outcomes["post"],
        "would_skip": outcomes["skip"],
        "would_fail": outcomes["fail"],
        "orders": [line for line in lines if line["outcome"] != "skip"][:SHOWN_LINES]
        + [line for line in lines if line["outcome"] == "skip"][:SHOWN_LINES],
    }
