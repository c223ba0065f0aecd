"""Mutation root: inventorySetQuantities with compare-and-set (compareQuantity, and the 2026
changeFromQuantity that overrides it).

ref: https://shopify.dev/docs/api/admin-graphql/2025-01/mutations/inventorySetQuantities
ref: https://shopify.dev/changelog/compare-and-swap-redesign-for-inventory-set-quantities
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from emulators.shopify.context import RequestContext
from emulators.shopify.ids import gid, parse_gid
from emulators.shopify.resolvers.catalog_views import inventory_item_node, location_node
from emulators.shopify.resolvers.util import idempotency_key, idempotent, user_error
from emulators.shopify.resolvers.views_common import iso
from emulators.shopify.store import InventoryItem
from emulators.shopify.versions import (
    CHANGE_FROM_REQUIRED_SINCE,
    STOCKED_ANYWHERE_SINCE,
    at_least,
)

NAMES = ("available", "on_hand")
# ref: https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps/manage-quantities-states
REASONS = {
    "correction",
    "cycle_count_available",
    "damaged",
    "movement_canceled",
    "movement_created",
    "movement_received",
    "movement_updated",
    "other",
    "promotion",
    "quality_control",
    "received",
    "reservation_created",
    "reservation_deleted",
    "reservation_updated",
    "restock",
    "safety_stock",
    "shrinkage",
}
MAX_QUANTITY = 1_000_000_000


def _check_one(
    ctx: RequestContext, data: dict[str, Any], q: dict[str, Any], i: int, seen: set[tuple[int, int]]
) -> dict[str, Any] | None:
    """The userError for one InventoryQuantityInput, or None when it may be applied."""
    field = ["input", "quantities", str(i)]
    item = ctx.shop.inventory_items.get(parse_gid(q["inventoryItemId"], "InventoryItem"))
    loc_id = parse_gid(q["locationId"], "Location")
    if item is None:
        return user_error(
            [*field, "inventoryItemId"],
            "The specified inventory item could not be found.",
            "INVALID_INVENTORY_ITEM",
        )
    if loc_id not in ctx.shop.locations:
        return user_error(
            [*field, "locationId"], "The specified location could not be found.", "INVALID_LOCATION"
        )
    if loc_id not in item.levels and not at_least(ctx.api_version, STOCKED_ANYWHERE_SINCE):
        return user_error(
            [*field, "locationId"],
            "The specified inventory item is not stocked at the location.",
            "ITEM_NOT_STOCKED_AT_LOCATION",
        )
    if (item.id, loc_id) in seen:
        return user_error(
            field,
            "The combination of inventoryItemId and locationId must be unique.",
            "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
        )
    seen.add((item.id, loc_id))
    current = item.levels.get(loc_id, {}).get(data["name"], 0)
    if "changeFromQuantity" not in q and at_least(ctx.api_version, CHANGE_FROM_REQUIRED_SINCE):
        return user_error(  # wording and code unverified: the changelog only says "an error"
            [*field, "changeFromQuantity"],
            "changeFromQuantity is required: pass the current quantity, or null to skip the check.",
        )
    return _check_quantity(data, q, field, current)


def _check_quantity(
    data: dict[str, Any], q: dict[str, Any], field: list[str], current: int
) -> dict[str, Any] | None:
    """Range and compare-and-set checks; changeFromQuantity (even null) overrides the rest."""
    range_error = _range_error(data["name"], q["quantity"], field)
    if range_error is not None:
        return range_error
    if "changeFromQuantity" in q:
        expected = q["changeFromQuantity"]
        if expected is not None and expected != current:
            return user_error(
                [*field, "changeFromQuantity"],
                "The changeFromQuantity value does not match persisted value.",
                "CHANGE_FROM_QUANTITY_STALE",
            )
        return None
    if data.get("ignoreCompareQuantity"):
        return None
    if q.get("compareQuantity") is None:
        return user_error(
            [*field, "compareQuantity"],
            "The compareQuantity argument must be "
            "given to each quantity or ignored using ignoreCompareQuantity.",
            "COMPARE_QUANTITY_REQUIRED",
        )
    if q["compareQuantity"] != current:
        return user_error(
            [*field, "compareQuantity"],
            "The compareQuantity value does not match persisted value.",
            "COMPARE_QUANTITY_STALE",
        )
    return None


def _range_error(name: str, quantity: int, field: list[str]) -> dict[str, Any] | None:
    """Quantities lie within ±1,000,000,000 and on_hand may not be negative."""
    if quantity > MAX_QUANTITY:
        return user_error(
            [*field, "quantity"],
            "The quantity can't be higher than 1,000,000,000.",
            "INVALID_QUANTITY_TOO_HIGH",
        )
    if quantity < -MAX_QUANTITY:
        return user_error(
            [*field, "quantity"],
            "The quantity can't be lower than -1,000,000,000.",
            "INVALID_QUANTITY_TOO_LOW",
        )
    if name == "on_hand" and quantity < 0:
        return user_error(
            [*field, "quantity"], "The quantity can't be negative.", "INVALID_QUANTITY_NEGATIVE"
        )
    return None


def _apply(ctx: RequestContext, name: str, q: dict[str, Any]) -> list[tuple]:
    """Set one quantity; available and on_hand move together. Returns the changes."""
    item: InventoryItem = ctx.shop.inventory_items[parse_gid(q["inventoryItemId"], "InventoryItem")]
    loc_id = parse_gid(q["locationId"], "Location")
    level = item.levels.setdefault(loc_id, {})  # 2026-10: stocked by being set there
    delta = q["quantity"] - level.get(name, 0)
    other = "on_hand" if name == "available" else "available"
    level[name] = q["quantity"]
    level[other] = level.get(other, 0) + delta
    item.updated_at = ctx.now()
    return [(item, loc_id, name, delta, level[name]), (item, loc_id, other, delta, level[other])]


@idempotent
def inventory_set_quantities(info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    """inventorySetQuantities: all quantities are checked first; any error changes nothing."""
    ctx: RequestContext = info.context
    errors = []
    if input["name"] not in NAMES:
        errors.append(
            user_error(
                ["input", "name"],
                "The quantity name must be either 'available' or 'on_hand'.",
                "INVALID_NAME",
            )
        )
    if input["reason"] not in REASONS:
        errors.append(
            user_error(["input", "reason"], "The specified reason is invalid.", "INVALID_REASON")
        )
    seen: set[tuple[int, int]] = set()
    if not errors:
        errors = [
            e
            for i, q in enumerate(input["quantities"])
            if (e := _check_one(ctx, input, q, i, seen)) is not None
        ]
    if errors:
        return {"inventoryAdjustmentGroup": None, "userErrors": errors}
    changes = [c for q in input["quantities"] for c in _apply(ctx, input["name"], q)]
    ctx.shop.adjustments.append(
        {
            "key": idempotency_key(info),
            "reason": input["reason"],
            "referenceDocumentUri": input.get("referenceDocumentUri"),
            "items": [q["inventoryItemId"] for q in input["quantities"]],
            "at": iso(ctx.now()),
        }
    )
    return {"inventoryAdjustmentGroup": _group(ctx, input, changes), "userErrors": []}


def _group(ctx: RequestContext, data: dict[str, Any], changes: list[tuple]) -> dict[str, Any]:
    """The InventoryAdjustmentGroup object."""
    shop = ctx.shop

    def change_list(info: Any, quantityNames: list[str] | None = None, **_: Any) -> list:  # noqa: N803
        """InventoryAdjustmentGroup.changes, optionally only some quantity names."""
        return [
            {
                "name": name,
                "delta": delta,
                "quantityAfterChange": after,
                "item": inventory_item_node(shop, item),
                "location": location_node(shop, shop.locations[loc]),
                "ledgerDocumentUri": None,
            }
            for item, loc, name, delta, after in changes
            if quantityNames is None or name in quantityNames
        ]

    return {
        "id": gid("InventoryAdjustmentGroup", ctx.state.next_id()),
        "reason": data["reason"],
        "referenceDocumentUri": data.get("referenceDocumentUri"),
        "createdAt": iso(ctx.now()),
        "changes": change_list,
        "app": None,
        "staffMember": None,
    }


FIELDS = {"inventorySetQuantities": inventory_set_quantities}
