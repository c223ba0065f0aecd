"""Access scopes the GraphQL Admin API requires per field, connection and mutation.

Shopify answers a field the token's scopes do not cover with an ACCESS_DENIED error and null
for that field; write_X implies read_X.
ref: https://shopify.dev/docs/api/usage/access-scopes
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLResolveInfo,
    GraphQLSchema,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    visit,
)

DOCS = "https://shopify.dev/api/usage/access-scopes"
_ADMIN = "https://shopify.dev/docs/api/admin-graphql/2025-01"

# (parent type, field) → (required scope, the page that documents it).
FIELD_SCOPES: dict[tuple[str, str], tuple[str, str]] = {
    ("QueryRoot", "orders"): ("read_orders", f"{_ADMIN}/queries/orders"),
    ("QueryRoot", "order"): ("read_orders", f"{_ADMIN}/queries/order"),
    ("QueryRoot", "ordersCount"): ("read_orders", f"{_ADMIN}/queries/ordersCount"),
    ("QueryRoot", "customer"): ("read_customers", f"{_ADMIN}/queries/customer"),
    ("QueryRoot", "customers"): ("read_customers", f"{_ADMIN}/queries/customers"),
    # Customer object: "Requires read_customers access scope".
    ("Order", "customer"): ("read_customers", f"{_ADMIN}/objects/Order#field-customer"),
    ("QueryRoot", "product"): ("read_products", f"{_ADMIN}/queries/product"),
    ("QueryRoot", "products"): ("read_products", f"{_ADMIN}/queries/products"),
    ("QueryRoot", "productsCount"): ("read_products", f"{_ADMIN}/queries/productsCount"),
    ("QueryRoot", "productVariant"): ("read_products", f"{_ADMIN}/queries/productVariant"),
    ("QueryRoot", "productVariants"): ("read_products", f"{_ADMIN}/queries/productVariants"),
    # ProductVariant and Product objects: "Requires read_products access scope".
    ("LineItem", "variant"): ("read_products", f"{_ADMIN}/objects/ProductVariant"),
    ("LineItem", "product"): ("read_products", f"{_ADMIN}/objects/Product"),
    ("QueryRoot", "inventoryItem"): ("read_inventory", f"{_ADMIN}/queries/inventoryItem"),
    ("QueryRoot", "inventoryItems"): ("read_inventory", f"{_ADMIN}/queries/inventoryItems"),
    ("QueryRoot", "inventoryLevel"): ("read_inventory", f"{_ADMIN}/queries/inventoryLevel"),
    ("QueryRoot", "location"): ("read_locations", f"{_ADMIN}/queries/location"),
    ("QueryRoot", "locations"): ("read_locations", f"{_ADMIN}/queries/locations"),
    ("Mutation", "orderCreate"): ("write_orders", f"{_ADMIN}/mutations/orderCreate"),
    ("Mutation", "orderCancel"): ("write_orders", f"{_ADMIN}/mutations/orderCancel"),
    ("Mutation", "orderMarkAsPaid"): ("write_orders", f"{_ADMIN}/mutations/orderMarkAsPaid"),
    ("Mutation", "refundCreate"): ("write_orders", f"{_ADMIN}/mutations/refundCreate"),
    ("Mutation", "productSet"): ("write_products", f"{_ADMIN}/mutations/productSet"),
    ("Mutation", "productDelete"): ("write_products", f"{_ADMIN}/mutations/productDelete"),
    ("Mutation", "inventorySetQuantities"): (
        "write_inventory",
        f"{_ADMIN}/mutations/inventorySetQuantities",
    ),
    ("Mutation", "inventoryAdjustQuantities"): (
        "write_inventory",
        f"{_ADMIN}/mutations/inventoryAdjustQuantities",
    ),
    ("Mutation", "locationAdd"): ("write_locations", f"{_ADMIN}/mutations/locationAdd"),
}
# `shop`, the bulk operation fields and webhook subscriptions need no scope here (the query a
# bulk operation runs is checked when it runs; a subscription's topic when it is created).

# The scope each object type needs, wherever it is reached: its reference page heads it with
# "Requires `read_orders` access scope." (Order), and so on. The typed root fields above need the
# same scope; node(id:) and nodes(ids:) answer an object only when the token holds it, so an
# object refused through `order(id:)` is refused through `node(id:)` too.
# ref: https://shopify.dev/docs/api/admin-graphql/2025-01/objects/Order
# ref: https://shopify.dev/docs/api/admin-graphql/2025-01/interfaces/Node
TYPE_SCOPES: dict[str, str] = {
    "Order": "read_orders",
    "Customer": "read_customers",
    "Product": "read_products",
    "ProductVariant": "read_products",
    "InventoryItem": "read_inventory",
    "InventoryLevel": "read_inventory",
    "Location": "read_locations",
}

# Orders older than 60 days need read_all_orders as well (they are left out, no error).
# ref: https://shopify.dev/docs/api/usage/access-scopes#orders-permissions
ALL_ORDERS = "read_all_orders"
ORDER_WINDOW = timedelta(days=60)

# Every scope the emulator knows: what a store owner's (admin) token holds.
ALL_SCOPES = ",".join(
    sorted({s for s, _ in FIELD_SCOPES.values()} | {"write_customers", "write_locations"})
    + [ALL_ORDERS]
)


def granted(scope: str) -> frozenset[str]:
    """The scopes a token's comma-separated scope string grants (write_X grants read_X)."""
    names = {s.strip() for s in scope.split(",") if s.strip()}
    return frozenset(names | {"read_" + s[6:] for s in names if s.startswith("write_")})


def required(parent: str, field: str) -> str | None:
    """The scope a field needs, or None."""
    entry = FIELD_SCOPES.get((parent, field))
    return entry[0] if entry else None


def type_scope(type_name: str) -> str | None:
    """The scope an object of this type needs however it is fetched (node(id:) included)."""
    return TYPE_SCOPES.get(type_name)


# "Requires the `read_products` scope." / "Requires at least one of the following scopes:
# read_orders, read_marketplace_orders." in the WebhookSubscriptionTopic value descriptions.
_TOPIC_REQUIRES = re.compile(
    r"Requires (?:the `(\w+)` scope|at least one of the following scopes: ([\w, ]+))\."
)


@cache
def topic_scopes(enum_value: str) -> tuple[str, ...]:
    """The scopes any one of which a webhook topic (ORDERS_CREATE) needs; empty: none.

    Read from the topic's description in Shopify's schema, which states it per value
    ("Requires the `read_orders` scope"); APP_UNINSTALLED and the like state none.
    ref: https://shopify.dev/docs/api/admin-graphql/2025-01/enums/WebhookSubscriptionTopic
    ref: https://shopify.dev/docs/apps/build/webhooks/subscribe ("Each topic you subscribe to
    requires a corresponding access scope")
    """
    from emulators.shopify.schema import admin_schema  # the schema module loads lazily

    enum = admin_schema().get_type("WebhookSubscriptionTopic")
    value = getattr(enum, "values", {}).get(enum_value)
    match = _TOPIC_REQUIRES.search(value.description or "") if value is not None else None
    if match is None:
        return ()
    return tuple(s.strip() for s in (match.group(1) or match.group(2)).split(","))


def topic_allowed(enum_value: str, scopes: frozenset[str]) -> bool:
    """Whether a token or app holding `scopes` (granted()) may subscribe to the topic."""
    need = topic_scopes(enum_value)
    return not need or not scopes.isdisjoint(need)


def topic_requirement(enum_value: str) -> str:
    """The topic's requirement as Shopify CLI words it: "read_orders or read_marketplace_orders"."""
    return " or ".join(topic_scopes(enum_value))


def document_scopes(schema: GraphQLSchema, document: DocumentNode) -> set[str]:
    """Every scope the fields selected anywhere in `document` need (fragments included)."""
    return collect(schema, document, required)


def collect(
    schema: GraphQLSchema, document: DocumentNode, need: Callable[[str, str], str | None]
) -> set[str]:
    """What `need(parent type, field)` names for the fields selected anywhere in `document`."""
    info = TypeInfo(schema)
    found: set[str] = set()

    class Collect(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            parent = info.get_parent_type()
            wanted = need(parent.name, node.name.value) if parent else None
            if wanted:
                found.add(wanted)

    visit(document, TypeInfoVisitor(info, Collect()))
    return found


def access_denied(field: str, scope: str) -> GraphQLError:
    """Shopify's ACCESS_DENIED error for a field the token's scopes do not cover."""
    need = f"`{scope}` access scope."
    return GraphQLError(
        f"Access denied for {field} field. Required access: {need}",
        extensions={"code": "ACCESS_DENIED", "documentation": DOCS, "requiredAccess": need},
    )


def enforcing(scopes: frozenset[str]) -> Callable[..., Any]:
    """graphql-core middleware: a field needing a scope not in `scopes` raises ACCESS_DENIED."""

    def middleware(next_: Callable[..., Any], root: Any, info: GraphQLResolveInfo, **args: Any):
        scope = required(info.parent_type.name, info.field_name)
        if scope and scope not in scopes:
            raise access_denied(info.field_name, scope)
        return next_(root, info, **args)

    return middleware


def order_cutoff(scopes: Iterable[str], now: datetime) -> datetime | None:
    """Orders created before this are invisible to the token (None: it sees every order)."""
    return None if ALL_ORDERS in scopes else now - ORDER_WINDOW
