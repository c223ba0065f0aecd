"""Bulk-operation documents for reading orders: ORDERS_QUERY's fields, unpaged, as one bulk query.

Derived from clients.shopify_queries.ORDER_FIELDS so rules.orders.parse_order reads both alike.
Bulk rules (https://shopify.dev/docs/api/usage/bulk-operations/queries): at least one and at most
five connections, nested at most two deep; nested connections need no `first` (every node is
returned) and take no variables; `pageInfo` has no meaning without pages. Lists such as
`Order.transactions` are not connections (the Admin schema makes it a list) and stay inline in
the order's line.
Here: orders → lineItems, shippingLines, discountApplications (4 connections, depth 2).
"""

from __future__ import annotations

import json
import re

from clients.shopify_queries import MONEY_BAG, ORDER_FIELDS

# Child lines of the JSONL carry only `__parentId`; `__typename` (requested on every child
# connection node below) says which connection each belongs to.
ORDER_CONNECTIONS = {
    "LineItem": "lineItems",
    "ShippingLine": "shippingLines",
    "AutomaticDiscountApplication": "discountApplications",
    "DiscountCodeApplication": "discountApplications",
    "ManualDiscountApplication": "discountApplications",
    "ScriptDiscountApplication": "discountApplications",
}


def _bulk_fields(fragment: str) -> str:
    """OrderFields without page sizes and pageInfo, with __typename on connection nodes."""
    fragment = re.sub(r"\(first: \$\w+\)", "", fragment)
    fragment = re.sub(r"\n\s*pageInfo \{[^}]*\}", "", fragment)
    return fragment.replace("nodes {", "nodes {\n      __typename", -1)


BULK_ORDER_FIELDS = _bulk_fields(ORDER_FIELDS)


def bulk_orders_query(search: str = "") -> str:
    """The bulk query over every order matching `search` (Shopify search syntax).

    The search text becomes a GraphQL string literal: JSON string escapes are GraphQL's.
    ref: https://spec.graphql.org/October2021/#sec-String-Value
    """
    argument = f"(query: {json.dumps(search, ensure_ascii=False)}, sortKey: UPDATED_AT)"
    return (
        f"query BulkOrders {{\n  orders{argument} {{\n    nodes {{ ...OrderFields }}\n  }}\n}}\n"
        + BULK_ORDER_FIELDS
        + MONEY_BAG
    )


BULK_ORDERS_QUERY = bulk_orders_query()
