"""Writing stock to Shopify exactly once, on the ledger (kind INVENTORY_LEVEL, one row per
inventory item), in the steps of services/ledger.py:

1. claim the batch's rows (a row posted by an earlier run is reopened first);
2. store, in each row, its quantity, its place in the batch and the batch's idempotency key —
   derived from the shop, the run, the batch and the attempt — only while holding every row;
3. send inventorySetQuantities under that key, each quantity compare-and-set
   (changeFromQuantity: the stock as read);
4. record every row's outcome. A quantity Shopify refuses as stale (the stock changed in Shopify
   meanwhile) is read again and sent again under a new key, never forced; after MAX_ATTEMPTS it
   fails with the reason, and the next run tries again. The rest of a refused batch is sent
   again at once (Shopify applies a batch whole or not at all).

A worker killed after 2 leaves rows whose batch a new owner sends again, rebuilt exactly, under
the same key: Shopify answers with the first result if it had applied it, so no stock is written
twice (and compare-and-set would refuse a second write anyway).
ref: https://shopify.dev/docs/api/usage/implementing-idempotency
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from clients.errors import DataError
from clients.shopify import ShopifyClient
from clients.shopify_inventory import STALE, QuantityError, levels_of, set_available
from extensions import db
from models import LedgerEntry, LedgerKind, LedgerStatus, Shop, SyncRun
from rules.inventory import StockLine
from services.ledger import (
    claim,
    ensure_entries,
    hold,
    record_failed,
    record_posted,
    record_skipped,
    release,
)
from services.runs import LeaseLost, lease_until

MAX_ATTEMPTS = 3
KEYS = uuid.UUID("0b7f3c7e-3f0e-4d52-9a59-5d1b0f1c2a11")  # namespace of the idempotency keys
KEPT_CHANGING = DataError(
    f"Shopify's stock of this SKU kept changing while it was being set ({MAX_ATTEMPTS} tries)",
    "Nothing was forced: it is set again at the next run.",
)
FIXES = {
    "INVALID_INVENTORY_ITEM": "The variant was deleted in Shopify; it is read again next run.",
    "INVALID_LOCATION": "The chosen location is gone: choose another in the Stock settings.",
    "NON_MUTABLE_INVENTORY_ITEM": "Shopify does not let apps set this item's stock (a bundle "
    "or gift card): give it no QuickBooks SKU, or track it elsewhere.",
    "INVALID_QUANTITY_TOO_HIGH": "Check the item's quantity on hand in QuickBooks.",
}


def legacy_id(gid: str) -> str:
    """gid://shopify/InventoryItem/42 → '42'."""
    return gid.rsplit("/", 1)[-1]


def idempotency_key(shop_id: int, run_id: int, batch: int, attempt: int) -> str:
    """The batch attempt's key: the same for a batch sent again after a crash, a new one for a
    new attempt (Shopify answers a key with its first result)."""
    return str(uuid.uuid5(KEYS, f"{shop_id}:{run_id}:{batch}:{attempt}"))


class StockWriter:
    """Sends a run's changes in batches and records them on the ledger."""

    def __init__(
        self, shop: Shop, run: SyncRun, owner: str, shopify: ShopifyClient, location: str
    ) -> None:
        self.shop, self.run, self.owner = shop, run, owner
        self.shopify, self.location = shopify, location
        self.ref = f"gid://ledgerbridge/SyncRun/{run.id}"

    def write(self, lines: list[StockLine], batch: int) -> dict[str, int]:
        """One batch of changes, compare-and-set; a stale quantity is read again and sent again
        (up to MAX_ATTEMPTS), apart from the rest of the batch, which goes on at once."""
        entries = self._claim(lines)
        counts = {"updated": 0, "failed": 0}
        todo = [([line for line in lines if line.inventory_item_id in entries], 0)]
        sends = 0
        while todo:
            pending, attempt = todo.pop(0)
            if not pending:
                continue
            key = idempotency_key(self.shop.id, self.run.id, batch, sends)
            sends += 1
            rows = [entries[str(line.inventory_item_id)] for line in pending]
            self._store(pending, rows, key)
            errors = set_available(self.shopify, self.location, _payload(rows), key, self.ref)
            stale, innocent = self._settle(pending, entries, errors, counts)
            todo.insert(0, (innocent, attempt))  # not at fault: sent again as they were
            stale = self._reread(stale, entries, counts)
            if attempt + 1 < MAX_ATTEMPTS:
                todo.append((stale, attempt + 1))
            else:
                for line in stale:
                    self._fail(entries[str(line.inventory_item_id)], KEPT_CHANGING, counts)
        db.session.commit()
        return counts

    def _claim(self, lines: list[StockLine]) -> dict[str, LedgerEntry]:
        """The batch's rows this execution won, by inventory item gid."""
        fields = [
            {"shopify_id": legacy_id(str(line.inventory_item_id)), "shopify_name": line.sku[:64]}
            for line in lines
        ]
        rows = ensure_entries(self.shop.id, LedgerKind.INVENTORY_LEVEL, fields)
        db.session.execute(  # a row an earlier run posted is written again: reopen it
            update(LedgerEntry)
            .where(
                LedgerEntry.shop_id == self.shop.id,
                LedgerEntry.id.in_([r.id for r in rows.values()]),
                LedgerEntry.status.in_([LedgerStatus.POSTED, LedgerStatus.SKIPPED]),
            )
            .values(status=LedgerStatus.PENDING)
        )
        db.session.commit()
        won, _ = claim(list(rows.values()), self.run.id, self.owner, lease_until())
        by_legacy = {e.shopify_id: e for e in won}
        return {
            str(line.inventory_item_id): by_legacy[legacy_id(str(line.inventory_item_id))]
            for line in lines
            if legacy_id(str(line.inventory_item_id)) in by_legacy
        }

    def _store(self, lines: list[StockLine], rows: list[LedgerEntry], key: str) -> None:
        """Keep each row's quantity, place and the key, only while holding every row."""
        if not hold(rows, self.owner, lease_until()):
            raise LeaseLost("a row of the stock batch was taken over; its new owner sends it")
        for position, (line, row) in enumerate(zip(lines, rows, strict=True)):
            row.qbo_related = {
                "key": key,
                "ref": self.ref,
                "position": position,
                "quantity": {
                    "inventoryItemId": line.inventory_item_id,
                    "locationId": self.location,
                    "quantity": line.new_quantity,
                    "changeFromQuantity": line.shopify_now or 0,
                },
                "sku": line.sku,
                "qbo_item_id": line.qbo_item_id,
                "qbo_value": str(line.qbo_value),
            }
        db.session.commit()

    def _settle(
        self,
        lines: list[StockLine],
        entries: dict[str, LedgerEntry],
        errors: list[QuantityError],
        counts: dict[str, int],
    ) -> tuple[list[StockLine], list[StockLine]]:
        """Record what Shopify answered; the lines refused as stale, and the lines of a refused
        batch that were not at fault (Shopify applies a batch whole or not at all)."""
        rows = [entries[str(line.inventory_item_id)] for line in lines]
        if not hold(rows, self.owner, lease_until()):
            raise LeaseLost("the stock batch's rows were taken over; their new owner records them")
        if not errors:
            for row in rows:
                _posted(row)
                counts["updated"] += 1
            db.session.commit()
            return [], []
        stale_at = {e.index for e in errors if e.code == STALE}
        refused = {e.index: e for e in errors if e.code != STALE}
        if None in refused:  # the whole batch: nothing to single out
            refused = {i: refused[None] for i in range(len(lines))}
        stale, innocent = [], []
        for i, (line, row) in enumerate(zip(lines, rows, strict=True)):
            if i in refused:
                self._fail(row, _refusal(refused[i]), counts)
            elif i in stale_at or None in stale_at:
                stale.append(line)
            else:
                innocent.append(line)
        db.session.commit()
        return stale, innocent

    def _reread(
        self, lines: list[StockLine], entries: dict[str, LedgerEntry], counts: dict[str, int]
    ) -> list[StockLine]:
        """The lines with Shopify's stock read again; those already at QBO's value are done."""
        if not lines:
            return []
        ids = [str(line.inventory_item_id) for line in lines]
        fresh = {
            level.inventory_item_id: level.available
            for level in levels_of(self.shopify, ids, self.location)
        }
        again = []
        for line in lines:
            now = fresh.get(str(line.inventory_item_id), line.shopify_now)
            if now == line.new_quantity:
                _posted(entries[str(line.inventory_item_id)])
                counts["updated"] += 1
            else:
                again.append(_with_now(line, now))
        db.session.commit()
        return again

    def clear_in_step(self, lines: list[StockLine]) -> int:
        """SKUs that failed before and are in step now need nothing more: no longer failed."""
        failed = {
            e.shopify_id: e
            for e in db.session.scalars(
                select(LedgerEntry).where(
                    LedgerEntry.shop_id == self.shop.id,
                    LedgerEntry.kind == LedgerKind.INVENTORY_LEVEL,
                    LedgerEntry.status == LedgerStatus.FAILED,
                )
            )
        }
        cleared = 0
        for line in lines:
            row = failed.get(legacy_id(str(line.inventory_item_id)))
            if row is not None:
                record_skipped(row, "In step with QuickBooks again: nothing to set")
                cleared += 1
        db.session.commit()
        return cleared

    def _fail(self, row: LedgerEntry, error: DataError, counts: dict[str, int]) -> None:
        """The row failed with a plain reason and fix."""
        record_failed(row, error)
        counts["failed"] += 1

    def recover(self, groups: dict[str, list[LedgerEntry]]) -> int:
        """Send again the stored batches a stopped execution left in flight (same key, same
        parameters: Shopify answers with the first result); release rows never sent. Returns
        the rows recorded."""
        done = 0
        for entries in groups.values():
            stored = [e for e in entries if (e.qbo_related or {}).get("key")]
            release([e for e in entries if e not in stored])
            for key in sorted({str((e.qbo_related or {})["key"]) for e in stored}):
                batch = [e for e in stored if (e.qbo_related or {})["key"] == key]
                done += self._resend(batch, key)
        return done

    def _resend(self, rows: list[LedgerEntry], key: str) -> int:
        """One stored batch sent again exactly as it was."""
        rows.sort(key=lambda e: int((e.qbo_related or {})["position"]))
        related = rows[0].qbo_related or {}
        location = str(related["quantity"]["locationId"])
        errors = set_available(self.shopify, location, _payload(rows), key, str(related["ref"]))
        if not hold(rows, self.owner, lease_until()):
            raise LeaseLost("a recovered stock batch was taken over")
        if errors:  # nothing applied: the run plans these SKUs afresh
            db.session.commit()
            release(rows)
            return 0
        for row in rows:
            _posted(row)
        db.session.commit()
        return len(rows)


def _payload(rows: list[LedgerEntry]) -> list[dict[str, Any]]:
    """The stored quantities of a batch, in order, without the location (sent per batch)."""
    return [
        {k: v for k, v in (row.qbo_related or {})["quantity"].items() if k != "locationId"}
        for row in rows
    ]


def _posted(row: LedgerEntry) -> None:
    """The row's quantity is in Shopify: remember QBO's value and what Shopify now holds."""
    related = dict(row.qbo_related or {})
    quantity = related["quantity"]["quantity"]
    record_posted(
        row,
        "Item",
        str(related.get("qbo_item_id") or ""),
        shopify_total=Decimal(quantity),
        qbo_total=Decimal(str(related.get("qbo_value") or quantity)),
        related=related,
    )
    row.claimed_by = row.lease_expires_at = None


def _with_now(line: StockLine, now: int | None) -> StockLine:
    """The line with Shopify's stock as read again."""
    return replace(line, shopify_now=now)


def _refusal(error: QuantityError) -> DataError:
    """A quantity Shopify refused, in plain words."""
    reason = f"Shopify refused this SKU's stock: {error.message}" + (
        f" ({error.code})" if error.code else ""
    )
    return DataError(reason, FIXES.get(error.code or "", "Check the variant in Shopify."))
