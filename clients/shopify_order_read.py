"""Reading one order whole: its inner connections paged to their end, its transactions in full.

A page of orders (or one order) holds only the first few line items, shipping lines, discount
applications and transactions. Connections are paged on from their endCursor, paced by the
cost Shopify reports; `Order.transactions` is a list with `first` but no paging, so a full list
is read again at the largest size that keeps the query's cost margin. An order with more
transactions than that cannot be read whole: it is marked with the reason (UNREAD), and never
posted from a partial read.
ref: https://shopify.dev/docs/api/admin-graphql/2025-01/objects/Order
ref: https://shopify.dev/docs/api/usage/pagination-graphql
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from clients.shopify import ShopifyClient
from clients.shopify_paging import execute_paced, wait_for_budget
from clients.shopify_queries import CONNECTIONS, MONEY_BAG, TRANSACTION

# Set on an order node that could not be read whole: why (rules.orders.parse_order keeps it).
UNREAD = "unreadReason"
# Page sizes of the inner connections when paged on their own: each page requests at most
# 750 points (objects 1, connections 2 + first × node; asserted in the tests).
PAGE_SIZES = {"lineItems": 39, "shippingLines": 49, "discountApplications": 100}
# The most transactions one read returns (1 + 4 per transaction: 721 points).
TRANSACTIONS_MAX = 180

TRANSACTIONS_QUERY = (
    """
query OrderTransactions($id: ID!, $first: Int!) {
  order(id: $id) {
    transactions(first: $first) {"""
    + TRANSACTION
    + """    }
  }
}
"""
    + MONEY_BAG
)


def page_query(name: str) -> str:
    """The query for one page of the order's connection `name` after a cursor."""
    fields = CONNECTIONS[name]
    return (
        f"query OrderPage($id: ID!, $first: Int!, $after: String) {{\n"
        f"  order(id: $id) {{\n    {name}(first: $first, after: $after) {{\n"
        f"      pageInfo {{ hasNextPage endCursor }}\n      nodes {{{fields}      }}\n"
        f"    }}\n  }}\n}}\n" + (MONEY_BAG if "MoneyBagFields" in fields else "")
    )


def read_whole(
    client: ShopifyClient,
    node: dict[str, Any],
    transactions_asked: int,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """The order node with every connection paged to its end and every transaction read; marked
    UNREAD (with the reason) when that is impossible. `transactions_asked`: the `first` used."""
    node = dict(node)
    for name in CONNECTIONS:
        connection = node.get(name) or {}
        if (connection.get("pageInfo") or {}).get("hasNextPage"):
            rest = _page_on(client, node["id"], name, connection["pageInfo"]["endCursor"], sleep)
            if rest is None:
                return {**node, UNREAD: _vanished(node)}
            nodes = [*connection.get("nodes", []), *rest]
            node[name] = {"pageInfo": {"hasNextPage": False, "endCursor": None}, "nodes": nodes}
    if len(node.get("transactions") or []) >= transactions_asked:
        result = execute_paced(
            client, TRANSACTIONS_QUERY, {"id": node["id"], "first": TRANSACTIONS_MAX}, sleep
        )
        order = result["data"]["order"]
        if order is None:
            return {**node, UNREAD: _vanished(node)}
        node["transactions"] = order["transactions"]
        if len(order["transactions"]) >= TRANSACTIONS_MAX:
            node[UNREAD] = too_many_transactions(node)
    return node


def _page_on(
    client: ShopifyClient,
    order_id: str,
    name: str,
    after: str | None,
    sleep: Callable[[float], None],
) -> list[dict[str, Any]] | None:
    """The nodes of the order's connection after `after`, page by page; None if it vanished."""
    query, found = page_query(name), []
    while True:
        variables = {"id": order_id, "first": PAGE_SIZES[name], "after": after}
        result = execute_paced(client, query, variables, sleep)
        order = result["data"]["order"]
        if order is None:
            return None
        found += order[name]["nodes"]
        page_info = order[name]["pageInfo"]
        if not page_info["hasNextPage"]:
            return found
        after = page_info["endCursor"]
        wait_for_budget((result.get("extensions") or {}).get("cost"), sleep)


def too_many_transactions(node: dict[str, Any]) -> str:
    """The plain reason an order with more transactions than one read returns is not posted."""
    return (
        f"Order {node.get('name') or node['id']} has {TRANSACTIONS_MAX} or more payment "
        f"transactions; Shopify lists an order's transactions without paging, so the order "
        f"cannot be read whole and was not posted."
    )


def _vanished(node: dict[str, Any]) -> str:
    """The reason for an order deleted in Shopify while it was being read."""
    return f"Order {node.get('name') or node['id']} was deleted in Shopify while it was read."
