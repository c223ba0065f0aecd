"""What a stock run reads: its scope (everything, or what changed in QBO since the last complete
run), and both sides' stock as the rules take it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from quickbooks import QuickBooks
from sqlalchemy import select

from clients.quickbooks_items_read import changed_inventory_items, read_inventory_items
from clients.shopify import ShopifyClient
from clients.shopify_inventory import Level, all_levels, levels_by_sku
from extensions import db
from models import LedgerEntry, LedgerKind, LedgerStatus, RunStatus, SyncRun, Workflow, utcnow
from rules.inventory import QboStock, ShopifyStock, qbo_stock
from rules.inventory_guard import Hold
from rules.items import sku_match_key

# Each incremental run asks QBO for what changed since the last complete run read it, by QBO's
# own clock, less a margin for changes QBO was still committing then (items read twice are
# simply in step).
SINCE_OVERLAP = timedelta(minutes=5)
# Once a day every item is read, catching what Change Data Capture does not name (purchases and
# inventory adjustments move quantity on hand without a sales form).
FULL_READ_EVERY = timedelta(hours=24)


@dataclass(frozen=True)
class StockScope:
    """What one execution reads: `since` None reads both sides whole."""

    shop_id: int
    since: datetime | None = None
    tracked: int | None = None  # tracked variants counted by the last full read
    confirmed: Hold | None = None  # the held plan the merchant confirmed, if any
    confirmed_run_id: int | None = None


@dataclass
class StockSides:
    """Both sides' stock; `whole` when the whole catalogue was read; `qbo_time` QBO's clock
    when it was read (the next run reads what changed after it)."""

    items: list[QboStock]
    variants: list[ShopifyStock]
    whole: bool
    qbo_time: str | None = None


def _last_runs(shop_id: int) -> list[SyncRun]:
    """The shop's recent complete stock runs, newest first."""
    return list(
        db.session.scalars(
            select(SyncRun)
            .where(
                SyncRun.shop_id == shop_id,
                SyncRun.workflow == Workflow.INVENTORY,
                SyncRun.status == RunStatus.SUCCEEDED,
                SyncRun.dry_run.is_(False),
            )
            .order_by(SyncRun.started_at.desc())
            .limit(50)
        )
    )


def stock_scope(run: SyncRun) -> StockScope:
    """The scope of a run: a dry run (the preview) and the first run read everything; later
    runs what changed since the last complete one, and everything once a day."""
    confirmed, confirmed_id = confirmed_hold(run.shop_id)
    if run.dry_run or (run.params or {}).get("full"):
        return StockScope(run.shop_id, confirmed=confirmed, confirmed_run_id=confirmed_id)
    runs = _last_runs(run.shop_id)
    full = next((r for r in runs if (r.params or {}).get("full_read")), None)
    if not runs or full is None or full.started_at is None:
        return StockScope(run.shop_id, confirmed=confirmed, confirmed_run_id=confirmed_id)
    if utcnow() - full.started_at > FULL_READ_EVERY:
        return StockScope(run.shop_id, confirmed=confirmed, confirmed_run_id=confirmed_id)
    cursor = (runs[0].params or {}).get("qbo_time")
    if not cursor:
        return StockScope(run.shop_id, confirmed=confirmed, confirmed_run_id=confirmed_id)
    tracked = int((full.params or {}).get("tracked") or 0)
    since = datetime.fromisoformat(cursor) - SINCE_OVERLAP
    return StockScope(run.shop_id, since, tracked, confirmed, confirmed_id)


def held_run(shop_id: int) -> SyncRun | None:
    """The shop's latest stock run, when the guard held it (a newer run supersedes a hold)."""
    latest = db.session.scalar(
        select(SyncRun)
        .where(
            SyncRun.shop_id == shop_id,
            SyncRun.workflow == Workflow.INVENTORY,
            SyncRun.dry_run.is_(False),
            SyncRun.status.not_in([RunStatus.QUEUED, RunStatus.RUNNING]),
        )
        .order_by(SyncRun.id.desc())
        .limit(1)
    )
    return latest if latest is not None and (latest.params or {}).get("hold") else None


def confirmed_hold(shop_id: int) -> tuple[Hold | None, int | None]:
    """The hold the merchant confirmed and no run has used yet, with its run id."""
    run = held_run(shop_id)
    params = (run.params or {}) if run else {}
    if run is None or not params.get("confirmed_at") or params.get("confirm_used_by"):
        return None, None
    return Hold.from_dict(params["hold"]), run.id


def _variant(level: Level, match_field: str) -> ShopifyStock | None:
    """A variant as the rules take it (None without a SKU: nothing can match it)."""
    key = sku_match_key(level.sku, match_field)
    if key is None or level.sku is None:
        return None
    return ShopifyStock(
        key, level.sku.strip(), level.inventory_item_id, level.tracked, level.available, level.name
    )


def _items(rows: list[dict], match_field: str) -> list[QboStock]:
    """QBO rows → the tracked items with a key."""
    return [s for s in (qbo_stock(r, match_field) for r in rows) if s is not None]


def _not_yet_pushed(shop_id: int, items: list[QboStock]) -> list[QboStock]:
    """The changed items whose quantity is not the one last set from them (an item read again
    within the overlap, or changed and changed back, needs no Shopify read)."""
    ids = [i.qbo_item_id for i in items]
    pushed = {
        e.qbo_id: e.qbo_total
        for e in db.session.scalars(
            select(LedgerEntry).where(
                LedgerEntry.shop_id == shop_id,
                LedgerEntry.kind == LedgerKind.INVENTORY_LEVEL,
                LedgerEntry.status == LedgerStatus.POSTED,
                LedgerEntry.qbo_id.in_(ids),
            )
        )
    }
    return [i for i in items if pushed.get(i.qbo_item_id) != i.quantity]


def read_sides(
    qb: QuickBooks, shopify: ShopifyClient, scope: StockScope, location: str, match_field: str
) -> StockSides:
    """Both sides: changed QBO items and their SKUs' variants, or both catalogues whole."""
    if scope.since is not None:
        changes = changed_inventory_items(qb, scope.since)
        if changes.complete:
            items = _not_yet_pushed(scope.shop_id, _items(changes.items, match_field))
            keys = {i.key for i in items}
            found = (
                levels_by_sku(shopify, sorted({i.sku for i in items}), location) if items else []
            )
            unique = {f.inventory_item_id: f for f in found}.values()  # searches may overlap
            variants = [
                v for v in (_variant(f, match_field) for f in unique) if v and v.key in keys
            ]
            return StockSides(items, variants, False, changes.time)
    everything = read_inventory_items(qb)
    items = _items(everything.items, match_field)
    levels = all_levels(shopify, location)
    variants = [v for v in (_variant(level, match_field) for level in levels) if v]
    return StockSides(items, variants, True, everything.time)
