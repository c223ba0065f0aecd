"""Relay connections over in-memory lists: first/after, last/before, up to 250 per page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import Any

from graphql import GraphQLError

from emulators.shopify.ids import decode_cursor, encode_cursor

# Shopify caps a page at 250 objects.
# ref: https://shopify.dev/docs/api/usage/pagination-graphql
MAX_PAGE = 250

# Set while a bulk operation runs its query: connections need no first/last and return every
# item (ref: https://shopify.dev/docs/api/usage/bulk-operations/queries, "Bulk query overview").
UNPAGED: ContextVar[bool] = ContextVar("UNPAGED", default=False)


def connection(
    items: Sequence[Any],
    to_node: Callable[[Any], dict[str, Any]],
    key: Callable[[Any], Any],
    *,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
) -> dict[str, Any]:
    """A connection (edges, nodes, pageInfo) over `items`, already filtered and sorted."""
    size = len(items) if UNPAGED.get() and first is None and last is None else None
    size = size if size is not None else _page_size(first, last)
    keys = [key(item) for item in items]
    start, end = 0, len(items)
    if after is not None:
        start = _position(keys, after) + 1
    if before is not None:
        end = _position(keys, before)
    window = list(range(start, max(start, end)))
    page = window[:size] if last is None else window[-size:] if size else []
    nodes = [to_node(items[i]) for i in page]
    cursors = [encode_cursor({"k": keys[i]}) for i in page]
    edges = [{"cursor": c, "node": n} for c, n in zip(cursors, nodes, strict=True)]
    has_next = bool(page) and page[-1] < end - 1 if last is None else end < len(items)
    has_prev = bool(page) and page[0] > start if last is not None else start > 0
    page_info = {
        "hasNextPage": has_next,
        "hasPreviousPage": has_prev,
        "startCursor": cursors[0] if cursors else None,
        "endCursor": cursors[-1] if cursors else None,
    }
    return {"edges": edges, "nodes": nodes, "pageInfo": page_info}


def _page_size(first: int | None, last: int | None) -> int:
    """Validate first/last the way Shopify does."""
    if first is None and last is None:
        raise GraphQLError("you must provide one of first or last")
    if first is not None and last is not None:
        raise GraphQLError("providing both first and last is not supported")
    size = first if first is not None else last
    if size is None or size < 0 or size > MAX_PAGE:
        raise GraphQLError(f"The first or last argument must be between 0 and {MAX_PAGE}.")
    return size


def _position(keys: list[Any], cursor: str) -> int:
    """Index of the item a cursor points at."""
    wanted = decode_cursor(cursor).get("k")
    try:
        return keys.index(wanted)
    except ValueError as exc:
        raise GraphQLError("Invalid cursor for current pagination sort.") from exc
