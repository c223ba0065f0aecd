"""SKUs and QBO items: the matching key, and the item to create when a SKU matches nothing.

QBO Item (reference below): Name required, unique, at most 100 characters, no ':' (it separates
sub-items in FullyQualifiedName); Sku at most 100; Inventory items need QtyOnHand, InvStartDate,
IncomeAccountRef, AssetAccountRef and a Cost of Goods Sold ExpenseAccountRef.
ref: https://developer.intuit.com/app/developer/qbo/api/docs/api/accounting/all-entities/item
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from rules.problems import Problem

if TYPE_CHECKING:
    from rules.orders import LineItem
    from rules.settings import SalesOptions

ITEM_NAME_MAX = 100
ITEM_SKU_MAX = 100


@dataclass(frozen=True)
class NewItem:
    """A QBO Item the poster creates before posting the document that sells it."""

    name: str
    sku: str | None
    type: str
    description: str
    income_account_id: str | None
    expense_account_id: str | None = None
    asset_account_id: str | None = None
    inv_start_date: date | None = None
    qty_on_hand: int = 0
    unit_price: Decimal | None = None  # the sales price (products workflow)
    purchase_cost: Decimal | None = None  # Shopify's unit cost (products workflow)

    @property
    def tracks_quantity(self) -> bool:
        """True for Inventory items (TrackQtyOnHand, which QBO never lets us turn off again)."""
        return self.type == "Inventory"


def normalise_sku(sku: str | None) -> str | None:
    """A SKU as typed, trimmed and in Unicode NFC; quotes, backslashes, inner spaces and
    non-ASCII characters are kept (they are part of the merchant's SKU)."""
    if sku is None:
        return None
    text = unicodedata.normalize("NFC", sku).strip()
    return text or None


def item_name(text: str) -> str:
    """A valid QBO item Name: ':' replaced, trimmed, at most 100 characters."""
    return text.replace(":", "-").strip()[:ITEM_NAME_MAX].rstrip()


def sku_match_key(sku: str | None, field: str) -> str | None:
    """The key a line's SKU is looked up by in ResolvedIds.items.

    field 'sku': the QBO item's Sku; 'name': the item's Name, which cannot hold ':' — keys are
    compared case-insensitively because QBO names are unique regardless of case.
    """
    normal = normalise_sku(sku)
    if normal is None:
        return None
    return item_name(normal).casefold() if field == "name" else normal[:ITEM_SKU_MAX]


def query_literal(value: str) -> str:
    """A value quoted for a QBO query (`Name = '...'`): backslash and quote escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def new_item_for_line(line: LineItem, options: SalesOptions) -> NewItem:
    """The QBO item to create for an unmatched line: named by its SKU, or by its title."""
    return new_item(line.sku, line.name or line.title, line.name, options)


def new_item(
    sku: str | None,
    title: str,
    description: str,
    options: SalesOptions,
    unit_price: Decimal | None = None,
    purchase_cost: Decimal | None = None,
) -> NewItem:
    """The QBO item for a product sold under `title` with `sku`: named by its SKU when items are
    matched by name (so the next match finds it), else by its title and SKU."""
    sku = normalise_sku(sku)
    inventory = options.item_type == "Inventory"
    if options.sku_match_field == "name" and sku:
        name = item_name(sku)
    else:  # the SKU in the name keeps two products with one title apart (names are unique)
        name = item_name(f"{title[: ITEM_NAME_MAX - len(sku) - 3]} ({sku})" if sku else title)
    return NewItem(
        name=name,
        sku=sku[:ITEM_SKU_MAX] if sku else None,
        type=options.item_type,
        description=description[:4000],
        income_account_id=options.income_account_id,
        expense_account_id=options.cogs_account_id if inventory else options.expense_account_id,
        asset_account_id=options.asset_account_id if inventory else None,
        inv_start_date=options.inventory_start_date if inventory else None,
        unit_price=unit_price,
        purchase_cost=purchase_cost,
    )


def validate_item_settings(options: SalesOptions) -> list[Problem]:
    """What is wrong with the item-creation settings (checked at save time and before a run)."""
    if not options.create_items:
        return []
    problems = []
    if not options.income_account_id:
        problems.append(_missing("an income account"))
    if options.item_type == "Inventory":
        for account, label in (
            (options.asset_account_id, "an inventory asset account"),
            (options.cogs_account_id, "a cost of goods sold account"),
        ):
            if not account:
                problems.append(_missing(label))
        problems.extend(_check_start_date(options))
    return problems


def _missing(label: str) -> Problem:
    """A missing account for item creation."""
    return Problem(
        "item_account_missing",
        f"Creating items in QuickBooks needs {label}",
        f"choose {label} in the Items settings, or turn off item creation",
    )


def _check_start_date(options: SalesOptions) -> list[Problem]:
    """Inventory start date on or before the integration start date (QBO rejects earlier sales)."""
    start, sync_from = options.inventory_start_date, options.start_date
    if start is None:
        return [
            Problem(
                "inventory_start_missing",
                "Inventory items need an inventory start date",
                "set the inventory start date on or before the integration start date",
            )
        ]
    if sync_from is not None and start > sync_from:
        return [
            Problem(
                "inventory_start_late",
                f"The inventory start date {start:%d %B %Y} is after the integration start date "
                f"{sync_from:%d %B %Y}: QuickBooks rejects sales of an item dated before it",
                f"set the inventory start date to {sync_from:%d %B %Y} or earlier",
            )
        ]
    return []


def item_payload(item: NewItem) -> dict:
    """QBO Item JSON for an item to create (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item)."""
    out: dict = {"Name": item.name, "Type": item.type, "Description": item.description}
    if item.sku:
        out["Sku"] = item.sku
    if item.unit_price is not None:
        out["UnitPrice"] = item.unit_price
    if item.purchase_cost is not None:
        out["PurchaseCost"] = item.purchase_cost
    for field, value in (
        ("IncomeAccountRef", item.income_account_id),
        ("ExpenseAccountRef", item.expense_account_id),
        ("AssetAccountRef", item.asset_account_id),
    ):
        if value:
            out[field] = {"value": value}
    if item.tracks_quantity:
        out.update(
            TrackQtyOnHand=True,
            QtyOnHand=item.qty_on_hand,
            InvStartDate=item.inv_start_date.isoformat() if item.inv_start_date else None,
        )
    return out
