"""Mutation root: productSet (create or replace a product with its variants), productDelete
and locationAdd.

ref: https://shopify.dev/docs/api/admin-graphql/2025-01/mutations/productSet
ref: https://shopify.dev/docs/api/admin-graphql/2025-01/mutations/locationAdd
"""

from __future__ import annotations

import re
from typing import Any

from graphql import GraphQLResolveInfo

from emulators.shopify.context import RequestContext
from emulators.shopify.ids import parse_gid
from emulators.shopify.order_build import InputError
from emulators.shopify.resolvers.catalog_views import location_node, product_node
from emulators.shopify.resolvers.util import decimal, user_error
from emulators.shopify.store import InventoryItem, Location, Product, Shop, Variant

MAX_VARIANTS = 2048  # 2025-01 raised the variant limit to 2048 per product


def handle_for(shop: Shop, title: str, product_id: int) -> str:
    """A URL handle from the title, made unique with -1, -2, … as Shopify does."""
    base = re.sub(r"[^\w]+", "-", title.lower()).strip("-_") or "product"
    taken = {p.handle for p in shop.products.values() if p.id != product_id}
    handle, n = base, 0
    while handle in taken:
        n += 1
        handle = f"{base}-{n}"
    return handle


def _variant(
    ctx: RequestContext,
    product: Product,
    data: dict[str, Any],
    position: int,
    existing: dict[int, Variant],
) -> Variant:
    """Create or update one variant (with its inventory item and quantities)."""
    shop, now = ctx.shop, ctx.now()
    options = [(o.get("optionName") or "", o.get("name") or "") for o in data["optionValues"]]
    item_input = data.get("inventoryItem") or {}
    sku = data.get("sku") or item_input.get("sku")
    found = existing.get(parse_gid(data.get("id") or "", "ProductVariant") or 0)
    if found is None:
        tracked = item_input.get("tracked", True) is not False
        item = InventoryItem(ctx.state.next_id(), sku, tracked, None, now, now)
        shop.inventory_items[item.id] = item
        found = Variant(
            ctx.state.next_id(), product.id, "", sku, decimal(0), position, item.id, now, now
        )
        item.variant_id = found.id
    found.title = " / ".join(v for _, v in options) or "Default Title"
    found.sku, found.position, found.options, found.updated_at = sku, position, options, now
    found.price = decimal(data["price"]) if data.get("price") is not None else found.price
    found.barcode = data.get("barcode", found.barcode)
    found.taxable = data.get("taxable", found.taxable) is not False
    item = shop.inventory_items[found.inventory_item_id]
    item.sku = sku
    if item_input.get("cost") is not None:
        item.cost = decimal(item_input["cost"])
    for q in data.get("inventoryQuantities") or []:
        level = item.levels.setdefault(
            parse_gid(q["locationId"], "Location") or 0, {"available": 0, "on_hand": 0}
        )
        level["on_hand" if q["name"] == "on_hand" else "available"] = q["quantity"]
        level["on_hand"] = max(level["on_hand"], level["available"])
    return found


def _validate(shop: Shop, data: dict[str, Any], product: Product | None) -> None:
    """Raise the first userError of a ProductSetInput before anything changes."""
    if data.get("id") and product is None:
        raise InputError(["input", "id"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
    if product is None and not data.get("title"):
        raise InputError(["input", "title"], "Title can't be blank", "INVALID_PRODUCT")
    variants = data.get("variants") or []
    if variants and not data.get("productOptions") and not (product and product.options):
        raise InputError(
            ["input", "productOptions"],
            "Product options input is required when updating variants",
            "PRODUCT_OPTIONS_INPUT_MISSING",
        )
    if len(variants) > MAX_VARIANTS:
        raise InputError(["input", "variants"], "Too many variants", "VARIANTS_OVER_LIMIT")
    for i, v in enumerate(variants):
        for q in v.get("inventoryQuantities") or []:
            if parse_gid(q["locationId"], "Location") not in shop.locations:
                raise InputError(
                    ["input", "variants", i, "inventoryQuantities"],
                    "Location does not exist",
                    "INVALID_INPUT",
                )


def _save_product(ctx: RequestContext, data: dict[str, Any]) -> Product:
    """Create or replace a product from a ProductSetInput."""
    shop, now = ctx.shop, ctx.now()
    product = shop.products.get(parse_gid(data.get("id") or "", "Product") or 0)
    _validate(shop, data, product)
    if product is None:
        product = Product(ctx.state.next_id(), data["title"], "", "ACTIVE", "", "", now, now)
    for attr, key in (
        ("title", "title"),
        ("vendor", "vendor"),
        ("product_type", "productType"),
        ("status", "status"),
    ):
        if data.get(key) is not None:
            setattr(product, attr, data[key])
    product.tags = list(data.get("tags") or product.tags)
    product.handle = (
        data.get("handle") or product.handle or handle_for(shop, product.title, product.id)
    )
    if data.get("productOptions"):
        product.options = [
            (o["name"], [v["name"] for v in o.get("values") or []]) for o in data["productOptions"]
        ]
    if data.get("variants") is not None:
        _replace_variants(ctx, product, data["variants"])
    product.updated_at = now
    shop.products[product.id] = product
    return product


def _replace_variants(ctx: RequestContext, product: Product, inputs: list[dict]) -> None:
    """productSet's variant list replaces the product's: unlisted variants are deleted."""
    shop = ctx.shop
    existing = {v: shop.variants[v] for v in product.variant_ids}
    kept = [_variant(ctx, product, v, i + 1, existing) for i, v in enumerate(inputs)]
    for vid in set(existing) - {v.id for v in kept}:
        shop.inventory_items.pop(shop.variants.pop(vid).inventory_item_id, None)
    for v in kept:
        shop.variants[v.id] = v
    product.variant_ids = [v.id for v in kept]


def product_set(info: GraphQLResolveInfo, input: dict[str, Any], **_: Any) -> dict[str, Any]:  # noqa: A002
    """productSet(input:, synchronous:) — always runs synchronously here."""
    ctx: RequestContext = info.context
    try:
        product = _save_product(ctx, input)
    except InputError as exc:
        return {
            "product": None,
            "productSetOperation": None,
            "userErrors": [user_error(exc.field, exc.message, exc.code)],
        }
    return {
        "product": product_node(ctx.shop, product),
        "productSetOperation": None,
        "userErrors": [],
    }


def product_delete(info: GraphQLResolveInfo, input: dict[str, Any], **_: Any) -> dict[str, Any]:  # noqa: A002
    """productDelete(input: {id}): the product goes with its variants and inventory items.
    ref: https://shopify.dev/docs/api/admin-graphql/2025-01/mutations/productDelete"""
    ctx: RequestContext = info.context
    shop = ctx.shop
    product = shop.products.pop(parse_gid(input.get("id") or "", "Product") or 0, None)
    if product is None:
        error = user_error(["id"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
        return {"deletedProductId": None, "userErrors": [error]}
    for vid in product.variant_ids:
        variant = shop.variants.pop(vid, None)
        if variant is not None:
            shop.inventory_items.pop(variant.inventory_item_id, None)
    return {"deletedProductId": input["id"], "userErrors": []}


def location_add(info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    """locationAdd(input: {name, address}) — name must be unique."""
    ctx: RequestContext = info.context
    if any(loc.name == input["name"] for loc in ctx.shop.locations.values()):
        return {
            "location": None,
            "userErrors": [user_error(["input", "name"], "Name has already been taken", "TAKEN")],
        }
    loc = Location(ctx.state.next_id(), input["name"], ctx.now())
    ctx.shop.locations[loc.id] = loc
    return {"location": location_node(ctx.shop, loc), "userErrors": []}


FIELDS = {"productSet": product_set, "productDelete": product_delete, "locationAdd": location_add}
