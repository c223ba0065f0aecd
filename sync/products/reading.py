"""Reading the products a run covers: those updated since the last run (or from the cursor a
continuation goes on from), paged — or with one bulk operation when there are many."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clients.shopify import ShopifyClient
from clients.shopify_products import count_products, read_products_bulk, read_products_paged
from rules.products import ShopifyVariant, parse_variant

BATCH = 30  # variants per ledger claim: one QBO batch request holds at most 30 operations
BULK_FROM = 100  # products: from here one bulk operation instead of 20+ pages


@dataclass
class Scope:
    """What one execution reads: products updated since a time (from `cursor` on when the run
    passed on to let other shops go first), every product when both are None."""

    since: datetime | None = None
    cursor: str | None = None
    bulk_from: int = BULK_FROM


def product_filter(scope: Scope) -> str:
    """Shopify's search text for the scope (updated_at compared in UTC).
    ref: https://shopify.dev/docs/api/usage/search-syntax"""
    if scope.cursor:
        return f"updated_at:>='{scope.cursor}'"
    if scope.since is not None:
        return f"updated_at:>'{scope.since.isoformat()}'"
    return ""


def read_products(
    client: ShopifyClient, scope: Scope, sleep: Callable[[float], None] = time.sleep
) -> tuple[Iterator[dict[str, Any]], int]:
    """The scope's product nodes (each with all its variants) and how many there are."""
    search = product_filter(scope)
    total = count_products(client, search)
    if total == 0:
        return iter(()), 0
    if total >= scope.bulk_from:
        return read_products_bulk(client, search, sleep), total
    return read_products_paged(client, search), total


def variant_batches(
    products: Iterable[dict[str, Any]], size: int = BATCH
) -> Iterator[tuple[list[ShopifyVariant], int]]:
    """Variants in groups of `size` (a product's variants may span two), with how many products
    the group completes; at most one product and one group in memory."""
    chunk: list[ShopifyVariant] = []
    finished = 0
    for product in products:
        for node in (product.get("variants") or {}).get("nodes") or []:
            chunk.append(parse_variant(node, product))
            if len(chunk) == size:
                yield chunk, finished
                chunk, finished = [], 0
        finished += 1
    if chunk or finished:
        yield chunk, finished
