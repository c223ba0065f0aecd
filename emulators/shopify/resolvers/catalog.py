"""Query root: products, productVariants (incl. sku: search), locations, inventory, nodes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo

from emulators.shopify import protected_data
from emulators.shopify.ids import gid_kind, parse_gid
from emulators.shopify.resolvers import bulk_operations, orders
from emulators.shopify.resolvers.catalog_views import (
    inventory_item_node,
    inventory_level_node,
    location_node,
    product_node,
    variant_node,
)
from emulators.shopify.resolvers.line_views import customer_node
from emulators.shopify.resolvers.order_views import order_node
from emulators.shopify.resolvers.pagination import connection
from emulators.shopify.scopes import access_denied, type_scope
from emulators.shopify.search import compile_query
from emulators.shopify.store import Shop

# Search fields. ref: https://shopify.dev/docs/api/admin-graphql/2025-01/queries/productVariants
# and …/queries/products, …/queries/inventoryItems (query argument tables).
PRODUCT_FIELDS = {
    "title": lambda p: p.title,
    "handle": lambda p: p.handle,
    "status": lambda p: p.status,
    "vendor": lambda p: p.vendor,
    "product_type": lambda p: p.product_type,
    "tag": lambda p: p.tags,
    "id": lambda p: p.id,
    "created_at": lambda p: p.created_at,
    "updated_at": lambda p: p.updated_at,
}
VARIANT_FIELDS = {
    "sku": lambda v: v.sku,
    "barcode": lambda v: v.barcode,
    "title": lambda v: v.title,
    "id": lambda v: v.id,
    "product_id": lambda v: v.product_id,
    "updated_at": lambda v: v.updated_at,
    "created_at": lambda v: v.created_at,
}
ITEM_FIELDS = {
    "sku": lambda i: i.sku,
    "id": lambda i: i.id,
    "created_at": lambda i: i.created_at,
    "updated_at": lambda i: i.updated_at,
}


def _listing(
    records: dict[int, Any],
    fields: dict[str, Any],
    default: Callable[[Any], Any],
    to_node: Callable[[Any], dict[str, Any]],
    sort_keys: dict[str, Callable[[Any], Any]] | None = None,
) -> Callable[..., dict[str, Any]]:
    """A connection resolver over one record table, sorted by id (or a `sortKey:` of
    `sort_keys`), with `query:` search."""

    def resolve(info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        """One page of matching records."""
        predicate = compile_query(args.get("query"), fields, default)
        key = (sort_keys or {}).get(args.get("sortKey") or "ID", lambda r: r.id)
        items = sorted((r for r in records.values() if predicate(r)), key=key)
        if args.get("reverse"):
            items.reverse()
        page = {k: args.get(k) for k in ("first", "after", "last", "before")}
        return connection(items, to_node, lambda r: r.id, **page)

    return resolve


def products(info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    """query { products }."""
    shop = info.context.shop
    return _listing(
        shop.products,
        PRODUCT_FIELDS,
        lambda p: [p.title, p.vendor],
        lambda p: product_node(shop, p),
        # ref: https://shopify.dev/docs/api/admin-graphql/2025-01/enums/ProductSortKeys
        {"UPDATED_AT": lambda p: (p.updated_at, p.id), "TITLE": lambda p: (p.title, p.id)},
    )(info, **args)


def products_count(info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    """query { productsCount(query:, limit:) }: exact below the limit (none with limit: null).
    ref: https://shopify.dev/docs/api/admin-graphql/2025-01/queries/productsCount"""
    shop = info.context.shop
    predicate = compile_query(args.get("query"), PRODUCT_FIELDS, lambda p: [p.title, p.vendor])
    count = sum(1 for p in shop.products.values() if predicate(p))
    limit = args.get("limit", 10000)
    if limit is not None and count > limit:
        return {"count": limit, "precision": "AT_LEAST"}
    return {"count": count, "precision": "EXACT"}


def product_variants(info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    """query { productVariants(query: "sku:…") }."""
    shop = info.context.shop
    return _listing(
        shop.variants,
        VARIANT_FIELDS,
        lambda v: [v.title, v.sku or ""],
        lambda v: variant_node(shop, v),
    )(info, **args)


def inventory_items(info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    """query { inventoryItems }."""
    shop = info.context.shop
    return _listing(
        shop.inventory_items,
        ITEM_FIELDS,
        lambda i: i.sku or "",
        lambda i: inventory_item_node(shop, i),
    )(info, **args)


def locations(info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    """query { locations }."""
    shop = info.context.shop
    active = {k: v for k, v in shop.locations.items() if v.active or args.get("includeInactive")}
    return _listing(
        active,
        {"name": lambda loc: loc.name},
        lambda loc: loc.name,
        lambda loc: location_node(shop, loc),
    )(info, **args)


def inventory_level(info: GraphQLResolveInfo, id: str) -> dict[str, Any] | None:  # noqa: A002
    """query { inventoryLevel(id:) }: ids are InventoryLevel/<loc>?inventory_item_id=<item>."""
    shop: Shop = info.context.shop
    loc_id = parse_gid(id, "InventoryLevel")
    item_id = id.partition("inventory_item_id=")[2]
    item = shop.inventory_items.get(int(item_id)) if item_id.isdigit() else None
    if loc_id is None or item is None or loc_id not in item.levels:
        return None
    return inventory_level_node(shop, item, shop.locations[loc_id])


# kind → (table name on Shop, view)
NODE_KINDS: dict[str, tuple[str, Callable[[Shop, Any], dict[str, Any] | None]]] = {
    "Order": ("orders", order_node),
    "Product": ("products", product_node),
    "ProductVariant": ("variants", variant_node),
    "InventoryItem": ("inventory_items", inventory_item_node),
    "Location": ("locations", location_node),
    "Customer": ("customers", lambda shop, c: customer_node(shop, c.id)),
}


def lookup(shop: Shop, value: str) -> dict[str, Any] | None:
    """Any supported node by its gid (None when unknown)."""
    kind = gid_kind(value)
    if kind == "InventoryLevel":
        return None
    if kind not in NODE_KINDS:
        return None
    table, view = NODE_KINDS[kind]
    record = getattr(shop, table).get(parse_gid(value, kind))
    return view(shop, record) if record is not None else None


def _by_id(kind: str) -> Callable[..., dict[str, Any] | None]:
    """A root `kind(id:)` resolver."""

    def resolve(info: GraphQLResolveInfo, id: str) -> dict[str, Any] | None:  # noqa: A002
        """The node when the gid is of this kind."""
        return lookup(info.context.shop, id) if gid_kind(id) == kind else None

    return resolve


def node(info: GraphQLResolveInfo, id: str) -> dict[str, Any] | None:  # noqa: A002
    """query { node(id:) }: the object needs the scope (and, a Customer, the protected customer
    data approval) its typed root field needs; without it ACCESS_DENIED, whether or not the
    object exists (emulators/shopify/scopes.py TYPE_SCOPES)."""
    _check_access(info, gid_kind(id))
    if gid_kind(id) == "InventoryLevel":
        return inventory_level(info, id)
    if gid_kind(id) == "BulkOperation":
        return bulk_operations.node(info, id)
    if gid_kind(id) == "Order":  # honours the 60-day window
        return orders.order(info, id)
    return lookup(info.context.shop, id)


def nodes(info: GraphQLResolveInfo, ids: list[str]) -> list[Any]:
    """query { nodes(ids:) }: each id as node(id:) answers it; a refused one is null with its
    ACCESS_DENIED error at ["nodes", index] (graphql-core raises an Exception list item there)."""
    out: list[Any] = []
    for value in ids:
        try:
            out.append(node(info, value))
        except GraphQLError as exc:
            out.append(exc)
    return out


def _check_access(info: GraphQLResolveInfo, kind: str | None) -> None:
    """ACCESS_DENIED when the token lacks the scope (or approval) objects of `kind` need."""
    scope = type_scope(kind or "")
    if scope and scope not in info.context.scopes:
        raise access_denied(info.field_name, scope)
    if kind == "Customer" and protected_data.CUSTOMER not in info.context.protected:
        raise protected_data.denied(info.parent_type.name, info.field_name, protected_data.CUSTOMER)


FIELDS = {
    "products": products,
    "productsCount": products_count,
    "product": _by_id("Product"),
    "productVariants": product_variants,
    "productVariant": _by_id("ProductVariant"),
    "inventoryItems": inventory_items,
    "inventoryItem": _by_id("InventoryItem"),
    "inventoryLevel": inventory_level,
    "locations": locations,
    "location": _by_id("Location"),
    "customer": _by_id("Customer"),
    "node": node,
    "nodes": nodes,
}
