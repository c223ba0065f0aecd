"""Query root: orders (search, sort, pagination), order, ordersCount."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from emulators.shopify.ids import parse_gid
from emulators.shopify.order_model import Order
from emulators.shopify.order_totals import display_financial_status
from emulators.shopify.resolvers.order_views import order_node
from emulators.shopify.resolvers.pagination import connection
from emulators.shopify.scopes import order_cutoff
from emulators.shopify.search import compile_query

# Sort keys the emulator orders by; the others fall back to ID.
# ref: https://shopify.dev/docs/api/admin-graphql/2025-01/enums/OrderSortKeys
SORT_KEYS = {
    "CREATED_AT": lambda o: (o.created_at, o.id),
    "UPDATED_AT": lambda o: (o.updated_at, o.id),
    "PROCESSED_AT": lambda o: (o.processed_at, o.id),
    "ID": lambda o: (o.id,),
    "ORDER_NUMBER": lambda o: (o.number, o.id),
}


def _status(order: Order) -> list[str]:
    """Values `status:` matches: open / closed / cancelled (plus not_closed, any)."""
    values = ["any"]
    if order.cancelled_at is not None:
        values.append("cancelled")
    if order.closed_at is not None:
        values.append("closed")
    else:
        values.append("not_closed")
    if order.closed_at is None and order.cancelled_at is None:
        values.append("open")
    return values


# Search fields for orders.
# ref: https://shopify.dev/docs/api/admin-graphql/2025-01/queries/orders (query argument)
ORDER_FIELDS = {
    "created_at": lambda o: o.created_at,
    "updated_at": lambda o: o.updated_at,
    "processed_at": lambda o: o.processed_at,
    "financial_status": lambda o: display_financial_status(o).lower(),
    "test": lambda o: o.test,
    "status": _status,
    "name": lambda o: [o.name, o.name.lstrip("#")],
    "id": lambda o: o.id,
    "email": lambda o: o.email,
    "sku": lambda o: [li.sku for li in o.line_items if li.sku],
    "tag": lambda o: o.tags,
    "gateway": lambda o: [t.gateway for t in o.transactions],
    "customer_id": lambda o: o.customer_id,
}


def visible(info: GraphQLResolveInfo, order: Order) -> bool:
    """False for an order created over 60 days ago when the token lacks read_all_orders."""
    # ref: https://shopify.dev/docs/api/usage/access-scopes#orders-permissions
    ctx = info.context
    cutoff = order_cutoff(ctx.scopes, ctx.now())
    return cutoff is None or order.created_at >= cutoff


def filtered_orders(
    info: GraphQLResolveInfo, query: str | None, sort_key: str | None, reverse: bool | None
) -> list[Order]:
    """The shop's orders the token may see that match `query`, sorted."""
    predicate = compile_query(query, ORDER_FIELDS, lambda o: [o.name, o.email or ""])
    key = SORT_KEYS.get(sort_key or "ID", SORT_KEYS["ID"])
    shop = info.context.shop
    items = sorted((o for o in shop.orders.values() if predicate(o) and visible(info, o)), key=key)
    return list(reversed(items)) if reverse else items


def orders(info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    """query { orders(first:, after:, query:, sortKey:, reverse:) }."""
    shop = info.context.shop
    items = filtered_orders(info, args.get("query"), args.get("sortKey"), args.get("reverse"))
    page = {k: args.get(k) for k in ("first", "after", "last", "before")}
    return connection(items, lambda o: order_node(shop, o), lambda o: o.id, **page)


def order(info: GraphQLResolveInfo, id: str) -> dict[str, Any] | None:  # noqa: A002
    """query { order(id:) }."""
    shop = info.context.shop
    found = shop.orders.get(parse_gid(id, "Order"))
    return order_node(shop, found) if found and visible(info, found) else None


def orders_count(info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    """query { ordersCount(query:, limit:) }: Count with precision."""
    items = filtered_orders(info, args.get("query"), None, None)
    limit = args.get("limit")
    if limit is not None and len(items) > limit:
        return {"count": limit, "precision": "AT_LEAST"}
    return {"count": len(items), "precision": "EXACT"}


FIELDS = {"orders": orders, "order": order, "ordersCount": orders_count}
