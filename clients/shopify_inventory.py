"""Shopify stock at one location: variants with their inventory level, and setting quantities.

Reading: every variant (paged), or the variants of some SKUs (one search of up to 50 SKUs);
each with its inventory item, whether Shopify tracks it, and `available` at the location.
Requested cost of a variant: itself, its inventory item, the level and the quantities, 1 each;
150 a page request about 600 points, within the 1,000-point ceiling with a margin.
ref: https://shopify.dev/docs/api/admin-graphql/2026-10/queries/productVariants
ref: https://shopify.dev/docs/api/usage/search-syntax

Writing: inventorySetQuantities as 2026-10 requires it — every quantity carries
`changeFromQuantity` (compare-and-set: Shopify refuses with CHANGE_FROM_QUANTITY_STALE when the
stock is no longer what was read), and the mutation carries `@idempotent(key:)` (a request sent
again under the same key is answered with the first result, never applied twice).
ref: https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/inventorySetQuantities
ref: https://shopify.dev/changelog/making-changefromquantity-field-required
ref: https://shopify.dev/changelog/making-idempotency-mandatory-for-inventory-adjustments-and-refund-mutations
ref: https://shopify.dev/docs/api/usage/implementing-idempotency
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from clients.errors import DataError
from clients.shopify import ShopifyClient
from clients.shopify_paging import execute_paced, paginate

PAGE = 150
SKUS_PER_SEARCH = 50
WRITE_BATCH = 100  # quantities per inventorySetQuantities
STALE = "CHANGE_FROM_QUANTITY_STALE"
# "correction": the app sets stock to QuickBooks' count, the merchant's source of truth.
# ref: https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps/manage-quantities-states
REASON = "correction"

VARIANT_FIELDS = """
      id sku displayName
      inventoryItem { id tracked
        inventoryLevel(locationId: $location) { quantities(names: ["available"]) { quantity } } }
"""
VARIANTS_AT_LOCATION = (
    """query($first: Int!, $after: String, $query: String, $location: ID!) {
  productVariants(first: $first, after: $after, query: $query) {
    nodes {"""
    + VARIANT_FIELDS
    + """}
    pageInfo { hasNextPage endCursor } } }"""
)
ITEM_LEVELS = """query($ids: [ID!]!, $location: ID!) {
  nodes(ids: $ids) { ... on InventoryItem { id tracked sku
    inventoryLevel(locationId: $location) { quantities(names: ["available"]) { quantity } } } } }"""
SET_QUANTITIES = """mutation($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id }
    userErrors { field message code } } }"""


@dataclass(frozen=True)
class Level:
    """A variant's inventory item and its `available` quantity at the location (None: not
    stocked there)."""

    sku: str | None
    inventory_item_id: str
    tracked: bool
    available: int | None
    name: str = ""  # the variant's displayName ("Product - Variant"), for the page


@dataclass(frozen=True)
class QuantityError:
    """One quantity Shopify refused: its index in the batch (None: the whole batch)."""

    index: int | None
    code: str | None
    message: str


def _level(node: dict[str, Any], sku: str | None, name: str | None = None) -> Level:
    """A Level from an InventoryItem node (`name`: its variant's displayName)."""
    level = node.get("inventoryLevel") or {}
    quantities = level.get("quantities") or []
    available = int(quantities[0]["quantity"]) if level and quantities else None
    return Level(sku, node["id"], bool(node.get("tracked")), available, name or "")


def all_levels(client: ShopifyClient, location_id: str) -> Iterator[Level]:
    """Every variant's level at the location, page by page."""
    for node in paginate(
        client, VARIANTS_AT_LOCATION, {"location": location_id}, "productVariants", PAGE
    ):
        yield _level(node["inventoryItem"], node.get("sku"), node.get("displayName"))


def sku_search(skus: list[str]) -> str:
    """`sku:"A" OR sku:"B"`, quotes and backslashes escaped."""
    quoted = ('"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"' for s in skus)
    return " OR ".join(f"sku:{q}" for q in quoted)


def levels_by_sku(client: ShopifyClient, skus: list[str], location_id: str) -> list[Level]:
    """The variants of these SKUs with their levels (a search may find near matches too: the
    caller matches SKUs exactly)."""
    found: list[Level] = []
    for start in range(0, len(skus), SKUS_PER_SEARCH):
        chunk = skus[start : start + SKUS_PER_SEARCH]
        variables = {"query": sku_search(chunk), "location": location_id}
        nodes = paginate(client, VARIANTS_AT_LOCATION, variables, "productVariants", PAGE)
        found.extend(_level(n["inventoryItem"], n.get("sku"), n.get("displayName")) for n in nodes)
    return found


def levels_of(client: ShopifyClient, item_ids: list[str], location_id: str) -> list[Level]:
    """The levels of known inventory items, read again (after a compare-and-set conflict)."""
    found: list[Level] = []
    for start in range(0, len(item_ids), PAGE):
        variables = {"ids": item_ids[start : start + PAGE], "location": location_id}
        nodes = execute_paced(client, ITEM_LEVELS, variables)["data"]["nodes"]
        found.extend(_level(n, n.get("sku")) for n in nodes if n)
    return found


def set_available(
    client: ShopifyClient, location_id: str, quantities: list[dict[str, Any]], key: str, ref: str
) -> list[QuantityError]:
    """Set `available` for a batch ({inventoryItemId, quantity, changeFromQuantity}) under the
    idempotency key; the errors Shopify answered (none: the whole batch was applied)."""
    variables = {
        "key": key,
        "input": {
            "name": "available",
            "reason": REASON,
            "referenceDocumentUri": ref,
            "quantities": [{**q, "locationId": location_id} for q in quantities],
        },
    }
    payload = execute_paced(client, SET_QUANTITIES, variables)["data"]["inventorySetQuantities"]
    errors = [_error(e) for e in payload.get("userErrors") or []]
    if not errors and payload.get("inventoryAdjustmentGroup") is None and quantities:
        raise DataError("Shopify answered the stock update without applying it or saying why")
    return errors


def _error(error: dict[str, Any]) -> QuantityError:
    """A userError and the index of the quantity it names (["input", "quantities", "3", …])."""
    path = [str(p) for p in error.get("field") or []]
    index = (
        int(path[2]) if len(path) > 2 and path[1] == "quantities" and path[2].isdigit() else None
    )
    return QuantityError(index, error.get("code"), str(error.get("message")))
