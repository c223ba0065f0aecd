"""Claimed variants → QBO item writes: planned, stored on their ledger rows, sent in one batch
under the rows' request id, recorded.

What a row is about to send is stored on it (qbo_related) before it is sent, so an execution
that takes over a dead one's rows re-sends exactly that under the same request id, and QBO
replays its first answer instead of creating the item twice.
ref: https://developer.intuit.com/app/developer/qbo/api/docs/api/accounting/all-entities/batch
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from quickbooks import QuickBooks

from clients.errors import DataError
from clients.quickbooks_batch import BatchItem, BatchOutcome, post_batch
from models import LedgerEntry
from rules.items import NewItem, item_payload, sku_match_key
from rules.products import (
    ShopifyVariant,
    fingerprint,
    sparse_update,
    unique_name,
    variant_to_item,
)
from rules.settings import SalesOptions
from services.ledger import record_failed, record_posted
from sync.products.catalog import QboItems

CREATE, UPDATE, DEACTIVATE = "create", "update", "deactivate"


@dataclass
class Plan:
    """What to do for one claimed row: link it (no write), or send `payload`."""

    entry: LedgerEntry
    op: str | None  # None: link to `qbo_id` (or nothing to write)
    payload: dict[str, Any] | None = None
    qbo_id: str | None = None
    print: str | None = None  # the variant's fingerprint, recorded once QBO has the item


def plan_create(
    entry: LedgerEntry, variant: ShopifyVariant, items: QboItems, options: SalesOptions
) -> Plan:
    """Link to the item the SKU matches, or create one under a name no other item holds."""
    found = items.match(
        sku_match_key(variant.sku, options.sku_match_field), options.sku_match_field
    )
    stamp = fingerprint(variant)
    if found is not None:
        return Plan(entry, None, qbo_id=found, print=stamp)
    new = _with_free_name(variant_to_item(variant, options), items, None)
    return Plan(entry, CREATE, item_payload(new), print=stamp)


def plan_update(
    entry: LedgerEntry, variant: ShopifyVariant, items: QboItems, options: SalesOptions
) -> Plan:
    """A sparse update of the linked item's name, description and price (none when equal)."""
    current = items.by_id[entry.qbo_id or ""]
    new = _with_free_name(variant_to_item(variant, options), items, str(current.get("Name") or ""))
    payload = sparse_update(new, current)
    return Plan(entry, UPDATE if payload else None, payload, entry.qbo_id, fingerprint(variant))


def plan_write(
    entry: LedgerEntry, variant: ShopifyVariant, items: QboItems, options: SalesOptions
) -> Plan:
    """A row's write: an update of its linked item, or a new item — also when the item it was
    linked to is not in the company (QuickBooks reconnected to another company)."""
    make = plan_update if (entry.qbo_id or "") in items.by_id else plan_create
    return make(entry, variant, items, options)


def plan_deactivate(entry: LedgerEntry, items: QboItems) -> Plan:
    """Make the linked item inactive (its variant was deleted in Shopify)."""
    current = items.by_id.get(entry.qbo_id or "")
    if current is None or current.get("Active") is False:
        return Plan(entry, None, qbo_id=entry.qbo_id)
    payload = {"Id": current["Id"], "SyncToken": current["SyncToken"], "sparse": True}
    return Plan(entry, DEACTIVATE, {**payload, "Active": False}, entry.qbo_id)


def _with_free_name(item: NewItem, items: QboItems, own: str | None) -> NewItem:
    """The item under a name no other item holds (its own current name aside); the name is
    taken at once, so two variants of one batch never choose the same."""
    name = unique_name(item.name, items.names_but(own))
    items.by_name.setdefault(name.casefold(), "")  # reserved until QBO answers
    if name == item.name:
        return item
    return NewItem(**{**item.__dict__, "name": name})


def stored(plan: Plan) -> dict[str, Any]:
    """What a row keeps of its pending write (resent as it is after a crash; amounts as
    text, as the batch sends them)."""
    payload = json.loads(json.dumps(plan.payload, default=str))
    return {"op": plan.op, "payload": payload, "print": plan.print}


def send(qb: QuickBooks, entries: list[LedgerEntry], request_id: str) -> dict[str, BatchOutcome]:
    """Send the rows' stored writes as one batch (bId = the row's place in it)."""
    batch = [
        BatchItem(f"b{i}", "Item", e.qbo_related["payload"], _operation(e.qbo_related["op"]))
        for i, e in enumerate(entries)
        if e.qbo_related
    ]
    return post_batch(qb, batch, request_id[:36])


def _operation(op: str) -> str:
    """The batch operation of a stored write."""
    return "create" if op == CREATE else "update"


def record(
    entries: list[LedgerEntry],
    outcomes: dict[str, BatchOutcome],
    items: QboItems,
    counts: Counter,
) -> None:
    """Write QBO's answers on the rows (the caller holds them and commits)."""
    taken = [
        e for i, e in enumerate(entries) if _duplicate_name(outcomes.get(f"b{i}"), e.qbo_related)
    ]
    known = (
        items.by_names([(e.qbo_related or {})["payload"]["Name"] for e in taken]) if taken else {}
    )
    for i, entry in enumerate(entries):
        related = entry.qbo_related or {}
        outcome = outcomes.get(f"b{i}")
        if outcome is not None and outcome.saved:
            items.remember(outcome.saved)
            _recorded(entry, related, str(outcome.saved["Id"]), counts)
        elif entry in taken and known.get(related["payload"]["Name"].casefold()):
            # an item of that name appeared since the run read the company's items: an earlier
            # execution created it (its answer was lost), so it is this variant's
            _recorded(entry, related, known[related["payload"]["Name"].casefold()], counts)
        else:
            error = outcome.error if outcome and outcome.error else None
            record_failed(entry, error or DataError("QuickBooks did not answer for this product"))
            entry.qbo_related = None  # a retry plans afresh; nothing stale is ever resent
            counts["failed"] += 1


def _duplicate_name(outcome: BatchOutcome | None, related: dict | None) -> bool:
    """A create QBO refused because the name is taken (6240)."""
    return bool(
        outcome is not None
        and outcome.error is not None
        and outcome.error.code == "6240"
        and related
        and related.get("op") == CREATE
    )


def _recorded(entry: LedgerEntry, related: dict, qbo_id: str, counts: Counter) -> None:
    """The row's write is in QBO."""
    op = related.get("op")
    if op == DEACTIVATE:
        record_posted(entry, "Item", qbo_id, related={"inactive": True})
        counts["deactivated"] += 1
        counts["updated"] += 1  # the run history counts it among the items it changed
        return
    record_posted(entry, "Item", qbo_id, fingerprint=related.get("print"))
    counts["created" if op == CREATE else "updated"] += 1
