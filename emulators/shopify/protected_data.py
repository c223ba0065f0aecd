"""Protected customer data: what an app must be approved for before the Admin API answers it.

Level 1 is access to customer objects (`Order.customer`, `customers`); level 2 adds the protected
customer fields, approved one by one: name, email, phone and address. An unapproved app "might
need to update your app to handle errors or redacted data"; the emulator takes the stricter
reading: a field the app is not approved for is refused with ACCESS_DENIED naming the
requirement (null in `data`, like a missing access scope), and a bulk query selecting one fails.
ref: https://shopify.dev/docs/apps/launch/protected-customer-data
ref: https://shopify.dev/changelog/apps-can-now-request-access-to-necessary-protected-data
Store owners' (admin) tokens hold every approval; apps' tokens carry their app's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLResolveInfo, GraphQLSchema

from emulators.shopify.scopes import collect

DOCS = "https://shopify.dev/docs/apps/launch/protected-customer-data"
CUSTOMER = "customer"  # level 1: customer objects
FIELDS = ("name", "email", "phone", "address")  # level 2: protected customer fields
FULL = frozenset((CUSTOMER, *FIELDS))

# (parent type, field) → the approval it needs.
# ref: https://shopify.dev/docs/apps/launch/protected-customer-data#protected-customer-data-api-types-and-resources
PROTECTED: dict[tuple[str, str], str] = {
    ("QueryRoot", "customer"): CUSTOMER,
    ("QueryRoot", "customers"): CUSTOMER,
    ("QueryRoot", "customersCount"): CUSTOMER,
    ("Order", "customer"): CUSTOMER,
    ("Customer", "firstName"): "name",
    ("Customer", "lastName"): "name",
    ("Customer", "displayName"): "name",
    ("Customer", "email"): "email",
    ("Customer", "phone"): "phone",
    ("Customer", "defaultAddress"): "address",
    ("Customer", "addresses"): "address",
    ("Customer", "addressesV2"): "address",
    ("Order", "email"): "email",
    ("Order", "phone"): "phone",
    ("Order", "billingAddress"): "address",
    ("Order", "shippingAddress"): "address",
    ("MailingAddress", "firstName"): "name",
    ("MailingAddress", "lastName"): "name",
    ("MailingAddress", "name"): "name",
    ("MailingAddress", "phone"): "phone",
}


def approvals(level: int, fields: list[str] | None = None) -> frozenset[str]:
    """What an app approved at `level` (0, 1 or 2) may read; level 2 with `fields` (default all)."""
    if level not in (0, 1, 2):
        raise ValueError("protected_customer_data must be 0, 1 or 2")
    if fields is not None and not isinstance(fields, list | tuple):
        raise ValueError("protected_customer_fields must be a list")
    if fields is not None and level != 2:
        raise ValueError("protected_customer_fields are level 2 approvals: give level 2")
    if level == 0:
        return frozenset()
    if level == 1:
        return frozenset({CUSTOMER})
    chosen = FIELDS if fields is None else tuple(fields)
    unknown = set(chosen) - set(FIELDS)
    if unknown:
        raise ValueError(f"protected_customer_fields must be among {list(FIELDS)}")
    return frozenset({CUSTOMER, *chosen})


def requirement(need: str) -> str:
    """The requirement as Shopify's reference pages word it."""
    if need == CUSTOMER:
        return "Level 1 access to protected customer data."
    return f"Level 2 access to protected customer data including the {need} field."


def denied(type_name: str, field: str, need: str) -> GraphQLError:
    """ACCESS_DENIED for a field the app is not approved for, naming the requirement."""
    return GraphQLError(
        f"This app is not approved to access the {type_name}.{field} field. "
        f"See {DOCS} for more details.",
        extensions={
            "code": "ACCESS_DENIED",
            "documentation": DOCS,
            "requiredAccess": requirement(need),
        },
    )


def enforcing(approved: frozenset[str]) -> Callable[..., Any]:
    """graphql-core middleware refusing the protected fields `approved` does not cover."""

    def middleware(next_: Callable[..., Any], root: Any, info: GraphQLResolveInfo, **args: Any):
        need = PROTECTED.get((info.parent_type.name, info.field_name))
        if need and need not in approved:
            raise denied(info.parent_type.name, info.field_name, need)
        return next_(root, info, **args)

    return middleware


def document_needs(schema: GraphQLSchema, document: DocumentNode) -> set[str]:
    """Every approval the fields selected anywhere in `document` need (for bulk queries)."""
    return collect(schema, document, lambda parent, field: PROTECTED.get((parent, field)))
