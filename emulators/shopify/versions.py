"""Admin API versions the emulator serves, and the post-2025-01 changes it models by version.

The schema file is 2025-01 (emulators/shopify/schema.py); later versions differ from it only
where a rule below says so. Each rule cites the changelog entry it follows.
"""

from __future__ import annotations

import re
from typing import Any

from graphql import FieldNode, OperationDefinitionNode, VariableNode, value_from_ast_untyped

# Stable versions served (2025-01 is the schema file's own) and the unstable one.
# ref: https://shopify.dev/docs/api/usage/versioning
STABLE = ("2025-01", "2025-04", "2025-07", "2025-10", "2026-01", "2026-04", "2026-07", "2026-10")
UNSTABLE = "unstable"
_RELEASE_RE = re.compile(r"^\d{4}-(01|04|07|10)$")

# bulkOperationRunQuery(groupObjects:) is accepted from 2025-07:
# ref: https://shopify.dev/changelog/bulk-operations-group-objects-default-changed-to-false
GROUP_OBJECTS_SINCE = "2025-07"
# @idempotent is mandatory on these mutations from 2026-04:
# ref: https://shopify.dev/changelog/making-idempotency-mandatory-for-inventory-adjustments-and-refund-mutations
# (the modelled ones of its list; the emulator serves neither shipments nor moves)
IDEMPOTENT_REQUIRED_SINCE = "2026-04"
IDEMPOTENT_MUTATIONS = (
    "inventorySetQuantities",
    "inventoryAdjustQuantities",
    "inventoryMoveQuantities",
    "inventorySetOnHandQuantities",
    "refundCreate",
)
# compareQuantity / ignoreCompareQuantity are removed and changeFromQuantity is required:
# ref: https://shopify.dev/changelog/finalizing-compare-and-swap-redesign-for-inventory-set-quantities
# ref: https://shopify.dev/changelog/making-changefromquantity-field-required
CHANGE_FROM_REQUIRED_SINCE = "2026-04"
# A key sent again after its first attempt failed is refused (not replayed) from 2026-10:
# ref: https://shopify.dev/docs/api/admin-graphql/2026-10/enums/InventorySetQuantitiesUserErrorCode
PREVIOUS_ATTEMPT_FAILED_SINCE = "2026-10"
# ITEM_NOT_STOCKED_AT_LOCATION is gone: quantities can be set at any location.
# ref: https://shopify.dev/changelog/removal-of-itemnotstockedatlocation-error
STOCKED_ANYWHERE_SINCE = "2026-10"


def served_version(requested: str) -> str | None:
    """The version that answers: the one asked for, the oldest served for an older release
    (Shopify falls forward and says so in X-Shopify-API-Version), None for no such release."""
    if requested == UNSTABLE or requested in STABLE:
        return requested
    if _RELEASE_RE.match(requested) and requested < STABLE[0]:
        return STABLE[0]
    return None


def at_least(version: str, since: str) -> bool:
    """True when `version` is `since` or newer (unstable is newest)."""
    return version == UNSTABLE or version >= since


def document_errors(
    version: str, op: OperationDefinitionNode, variables: dict[str, Any]
) -> list[dict[str, Any]]:
    """Validation errors the version adds to (or lifts from) the 2025-01 schema."""
    errors: list[dict[str, Any]] = []
    if op.operation.value != "mutation":
        return errors
    for node in op.selection_set.selections:
        if isinstance(node, FieldNode):
            errors.extend(_field_errors(version, node, variables))
    return errors


def _field_errors(version: str, node: FieldNode, variables: dict[str, Any]) -> list[dict[str, Any]]:
    """The version errors of one root mutation field."""
    name = node.name.value
    args = {a.name.value: a for a in node.arguments or ()}
    errors = []
    if name == "bulkOperationRunQuery" and "groupObjects" in args:
        if not at_least(version, GROUP_OBJECTS_SINCE):
            errors.append(_not_accepted(node, "Field", name, "groupObjects"))
    if name in IDEMPOTENT_MUTATIONS and at_least(version, IDEMPOTENT_REQUIRED_SINCE):
        if not any(d.name.value == "idempotent" for d in node.directives or ()):
            errors.append(_missing_idempotent(node))
    if name == "inventorySetQuantities" and "input" in args:
        if at_least(version, CHANGE_FROM_REQUIRED_SINCE):
            errors.extend(_removed_compare_fields(node, args["input"], variables))
    return errors


def _removed_compare_fields(node: FieldNode, arg: Any, variables: dict[str, Any]) -> list:
    """compareQuantity / ignoreCompareQuantity given to a 2026-04+ inventorySetQuantities."""
    value = value_from_ast_untyped(arg.value, variables)
    if not isinstance(value, dict):
        return []
    removed = []
    if "ignoreCompareQuantity" in value:
        removed.append(("InventorySetQuantitiesInput", "ignoreCompareQuantity"))
    for i, q in enumerate(value.get("quantities") or []):
        if isinstance(q, dict) and "compareQuantity" in q:
            removed.append(("InventoryQuantityInput", f"quantities.{i}.compareQuantity"))
    if isinstance(arg.value, VariableNode):
        var = arg.value.name.value
        return [_undefined_variable_field(var, t, path) for t, path in removed]
    return [_not_accepted(node, "InputObject", t, p.rsplit(".", 1)[-1]) for t, p in removed]


def _not_accepted(node: FieldNode, type_name: str, name: str, argument: str) -> dict[str, Any]:
    """Shopify's (graphql-ruby's) error for an argument the version does not have."""
    loc = node.loc.source.get_location(node.loc.start) if node.loc and node.loc.source else None
    return {
        "message": f"{type_name} '{name}' doesn't accept argument '{argument}'",
        "locations": [{"line": loc.line, "column": loc.column}] if loc else [],
        "extensions": {
            "code": "argumentNotAccepted",
            "name": name,
            "typeName": type_name,
            "argumentName": argument,
        },
    }


def _undefined_variable_field(var: str, type_name: str, path: str) -> dict[str, Any]:
    """Shopify's INVALID_VARIABLE error for an input field the version does not have."""
    return {
        "message": f"Variable ${var} of type {type_name.split('.')[0]}! was provided invalid "
        f"value for {path} (Field is not defined on {type_name})",
        "extensions": {
            "code": "INVALID_VARIABLE",
            "value": None,
            "problems": [
                {"path": path.split("."), "explanation": f"Field is not defined on {type_name}"}
            ],
        },
    }


def _missing_idempotent(node: FieldNode) -> dict[str, Any]:
    """The error for a 2026-04+ inventory mutation without @idempotent (wording unverified)."""
    return {
        "message": f"The @idempotent directive is required for {node.name.value}.",
        "path": [node.alias.value if node.alias else node.name.value],
        "extensions": {"code": "BAD_REQUEST"},
    }
