"""Helpers shared by mutation resolvers: idempotency keys, input money, user errors."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from graphql import GraphQLResolveInfo, value_from_ast_untyped

from emulators.shopify.versions import PREVIOUS_ATTEMPT_FAILED_SINCE, at_least


def idempotency_key(info: GraphQLResolveInfo) -> str | None:
    """The key of an @idempotent(key:) directive on the current root field, if any."""
    for directive in info.field_nodes[0].directives or ():
        if directive.name.value == "idempotent":
            for arg in directive.arguments:
                if arg.name.value == "key":
                    # graphql-core 3.3 wraps the values: VariableValues.coerced
                    values = getattr(info.variable_values, "coerced", info.variable_values)
                    return str(value_from_ast_untyped(arg.value, values))
    return None


def idempotent(resolver: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Same @idempotent key on the same shop and mutation → the first result, not re-run; the
    same key with other arguments → IDEMPOTENCY_KEY_PARAMETER_MISMATCH, nothing applied; from
    2026-10 the same key after a first attempt that failed → IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED
    ("Retry with a new idempotency key").

    ref: https://shopify.dev/changelog/adding-idempotency-for-inventory-adjustments-and-refund-mutations
    ref: https://shopify.dev/docs/api/usage/implementing-idempotency
    ref: https://shopify.dev/docs/api/admin-graphql/2026-10/enums/InventorySetQuantitiesUserErrorCode
    """

    @functools.wraps(resolver)
    def wrapper(info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
        """Replay a cached result for a known key, else run and remember it."""
        key = idempotency_key(info)
        if key is None:
            return resolver(info, **args)
        cache = info.context.shop.idempotency
        cache_key = (info.field_name, key)
        fingerprint = json.dumps(args, sort_keys=True, default=str)
        if cache_key not in cache:
            cache[cache_key] = (fingerprint, resolver(info, **args))
            return cache[cache_key][1]
        sent, result = cache[cache_key]
        if sent != fingerprint:
            return {"userErrors": [user_error(None, MISMATCH_MESSAGE, MISMATCH)]}
        failed = bool(result.get("userErrors"))
        if failed and at_least(info.context.api_version, PREVIOUS_ATTEMPT_FAILED_SINCE):
            return {"userErrors": [user_error(None, FAILED_MESSAGE, PREVIOUS_ATTEMPT_FAILED)]}
        return result

    return wrapper


MISMATCH = "IDEMPOTENCY_KEY_PARAMETER_MISMATCH"
MISMATCH_MESSAGE = "The same idempotency key cannot be used with different operation parameters."
PREVIOUS_ATTEMPT_FAILED = "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED"
FAILED_MESSAGE = (
    "A previous request with this idempotency key failed. Retry with a new idempotency key."
)


def decimal(value: Any) -> Decimal:
    """A Decimal from a GraphQL Decimal/Money input (string, int or float)."""
    return Decimal(str(value))


def user_error(field: list[Any] | None, message: str, code: str | None = None) -> dict[str, Any]:
    """One userErrors entry."""
    return {"field": [str(f) for f in field] if field else None, "message": message, "code": code}
