"""GraphQL shapes of Product, ProductVariant, InventoryItem, InventoryLevel and Location."""

from __future__ import annotations

from typing import Any

from emulators.shopify.ids import gid
from emulators.shopify.resolvers.views_common import iso, lazy_connection
from emulators.shopify.store import InventoryItem, Location, Product, Shop, Variant

# Quantity names an InventoryLevel reports.
# ref: https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps/manage-quantities-states
QUANTITY_NAMES = (
    "available",
    "committed",
    "damaged",
    "incoming",
    "on_hand",
    "quality_control",
    "reserved",
    "safety_stock",
)


def level_gid(item_id: int, location_id: int) -> str:
    """InventoryLevel ids carry the item: gid://shopify/InventoryLevel/<loc>?inventory_item_id=<item>."""
    return f"{gid('InventoryLevel', location_id)}?inventory_item_id={item_id}"


def product_node(shop: Shop, p: Product) -> dict[str, Any]:
    """The Product object."""
    variants = [shop.variants[v] for v in p.variant_ids if v in shop.variants]
    return {
        "__typename": "Product",
        "id": gid("Product", p.id),
        "legacyResourceId": str(p.id),
        "title": p.title,
        "handle": p.handle,
        "status": p.status,
        "vendor": p.vendor,
        "productType": p.product_type,
        "tags": p.tags,
        "createdAt": iso(p.created_at),
        "updatedAt": iso(p.updated_at),
        "totalInventory": sum(
            _quantity(shop.inventory_items[v.inventory_item_id], "available") for v in variants
        ),
        "variantsCount": {"count": len(variants), "precision": "EXACT"},
        "options": lambda info, first=None, **_: [
            {
                "__typename": "ProductOption",
                "id": gid("ProductOption", p.id * 10 + i),
                "name": name,
                "position": i + 1,
                "values": values,
            }
            for i, (name, values) in enumerate(p.options[:first])
        ],
        "variants": lazy_connection(variants, lambda v: variant_node(shop, v)),
    }


def variant_node(shop: Shop, v: Variant) -> dict[str, Any]:
    """The ProductVariant object."""
    item = shop.inventory_items[v.inventory_item_id]
    product = shop.products.get(v.product_id)
    title = product.title if product else ""
    return {
        "__typename": "ProductVariant",
        "id": gid("ProductVariant", v.id),
        "legacyResourceId": str(v.id),
        "title": v.title,
        "sku": v.sku,
        "barcode": v.barcode,
        "price": str(v.price),
        "position": v.position,
        "taxable": v.taxable,
        "displayName": f"{title} - {v.title}",
        "createdAt": iso(v.created_at),
        "updatedAt": iso(v.updated_at),
        "inventoryQuantity": _quantity(item, "available"),
        "selectedOptions": [{"name": n, "value": val} for n, val in v.options],
        "inventoryItem": lambda info: inventory_item_node(shop, item),
        "product": (lambda info: product_node(shop, product)) if product else None,
    }


def _quantity(item: InventoryItem, name: str) -> int:
    """Sum of one quantity name over every location."""
    return sum(q.get(name, 0) for q in item.levels.values())


def inventory_item_node(shop: Shop, item: InventoryItem) -> dict[str, Any]:
    """The InventoryItem object."""
    levels = [(item, shop.locations[loc]) for loc in item.levels if loc in shop.locations]
    variant = shop.variants.get(item.variant_id)
    return {
        "__typename": "InventoryItem",
        "id": gid("InventoryItem", item.id),
        "legacyResourceId": str(item.id),
        "sku": item.sku,
        "tracked": item.tracked,
        "createdAt": iso(item.created_at),
        "updatedAt": iso(item.updated_at),
        "unitCost": {"amount": str(item.cost), "currencyCode": shop.currency}
        if item.cost is not None
        else None,
        "variant": (lambda info: variant_node(shop, variant)) if variant else None,
        "inventoryLevels": lambda info, **args: lazy_connection(
            levels, lambda pair: inventory_level_node(shop, *pair), key=_level_key
        )(info, **args),
        "inventoryLevel": lambda info, locationId: _level_at(shop, item, locationId),
    }


def _level_key(pair: tuple[InventoryItem, Location]) -> int:
    """Pagination key of a level: its location id."""
    return pair[1].id


def _level_at(shop: Shop, item: InventoryItem, location_gid: str) -> dict[str, Any] | None:
    """The item's level at one location, or None when it is not stocked there."""
    from emulators.shopify.ids import parse_gid

    loc_id = parse_gid(location_gid, "Location")
    if loc_id is None or loc_id not in item.levels or loc_id not in shop.locations:
        return None
    return inventory_level_node(shop, item, shop.locations[loc_id])


def inventory_level_node(shop: Shop, item: InventoryItem, loc: Location) -> dict[str, Any]:
    """The InventoryLevel object."""
    quantities = item.levels[loc.id]
    return {
        "__typename": "InventoryLevel",
        "id": level_gid(item.id, loc.id),
        "canDeactivate": True,
        "createdAt": iso(item.created_at),
        "updatedAt": iso(item.updated_at),
        "quantities": lambda info, names: [
            {
                "id": f"{level_gid(item.id, loc.id)}&name={n}",
                "name": n,
                "quantity": quantities.get(n, 0),
                "updatedAt": iso(item.updated_at),
            }
            for n in names
        ],
        "item": lambda info: inventory_item_node(shop, item),
        "location": lambda info: location_node(shop, loc),
    }


def location_node(shop: Shop, loc: Location) -> dict[str, Any]:
    """The Location object."""
    stocked = [it for it in shop.inventory_items.values() if loc.id in it.levels]
    return {
        "__typename": "Location",
        "id": gid("Location", loc.id),
        "legacyResourceId": str(loc.id),
        "name": loc.name,
        "isActive": loc.active,
        "createdAt": iso(loc.created_at),
        "address": {"address1": None, "city": None, "countryCode": "US", "formatted": []},
        "inventoryLevels": lambda info, **args: lazy_connection(
            [(it, loc) for it in stocked],
            lambda pair: inventory_level_node(shop, *pair),
            key=lambda pair: pair[0].id,
        )(info, **args),
    }
