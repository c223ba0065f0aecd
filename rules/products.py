"""Shopify product variants → QBO items: what each variant becomes, pure and deterministic.

A variant becomes the item the sales workflow would create for it (rules.items.new_item), with
its price and unit cost. QBO Item names are unique regardless of case, inactive items included,
at most 100 characters: a name already taken gets " (2)", " (3)" … within the limit, decided
from the names QBO holds and the variants' order, never left to fail.
ref: https://developer.intuit.com/app/developer/qbo/api/docs/api/accounting/all-entities/item
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Container
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from rules.items import ITEM_NAME_MAX, NewItem, item_name, new_item, normalise_sku, sku_match_key
from rules.settings import SalesOptions

# Shopify titles a product's only variant "Default Title"; its line items then carry the
# product title alone. ref: https://shopify.dev/docs/api/admin-graphql/latest/objects/ProductVariant
DEFAULT_VARIANT_TITLE = "Default Title"
NO_SKU = "This variant has no SKU, so QuickBooks could not match it to a product"
NO_SKU_FIX = "add a SKU to the variant in Shopify; the next run creates its QuickBooks product"


@dataclass(frozen=True)
class ShopifyVariant:
    """The facts of one variant the products workflow reads."""

    variant_id: str  # legacy (numeric) id
    product_id: str
    product_title: str
    title: str
    sku: str | None
    price: Decimal | None
    cost: Decimal | None
    updated_at: datetime | None
    product_updated_at: str | None = None  # Shopify's text: a continuation reads on from it

    @property
    def display_name(self) -> str:
        """How Shopify names the variant on an order line: product, then variant title."""
        if not self.title or self.title == DEFAULT_VARIANT_TITLE:
            return self.product_title
        return f"{self.product_title} - {self.title}"


def _legacy(gid: str) -> str:
    """The numeric id at the end of a Shopify gid."""
    return str(gid).rsplit("/", 1)[-1]


def _money(value: Any) -> Decimal | None:
    """A Shopify Decimal/Money string as Decimal (None when absent or unreadable)."""
    if isinstance(value, dict):
        value = value.get("amount")
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def parse_variant(node: dict[str, Any], product: dict[str, Any]) -> ShopifyVariant:
    """A ProductVariant node (with its product's node) as the rules take it."""
    stamp = node.get("updatedAt") or product.get("updatedAt")
    item = node.get("inventoryItem") or {}
    return ShopifyVariant(
        variant_id=_legacy(node["id"]),
        product_id=_legacy(product["id"]),
        product_title=str(product.get("title") or "").strip(),
        title=str(node.get("title") or "").strip(),
        sku=normalise_sku(node.get("sku")),
        price=_money(node.get("price")),
        cost=_money(item.get("unitCost")),
        updated_at=datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else None,
        product_updated_at=product.get("updatedAt"),
    )


def variant_to_item(variant: ShopifyVariant, options: SalesOptions) -> NewItem:
    """The QBO item a variant becomes (type, accounts and start date from the sales settings)."""
    name = variant.display_name
    return new_item(variant.sku, name, name, options, variant.price, variant.cost)


def fingerprint(variant: ShopifyVariant) -> str:
    """What of the variant its QBO item carries, hashed: unchanged means nothing to write."""
    facts = [variant.display_name, variant.sku, str(variant.price), str(variant.cost)]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()


def duplicate_skus(
    variants: list[ShopifyVariant], field: str, first: dict[str, str] | None = None
) -> dict[str, str]:
    """Variant id → the variant that keeps its SKU, for every variant sharing another's match key
    (the first seen keeps it, lowest id first: one QBO item per key). `first` (key → variant id)
    carries what earlier batches of the run saw, and is brought up to date."""
    first = {} if first is None else first
    shared: dict[str, str] = {}
    for variant in sorted(variants, key=lambda v: int(v.variant_id)):
        key = sku_match_key(variant.sku, field)
        if key is None:
            continue
        if first.get(key, variant.variant_id) != variant.variant_id:
            shared[variant.variant_id] = first[key]
        else:
            first[key] = variant.variant_id
    return shared


def skip_reason(variant: ShopifyVariant, shared_with: str | None) -> tuple[str, str] | None:
    """Why a variant gets no item of its own (reason, fix), or None."""
    if variant.sku is None:
        return NO_SKU, NO_SKU_FIX
    if shared_with is not None:
        return (
            f"Its SKU {variant.sku} is also the SKU of variant {shared_with}, "
            "which has the QuickBooks product",
            "give each variant its own SKU in Shopify",
        )
    return None


def unique_name(name: str, taken: Container[str]) -> str:
    """`name`, or the first of "name (2)", "name (3)" … no other item holds (`taken` holds
    casefolded names); within QBO's 100 characters."""
    if name.casefold() not in taken:
        return name
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = item_name(name[: ITEM_NAME_MAX - len(suffix)]) + suffix
        if candidate.casefold() not in taken:
            return candidate
        n += 1


def sparse_update(item: NewItem, current: dict[str, Any]) -> dict[str, Any] | None:
    """A sparse Item update bringing name, description and price in line; None when they are.
    Accounts, type and quantity are never sent: the merchant may have changed them in QBO."""
    wanted: dict[str, Any] = {"Name": item.name, "Description": item.description}
    if item.unit_price is not None:
        wanted["UnitPrice"] = item.unit_price
    changed = {k: v for k, v in wanted.items() if not _same(current.get(k), v)}
    if not changed:
        return None
    return {"Id": current["Id"], "SyncToken": current["SyncToken"], "sparse": True, **changed}


def _same(held: Any, wanted: Any) -> bool:
    """Whether QBO's value equals the wanted one (numbers compared as Decimal)."""
    if isinstance(wanted, Decimal):
        return _money(held) == wanted
    return (held or "") == (wanted or "")
