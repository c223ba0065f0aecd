"""Shopify-shaped error bodies: invalid token, throttling, invalid documents."""

from __future__ import annotations

import re
from typing import Any

from graphql import GraphQLError

# Body Shopify sends with HTTP 401 for a missing, unknown or revoked access token.
INVALID_TOKEN = {
    "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
}

# ref: https://community.shopify.com/t/throttled/254776 : THROTTLED error, HTTP 200.
THROTTLED_ERROR = {
    "message": "Throttled",
    "extensions": {
        "code": "THROTTLED",
        "documentation": "https://shopify.dev/api/usage/rate-limits",
    },
}

_DEFAULT_CODE = "GRAPHQL_VALIDATION_FAILED"

# graphql-core's validation messages rewritten the way Shopify (graphql-ruby) words them.
_REWRITES: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(r"Cannot query field '(\w+)' on type '(\w+)'"),
        "Field '{0}' doesn't exist on type '{1}'",
        "undefinedField",
    ),
    (
        re.compile(r"Unknown argument '(\w+)' on field '\w+\.(\w+)'"),
        "Field '{1}' doesn't accept argument '{0}'",
        "argumentNotAccepted",
    ),
    (
        re.compile(r"Argument '\w+\.(\w+)\((\w+):\)' of type '.*' is required"),
        "Field '{0}' is missing required arguments: {1}",
        "missingRequiredArguments",
    ),
    (
        re.compile(r"Field '(\w+)' of type '([\w\[\]!]+)' must have a selection of subfields"),
        "Field must have selections (field '{0}' returns {1} but has no selections. "
        "Did you mean '{0} {{ ... }}'?)",
        "selectionMismatch",
    ),
]


def error_json(error: GraphQLError, code: str | None = None) -> dict[str, Any]:
    """A GraphQL error as Shopify formats it (message, locations, path, extensions.code)."""
    body = error.formatted
    message, rewritten_code = _rewrite(error.message)
    body["message"] = message
    extensions = dict(body.get("extensions") or {})
    extensions.setdefault(
        "code", rewritten_code if rewritten_code != _DEFAULT_CODE else code or _DEFAULT_CODE
    )
    body["extensions"] = extensions
    return body


def _rewrite(message: str) -> tuple[str, str]:
    """Shopify's wording and code for a graphql-core validation message."""
    for pattern, template, code in _REWRITES:
        match = pattern.search(message)
        if match:
            return template.format(*match.groups()), code
    return message.rstrip("."), _DEFAULT_CODE


def user_error(field: list[str] | None, message: str, code: str | None = None) -> dict[str, Any]:
    """One entry of a mutation payload's userErrors list."""
    return {"field": field, "message": message, "code": code}
