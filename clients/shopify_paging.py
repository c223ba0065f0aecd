"""Cursor pagination over a GraphQL connection, paced by the cost Shopify reports.

Shopify meters GraphQL by calculated query cost in a leaky bucket per app and shop; every
response reports `extensions.cost.throttleStatus`. Waiting for the bucket to refill before a page
that would not fit avoids THROTTLED answers instead of provoking them.
ref: https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from clients.errors import RetryableError, RetryReason
from clients.shopify import ShopifyClient

MAX_THROTTLE_RETRIES = 5


def _dig(data: dict[str, Any], path: str) -> dict[str, Any]:
    """data['orders'] for path 'orders' (dotted paths for nested connections)."""
    for key in path.split("."):
        data = data[key]
    return data


def wait_for_budget(cost: dict[str, Any] | None, sleep: Callable[[float], None]) -> None:
    """Sleep until the bucket holds what the last request cost, if it does not already."""
    if not cost or not cost.get("throttleStatus"):
        return
    status = cost["throttleStatus"]
    needed = float(cost.get("requestedQueryCost") or 0)
    available = float(status.get("currentlyAvailable") or 0)
    restore = float(status.get("restoreRate") or 0) or 50.0
    if available < needed:
        sleep((needed - available) / restore)


def execute_paced(
    client: ShopifyClient,
    query: str,
    variables: dict[str, Any],
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Run a document, waiting out THROTTLED answers a few times before giving up."""
    for attempt in range(MAX_THROTTLE_RETRIES):
        try:
            return client.execute(query, variables)
        except RetryableError as exc:
            if exc.why is not RetryReason.THROTTLED or attempt == MAX_THROTTLE_RETRIES - 1:
                raise
            # As long as the bucket needs to refill (Shopify says how full it is), at least.
            sleep(min(max(exc.retry_after or 0, 2.0**attempt), 30.0))
    raise AssertionError("unreachable")


def paginate(
    client: ShopifyClient,
    query: str,
    variables: dict[str, Any],
    path: str,
    page_size: int = 100,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[dict[str, Any]]:
    """Yield every node of the connection at `path`, page by page (`$first`, `$after`)."""
    after: str | None = None
    while True:
        result = execute_paced(
            client, query, {**variables, "first": page_size, "after": after}, sleep
        )
        connection = _dig(result["data"], path)
        yield from connection["nodes"]
        page_info = connection["pageInfo"]
        if not page_info["hasNextPage"]:
            return
        after = page_info["endCursor"]
        wait_for_budget((result.get("extensions") or {}).get("cost"), sleep)
