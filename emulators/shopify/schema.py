"""The Admin GraphQL schema the emulator validates against: 2025-01 plus the 2026 additions."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

from graphql import GraphQLSchema, build_client_schema, extend_schema, parse

# Shopify's real 2025-01 introspection result, from Shopify/dev-mcp v1.1.0
# (data/admin_schema_2025-01.json.gz); see docs/emulators-shopify.md.
SCHEMA_PATH = Path(__file__).parent / "schema" / "admin_2025-01.json.gz"

# 2026 additions the app uses, declared as Shopify documents them:
# - @idempotent(key:) on mutations (optional from 2026-01, mandatory from 2026-04):
#   https://shopify.dev/changelog/adding-idempotency-for-inventory-adjustments-and-refund-mutations
# - InventoryQuantityInput.changeFromQuantity (2026-01) and its stale error code:
#   https://shopify.dev/changelog/compare-and-swap-redesign-for-inventory-set-quantities
#   https://shopify.dev/changelog/making-changefromquantity-field-required
EXTENSIONS_SDL = """
directive @idempotent(key: String!) on FIELD

extend input InventoryQuantityInput {
  changeFromQuantity: Int
}

extend enum InventorySetQuantitiesUserErrorCode {
  CHANGE_FROM_QUANTITY_STALE
}
"""


@cache
def admin_schema() -> GraphQLSchema:
    """The extended Admin schema (loaded once per process)."""
    with gzip.open(SCHEMA_PATH, "rt", encoding="utf-8") as fh:
        introspection = json.load(fh)["data"]
    # assume_valid: graphql-core's schema validator rejects Shopify's schema (a deprecated
    # implementation field vs a non-deprecated interface field); the schema itself is fine.
    schema = build_client_schema(introspection, assume_valid=True)
    return extend_schema(schema, parse(EXTENSIONS_SDL), assume_valid=True)
