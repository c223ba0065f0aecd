"""Stock levels: QBO quantity on hand → the Shopify available quantity to set, per SKU.

Pure: the sync hands in what both sides hold (QBO items, Shopify variants at the chosen
location) and gets back the plan — only what differs is changed; a SKU found on one side only is
reported, never zeroed; a variant Shopify does not track, or an item QBO does not track, is left
alone. The safety guard that may hold the whole plan is in rules/inventory_guard.py.

QBO Item.QtyOnHand is a decimal (QBO allows fractional quantities), Shopify inventory quantities
are whole numbers (InventoryQuantityInput.quantity: Int!). A fractional QBO quantity is rounded
down, and a negative one (QBO lets stock go below zero) is set as 0: Shopify is never told it
holds stock that QuickBooks does not have.
ref: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item
ref: https://shopify.dev/docs/api/admin-graphql/2026-10/input-objects/InventoryQuantityInput
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from rules.items import sku_match_key

ZERO = Decimal(0)


class Outcome(enum.StrEnum):
    """What the plan does with one SKU."""

    CHANGE = "change"  # Shopify's available quantity is set to QBO's
    IN_STEP = "in_step"  # already equal: nothing to write
    QBO_ONLY = "qbo_only"  # no Shopify variant has the SKU (at the location): reported
    SHOPIFY_ONLY = "shopify_only"  # no tracked QBO item has the SKU: reported, never zeroed
    NOT_TRACKED = "not_tracked"  # Shopify does not track the variant's inventory: skipped
    DUPLICATE = "duplicate"  # the SKU is on several items or variants: skipped, ambiguous


@dataclass(frozen=True)
class QboStock:
    """One tracked QBO inventory item, as the plan needs it."""

    qbo_item_id: str
    key: str  # the SKU (or Name) it is matched by, as rules.items.sku_match_key makes it
    sku: str
    quantity: Decimal


@dataclass(frozen=True)
class ShopifyStock:
    """One Shopify variant and its inventory level at the chosen location."""

    key: str
    sku: str
    inventory_item_id: str  # gid://shopify/InventoryItem/…
    tracked: bool
    available: int | None  # None: not stocked at the location yet (set from 0)
    name: str = ""  # "Product - Variant", as the page shows it


@dataclass(frozen=True)
class StockLine:
    """The plan for one SKU: Shopify now, QBO's value, what is set and why."""

    sku: str
    outcome: Outcome
    shopify_now: int | None = None
    qbo_value: Decimal | None = None
    new_quantity: int | None = None
    inventory_item_id: str | None = None
    qbo_item_id: str | None = None
    note: str | None = None
    product: str | None = None  # the Shopify variant's name, when a variant has the SKU

    @property
    def change(self) -> int | None:
        """The difference the write makes (new − now), for CHANGE lines."""
        if self.outcome != Outcome.CHANGE or self.new_quantity is None:
            return None
        return self.new_quantity - (self.shopify_now or 0)

    def as_row(self) -> dict[str, Any]:
        """The line as the preview table shows it (quantities as text: QBO's are decimals)."""
        return {
            "sku": self.sku,
            "outcome": self.outcome.value,
            "shopify_now": self.shopify_now,
            "qbo_value": None if self.qbo_value is None else str(self.qbo_value),
            "new_quantity": self.new_quantity,
            "change": self.change,
            "note": self.note,
            # the variant's name for the page, when a variant has the SKU
            **({"product": self.product} if self.product else {}),
        }


@dataclass
class StockPlan:
    """Every line of one run, the changes first."""

    lines: list[StockLine] = field(default_factory=list)
    tracked: int = 0  # tracked Shopify variants the shares are taken of

    @property
    def changes(self) -> list[StockLine]:
        """The lines that write."""
        return [line for line in self.lines if line.outcome == Outcome.CHANGE]

    @property
    def zeroes(self) -> int:
        """Changes that set a variant holding stock to zero."""
        return sum(1 for line in self.changes if line.new_quantity == 0)

    def totals(self) -> dict[str, int]:
        """How many lines of each outcome, and the zeroes."""
        counts = {outcome.value: 0 for outcome in Outcome}
        for line in self.lines:
            counts[line.outcome.value] += 1
        return {**counts, "zeroes": self.zeroes, "tracked": self.tracked}


def shopify_quantity(qbo_quantity: Decimal) -> tuple[int, str | None]:
    """QBO's quantity on hand as the whole number Shopify holds, and a note when it differs."""
    if qbo_quantity < 0:
        return 0, f"QuickBooks holds {qbo_quantity} (below zero): Shopify is set to 0"
    whole = int(qbo_quantity.to_integral_value(rounding=ROUND_FLOOR))
    if whole != qbo_quantity:
        return whole, f"QuickBooks holds {qbo_quantity}: Shopify counts whole units, so {whole}"
    return whole, None


def qbo_stock(item: dict[str, Any], match_field: str) -> QboStock | None:
    """A QBO Item (its JSON) as stock, or None when it is not an active tracked item with a
    key: only items that track quantity on hand have a quantity to push."""
    if item.get("Type") != "Inventory" or not item.get("TrackQtyOnHand"):
        return None
    if item.get("Active") is False or item.get("status") == "Deleted":
        return None
    sku = item.get("Sku") if match_field == "sku" else item.get("Name")
    key = sku_match_key(sku, match_field)
    if key is None:
        return None
    try:
        quantity = Decimal(str(item.get("QtyOnHand") or 0))
    except InvalidOperation:
        return None
    return QboStock(str(item["Id"]), key, str(sku).strip(), quantity)


def _by_key(records: Iterable[Any]) -> tuple[dict[str, Any], set[str]]:
    """Records by key, and the keys held by more than one."""
    found: dict[str, Any] = {}
    twice: set[str] = set()
    for record in records:
        if record.key in found:
            twice.add(record.key)
        found[record.key] = record
    return found, twice


def _line(item: QboStock, variant: ShopifyStock) -> StockLine:
    """The line of a SKU present on both sides."""
    now = variant.available
    if not variant.tracked:
        return StockLine(
            item.sku,
            Outcome.NOT_TRACKED,
            now,
            item.quantity,
            inventory_item_id=variant.inventory_item_id,
            qbo_item_id=item.qbo_item_id,
            note="Shopify does not track this variant's stock: left as it is",
            product=variant.name or None,
        )
    new, note = shopify_quantity(item.quantity)
    outcome = Outcome.IN_STEP if now == new else Outcome.CHANGE
    return StockLine(
        item.sku,
        outcome,
        now,
        item.quantity,
        new,
        variant.inventory_item_id,
        item.qbo_item_id,
        note,
        variant.name or None,
    )


def stock_plan(
    items: Iterable[QboStock],
    variants: Iterable[ShopifyStock],
    tracked: int | None = None,
    whole_catalogue: bool = True,
) -> StockPlan:
    """The plan from both sides. `whole_catalogue` False (an incremental run read only the
    variants of changed items): variants without an item are not reported. `tracked` is the
    count the guard's shares are taken of (default: the tracked variants given)."""
    by_item, twice_items = _by_key(items)
    given = list(variants)
    by_variant, twice_variants = _by_key(given)
    lines: list[StockLine] = []
    for key in sorted(set(by_item) | set(by_variant)):
        item, variant = by_item.get(key), by_variant.get(key)
        if key in twice_items or key in twice_variants:
            lines.append(_duplicate(key, item, variant, key in twice_items))
        elif item is not None and variant is not None:
            lines.append(_line(item, variant))
        elif item is not None:
            lines.append(_qbo_only(item))
        elif variant is not None and whole_catalogue and variant.tracked:
            lines.append(_shopify_only(variant))
    lines.sort(key=lambda line: (line.outcome != Outcome.CHANGE, line.sku))
    count = tracked if tracked is not None else sum(1 for v in given if v.tracked)
    return StockPlan(lines, max(count, 0))


def _duplicate(
    key: str, item: QboStock | None, variant: ShopifyStock | None, qbo: bool
) -> StockLine:
    """A SKU held by several items (or variants): which quantity goes where is ambiguous."""
    where = "QuickBooks items" if qbo else "Shopify variants"
    sku = item.sku if item else variant.sku if variant else key
    return StockLine(
        sku,
        Outcome.DUPLICATE,
        note=f"Several {where} have this SKU: give each its own SKU, then it is synced",
    )


def _qbo_only(item: QboStock) -> StockLine:
    """A tracked QBO item no Shopify variant matches."""
    return StockLine(
        item.sku,
        Outcome.QBO_ONLY,
        qbo_value=item.quantity,
        qbo_item_id=item.qbo_item_id,
        note="No Shopify variant has this SKU: nothing is set",
    )


def _shopify_only(variant: ShopifyStock) -> StockLine:
    """A tracked Shopify variant no tracked QBO item matches: reported, never set to zero."""
    return StockLine(
        variant.sku,
        Outcome.SHOPIFY_ONLY,
        shopify_now=variant.available,
        inventory_item_id=variant.inventory_item_id,
        note="No QuickBooks item tracking quantity has this SKU: Shopify's stock is left as it is",
        product=variant.name or None,
    )
