"""Global ids ("gid://shopify/Order/123") and opaque pagination cursors."""

from __future__ import annotations

import base64
import json
from typing import Any

from graphql import GraphQLError

GID_PREFIX = "gid://shopify/"


def gid(kind: str, number: int) -> str:
    """The global id of a resource, e.g. gid("Order", 5) → "gid://shopify/Order/5"."""
    return f"{GID_PREFIX}{kind}/{number}"


def parse_gid(value: str, kind: str | None = None) -> int | None:
    """The numeric id inside a gid (None when it is not a gid of `kind`)."""
    if not isinstance(value, str) or not value.startswith(GID_PREFIX):
        return None
    parts = value[len(GID_PREFIX) :].split("?")[0].split("/")
    if len(parts) != 2 or (kind is not None and parts[0] != kind) or not parts[1].isdigit():
        return None
    return int(parts[1])


def gid_kind(value: str) -> str | None:
    """The resource kind of a gid ("Order"), or None."""
    if not isinstance(value, str) or not value.startswith(GID_PREFIX):
        return None
    return value[len(GID_PREFIX) :].split("/")[0]


def require_gid(value: str, kind: str) -> int:
    """The numeric id of a gid of `kind`, or a GraphQL error as Shopify reports a bad id."""
    number = parse_gid(value, kind)
    if number is None:
        raise GraphQLError(
            f"Invalid global id '{value}'", extensions={"code": "argumentLiteralsIncompatible"}
        )
    return number


def encode_cursor(data: dict[str, Any]) -> str:
    """An opaque cursor."""
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str) -> dict[str, Any]:
    """The data inside a cursor; a GraphQL error when it is not one of ours."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError) as exc:
        raise GraphQLError("Invalid cursor for current pagination sort.") from exc
    if not isinstance(data, dict):
        raise GraphQLError("Invalid cursor for current pagination sort.")
    return data
