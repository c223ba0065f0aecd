"""Reading the catalogue: products with their variants (price, SKU, unit cost), paged or in bulk.

Page sizes keep a page's calculated cost well under Shopify's 1,000-point limit per query
(products × variants × their inventory item); a large catalogue is read with one bulk operation.
ref: https://shopify.dev/docs/api/admin-graphql/2025-01/queries/products
ref: https://shopify.dev/docs/api/usage/bulk-operations/queries
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from clients.shopify import ShopifyClient
from clients.shopify_bulk import bulk_query_nodes
from clients.shopify_paging import execute_paced, paginate

PRODUCTS_PER_PAGE = 5
VARIANTS_PER_PRODUCT = 40  # a product with more is completed with PRODUCT_VARIANTS_QUERY
VARIANTS_PER_PAGE = 100

VARIANT_FIELDS = """
fragment VariantFields on ProductVariant {
  id
  title
  sku
  price
  updatedAt
  inventoryItem { unitCost { amount } }
}
"""

PRODUCTS_QUERY = (
    """
query Products($first: Int!, $after: String, $query: String, $variants: Int!) {
  products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes {
      id
      title
      updatedAt
      variants(first: $variants) {
        nodes { ...VariantFields }
        pageInfo { hasNextPage endCursor }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + VARIANT_FIELDS
)

PRODUCT_VARIANTS_QUERY = (
    """
query ProductVariants($first: Int!, $after: String, $query: String) {
  productVariants(first: $first, after: $after, query: $query) {
    nodes { ...VariantFields }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + VARIANT_FIELDS
)

PRODUCTS_COUNT_QUERY = """
query ProductsCount($query: String) {
  productsCount(query: $query, limit: null) { count }
}
"""

VARIANTS_BY_ID_QUERY = """
query VariantsById($ids: [ID!]!) {
  nodes(ids: $ids) { ... on ProductVariant { id } }
}
"""
IDS_PER_NODES_QUERY = 250  # `nodes(ids:)` takes at most 250 ids

# Child lines of the bulk JSONL: variants (their inventory item is an object, inline).
PRODUCT_CONNECTIONS = {"ProductVariant": "variants"}


def bulk_products_query(search: str = "") -> str:
    """The bulk query over every product matching `search`, with all its variants."""
    argument = f"(query: {json.dumps(search, ensure_ascii=False)}, sortKey: UPDATED_AT)"
    return (
        f"query BulkProducts {{\n  products{argument} {{\n    nodes {{\n      id\n      title\n"
        "      updatedAt\n      variants {\n        nodes {\n          __typename\n"
        "          ...VariantFields\n        }\n      }\n    }\n  }\n}\n" + VARIANT_FIELDS
    )


BULK_PRODUCTS_QUERY = bulk_products_query()


def count_products(client: ShopifyClient, search: str) -> int:
    """How many products match the search."""
    data = execute_paced(client, PRODUCTS_COUNT_QUERY, {"query": search or None})["data"]
    return int(data["productsCount"]["count"])


def read_products_paged(client: ShopifyClient, search: str) -> Iterator[dict[str, Any]]:
    """Every matching product, each with all its variants, page by page."""
    variables = {"query": search or None, "variants": VARIANTS_PER_PRODUCT}
    for product in paginate(
        client, PRODUCTS_QUERY, variables, "products", page_size=PRODUCTS_PER_PAGE
    ):
        variants = product["variants"]
        if variants["pageInfo"]["hasNextPage"]:  # more than a page holds: read them all
            search_variants = {"query": f"product_id:{product['id'].rsplit('/', 1)[-1]}"}
            nodes = paginate(
                client,
                PRODUCT_VARIANTS_QUERY,
                search_variants,
                "productVariants",
                VARIANTS_PER_PAGE,
            )
            variants = {"nodes": list(nodes)}
        yield {**product, "variants": variants}


def read_products_bulk(
    client: ShopifyClient, search: str, sleep: Callable[[float], None] = time.sleep
) -> Iterator[dict[str, Any]]:
    """Every matching product with its variants, through one bulk operation."""
    return bulk_query_nodes(
        client, bulk_products_query(search), connections=PRODUCT_CONNECTIONS, sleep=sleep
    )


def existing_variants(client: ShopifyClient, variant_ids: list[str]) -> set[str]:
    """Which of these variants (legacy ids) Shopify still has."""
    found: set[str] = set()
    for start in range(0, len(variant_ids), IDS_PER_NODES_QUERY):
        part = variant_ids[start : start + IDS_PER_NODES_QUERY]
        ids = [f"gid://shopify/ProductVariant/{v}" for v in part]
        nodes = execute_paced(client, VARIANTS_BY_ID_QUERY, {"ids": ids})["data"]["nodes"]
        found |= {str(n["id"]).rsplit("/", 1)[-1] for n in nodes if n and n.get("id")}
    return found
