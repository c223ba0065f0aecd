"""QBO inventory items for the stock push: all of them (paged), or what changed since a time.

What changed comes from one Change Data Capture request: the Item entity, and the sales forms
that move quantity on hand, whose lines name the items they moved (read in one more query when
the items themselves are not among the changes). CDC looks back at most 30 days and answers at
most 1,000 objects; a longer gap or a full answer means the caller must read every item.
ref: https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture
ref: https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from quickbooks import QuickBooks

from clients.quickbooks_faults import sdk_call

PAGE = 1000  # MAXRESULTS' ceiling
CDC_LOOKBACK = timedelta(days=30)
CDC_MAX_OBJECTS = 1000
# Sales forms that move QtyOnHand of the inventory items on their lines. (Purchases — Bill,
# Purchase, VendorCredit — and inventory adjustments move it too: the daily full read of the
# stock push catches those should QBO not mark the item itself as changed.)
STOCK_MOVING = ("Invoice", "SalesReceipt", "CreditMemo", "RefundReceipt")
INVENTORY_ITEMS = "SELECT * FROM Item WHERE Type = 'Inventory'"


@dataclass(frozen=True)
class ItemsRead:
    """Items read (all, or changed since a time); `complete` False when CDC may have left some
    out; `time` is QBO's own clock when it answered the first request (the next read's cursor:
    QBO's clock, never ours, decides what changed after it)."""

    items: list[dict[str, Any]]
    complete: bool
    time: str | None = None


def read_inventory_items(qb: QuickBooks) -> ItemsRead:
    """Every Inventory item (JSON as QBO sends it, quantities as Decimal), 1,000 a request."""
    items: list[dict[str, Any]] = []
    start, time = 1, None
    while True:
        query = f"{INVENTORY_ITEMS} STARTPOSITION {start} MAXRESULTS {PAGE}"
        answer = sdk_call(lambda q=query: qb.query(q))  # type: ignore[misc]
        time = time or answer.get("time")
        page = list((answer.get("QueryResponse") or {}).get("Item") or [])
        items.extend(page)
        if len(page) < PAGE:
            return ItemsRead(items, complete=True, time=time)
        start += PAGE


def changed_inventory_items(qb: QuickBooks, since: datetime) -> ItemsRead:
    """Items changed (or moved by a sales form) since `since`: one CDC request, and one query
    for items only the sales forms name."""
    if datetime.now(UTC) - since >= CDC_LOOKBACK:
        return ItemsRead([], complete=False)
    url = f"{qb.api_url}/company/{qb.company_id}/cdc"
    params = {
        "entities": ",".join(("Item", *STOCK_MOVING)),
        "changedSince": since.astimezone(UTC).isoformat(timespec="seconds"),
    }
    answer = sdk_call(lambda: qb.make_request("GET", url, params=params))
    found = _entities(answer)
    if any(len(rows) >= CDC_MAX_OBJECTS for rows in found.values()):
        return ItemsRead([], complete=False)
    items = [i for i in found.get("Item", []) if i.get("status") != "Deleted"]
    have = {str(i.get("Id")) for i in found.get("Item", [])}
    moved = sorted(_moved_item_ids(found) - have)
    for start in range(0, len(moved), PAGE):
        ids = ", ".join(f"'{i}'" for i in moved[start : start + PAGE])
        items.extend(_query(qb, f"{INVENTORY_ITEMS} AND Id IN ({ids}) MAXRESULTS {PAGE}"))
    return ItemsRead(items, complete=True, time=answer.get("time"))


def _query(qb: QuickBooks, text: str) -> list[dict[str, Any]]:
    """One query's Item rows."""
    answer = sdk_call(lambda: qb.query(text))
    return list((answer.get("QueryResponse") or {}).get("Item") or [])


def _entities(answer: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """CDCResponse → {entity name: rows}."""
    found: dict[str, list[dict[str, Any]]] = {}
    for response in answer.get("CDCResponse") or []:
        for block in response.get("QueryResponse") or []:
            for name, rows in block.items():
                if isinstance(rows, list):
                    found.setdefault(name, []).extend(rows)
    return found


def _moved_item_ids(found: dict[str, list[dict[str, Any]]]) -> set[str]:
    """Items on the lines of the changed sales forms (a deleted form's lines are gone: its
    items are read by the daily full read)."""
    ids = set()
    for name in STOCK_MOVING:
        for txn in found.get(name, []):
            for line in txn.get("Line") or []:
                ref = (line.get("SalesItemLineDetail") or {}).get("ItemRef") or {}
                if ref.get("value"):
                    ids.add(str(ref["value"]))
    return ids
