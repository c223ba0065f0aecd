"""The Admin GraphQL schema the emulator validates against: 2025-01 plus the 2026 additions."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLSchema,
    build_client_schema,
    extend_schema,
    parse,
)

# Shopify's real 2025-01 introspection result, from Shopify/dev-mcp v1.1.0
# (data/admin_schema_2025-01.json.gz); see docs/emulators-shopify.md.
SCHEMA_PATH = Path(__file__).parent / "schema" / "admin_2025-01.json.gz"

# 2026 additions the app uses, declared as Shopify documents them:
# - @idempotent(key:) on mutations (optional from 2026-01, mandatory from 2026-04):
#   https://shopify.dev/changelog/adding-idempotency-for-inventory-adjustments-and-refund-mutations
# - InventoryQuantityInput.changeFromQuantity (2026-01) and its stale error code:
#   https://shopify.dev/changelog/compare-and-swap-redesign-for-inventory-set-quantities
#   https://shopify.dev/changelog/making-changefromquantity-field-required
# - IDEMPOTENCY_KEY_PARAMETER_MISMATCH, one key sent again with other parameters, and (2026-10)
#   IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED, one key sent again after its first attempt failed:
#   https://shopify.dev/docs/api/admin-graphql/2026-10/enums/InventorySetQuantitiesUserErrorCode
EXTENSIONS_SDL = """
directive @idempotent(key: String!) on FIELD

extend input InventoryQuantityInput {
  changeFromQuantity: Int
}

extend enum InventorySetQuantitiesUserErrorCode {
  CHANGE_FROM_QUANTITY_STALE
  IDEMPOTENCY_KEY_PARAMETER_MISMATCH
  IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED
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
    schema = extend_schema(schema, parse(EXTENSIONS_SDL), assume_valid=True)
    _add_group_objects(schema)
    return schema


def _add_group_objects(schema: GraphQLSchema) -> None:
    """bulkOperationRunQuery(groupObjects:): from 2025-07 (default true; false from 2026-01).

    SDL cannot add an argument to an existing field. Shopify declares it `Boolean!` with a
    per-version default; here it is a nullable Boolean and the default follows the request's
    version (emulators/shopify/resolvers/bulk_operations.py); versions before 2025-07 refuse it
    (emulators/shopify/versions.py).
    ref: https://shopify.dev/changelog/bulk-operations-group-objects-default-changed-to-false,
    https://shopify.dev/docs/api/admin-graphql/2025-10/mutations/bulkOperationRunQuery,
    https://shopify.dev/docs/api/admin-graphql/2026-01/payloads/BulkOperationRunQueryPayload
    """
    mutation = schema.mutation_type
    if mutation is not None and "bulkOperationRunQuery" in mutation.fields:
        mutation.fields["bulkOperationRunQuery"].args["groupObjects"] = GraphQLArgument(
            GraphQLBoolean, description="Place child objects directly below their parent."
        )
