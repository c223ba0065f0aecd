"""Reading orders from Shopify: paged (paced by cost, completed when a page cut them short), or
with one bulk operation when there are many."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from clients.errors import AuthError
from clients.shopify import ShopifyClient
from clients.shopify_bulk import bulk_query_nodes
from clients.shopify_bulk_queries import ORDER_CONNECTIONS, bulk_orders_query
from clients.shopify_order_read import read_whole
from clients.shopify_paging import execute_paced, paginate
from clients.shopify_protected import ProtectedDataDenied
from clients.shopify_queries import ORDER_QUERY, ORDER_SIZES, ORDERS_QUERY, ORDERS_SIZES
from models import Shop

COUNT_QUERY = "query($query: String) { ordersCount(query: $query, limit: null) { count } }"


def read_orders(client: ShopifyClient, search: str, page_size: int) -> Iterator[dict]:
    """Every order matching a Shopify search query, oldest update first, each complete."""
    for node in paginate(client, ORDERS_QUERY, {"query": search}, "orders", page_size=page_size):
        yield read_whole(client, node, ORDERS_SIZES["transactions"])


def read_orders_bulk(
    client: ShopifyClient, search: str, sleep: Callable[[float], None] = time.sleep
) -> Iterator[dict]:
    """Every order matching the search through one bulk operation: complete, unpaged, streamed.
    `sleep` waits between polls while Shopify prepares the file (a run beats its heartbeat).
    A bulk query refused whole (ACCESS_DENIED) runs again once one order read in full has
    taught which protected customer data Shopify has not approved."""
    query = bulk_orders_query(search)
    nodes = bulk_query_nodes(client, query, connections=ORDER_CONNECTIONS, sleep=sleep)
    try:
        first = next(nodes, None)
    except AuthError as exc:
        known = client.customer_data
        if exc.code != "ACCESS_DENIED" or probe_customer_data(client, search) == known:
            raise
        nodes = bulk_query_nodes(client, query, connections=ORDER_CONNECTIONS, sleep=sleep)
        first = next(nodes, None)
    if first is not None:
        yield first
        yield from nodes


def read_matching(
    client: ShopifyClient,
    search: str,
    page_size: int,
    bulk_from: int,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[Iterator[dict], int]:
    """The matching orders and how many there are: from `bulk_from` orders on, one bulk
    operation (a handful of requests however many) instead of pages of `page_size`."""
    total = count_orders(client, search)
    if total == 0:  # nothing changed: no page to read
        return iter(()), 0
    if client.customer_data is not None:  # some is missing: approved since?
        probe_customer_data(client, search)
    if total >= bulk_from:
        return read_orders_bulk(client, search, sleep), total
    return read_orders(client, search, page_size), total


def probe_customer_data(client: ShopifyClient, search: str) -> int | None:
    """Learn what protected customer data Shopify approved from one order read in full (a bulk
    operation fails whole, naming no field; an approval may come any day); the level now.
    ref: https://shopify.dev/docs/apps/launch/protected-customer-data"""
    variables = {"first": 1, "query": search, **{k: 1 for k in ORDERS_SIZES}}
    try:
        data = client.execute_as_is(ORDERS_QUERY, variables)["data"]
    except ProtectedDataDenied as exc:
        client.learnt(exc.level)
    else:
        if data["orders"]["nodes"]:
            client.learnt(None)
    return client.customer_data


def read_orders_by_id(client: ShopifyClient, order_ids: Iterable[str]) -> Iterator[dict]:
    """Named orders (legacy ids or gids), each read in full; unknown ids are left out."""
    for order_id in order_ids:
        gid = order_id if order_id.startswith("gid://") else f"gid://shopify/Order/{order_id}"
        node = execute_paced(client, ORDER_QUERY, {"id": gid})["data"]["order"]
        if node is not None:
            yield read_whole(client, node, ORDER_SIZES["transactions"])


def count_orders(client: ShopifyClient, search: str) -> int:
    """How many orders match (for progress bars)."""
    data = execute_paced(client, COUNT_QUERY, {"query": search or None})["data"]
    return int(data["ordersCount"]["count"])


BATCH = 30  # QBO batch requests hold at most 30 operations


@dataclass
class Scope:
    """What one execution of a run reads: named orders, or those changed since a time (from
    `cursor` on when the run passed on to let other shops go first)."""

    since: datetime | None = None
    order_ids: list[str] | None = None
    cursor: str | None = None
    page_size: int = 5
    bulk_from: int = 25


def order_filter(shop: Shop, since: datetime | None, cursor: str | None = None) -> str:
    """The Shopify search query: changed since the last run (or the cursor), created after the
    start date."""
    parts = []
    if cursor is not None:
        parts.append(f"updated_at:>='{cursor}'")
    elif since is not None:
        parts.append(f"updated_at:>='{since.isoformat()}'")
    start = shop.sync_settings.integration_start_date if shop.sync_settings else None
    if start is not None:
        parts.append(f"created_at:>='{start.isoformat()}'")
    return " AND ".join(parts)


def batches(nodes: Iterable[dict], size: int = BATCH) -> Iterator[list[dict]]:
    """Group a stream of order nodes, holding at most one batch in memory."""
    chunk: list[dict] = []
    for node in nodes:
        chunk.append(node)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
