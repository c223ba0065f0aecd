"""Protected customer data: the order documents for what Shopify approved the app to read.

Level 1 gives customer objects (`Order.customer`: its id), level 2 the protected fields (name,
email, phone, address). A field the app is not approved for is refused (ACCESS_DENIED naming the
requirement) or redacted; the app learns its level from such a refusal, keeps it on the shop and
reads again without what it may not select. Below level 2 an order has no name, email or address
(invoices go on a customer named by the Shopify customer id); at level 0 not even a customer.
ref: https://shopify.dev/docs/apps/launch/protected-customer-data
"""

from __future__ import annotations

from typing import Any

from clients.errors import DataError

FULL = 2  # names, emails and addresses
# Lines of clients.shopify_queries.ORDER_FIELDS (and its bulk form) that need each level.
LEVEL_2_LINES = (
    "  email\n",
    "  billingAddress { company firstName lastName countryCodeV2 provinceCode }\n",
    "  shippingAddress { countryCodeV2 provinceCode }\n",
)
CUSTOMER_LINE = "  customer { id email firstName lastName displayName }\n"
MARKER = "fragment OrderFields on Order"
# Fields whose refusal means level 1 (customer objects) is missing.
CUSTOMER_OBJECTS = {"customer", "customers", "customersCount"}


class ProtectedDataDenied(DataError):
    """Shopify refused protected customer data: `level` is the most the app may read."""

    def __init__(self, reason: str, level: int) -> None:
        super().__init__(reason, code="ACCESS_DENIED")
        self.level = level


def order_document(text: str, level: int | None) -> str:
    """An order document (one holding OrderFields) without what `level` does not cover."""
    if level is None or level >= FULL or MARKER not in text:
        return text
    for line in LEVEL_2_LINES:
        text = text.replace(line, "")
    return text.replace(CUSTOMER_LINE, "  customer { id }\n" if level == 1 else "")


def for_level(
    query: str, variables: dict[str, Any] | None, level: int | None
) -> tuple[str, dict[str, Any] | None]:
    """The query and variables (a bulk operation's query is a variable) for `level`."""
    if not variables:
        return order_document(query, level), variables
    fixed = {k: order_document(v, level) if isinstance(v, str) else v for k, v in variables.items()}
    return order_document(query, level), fixed


def _protected(error: dict[str, Any]) -> bool:
    """Whether an error is Shopify refusing protected customer data (not a missing scope)."""
    ext = error.get("extensions") or {}
    text = f"{error.get('message')} {ext.get('documentation')} {ext.get('requiredAccess')}"
    return ext.get("code") == "ACCESS_DENIED" and "protected" in text.lower().replace("-", " ")


def denied_level(errors: list[dict[str, Any]]) -> int | None:
    """The level the errors allow when every one refuses protected customer data, else None."""
    if not errors or not all(_protected(e) for e in errors):
        return None
    fields = {str((e.get("path") or [""])[-1]) for e in errors}
    return 0 if fields & CUSTOMER_OBJECTS else 1


def missing_approval(level: int | None) -> str | None:
    """What the merchant is told when Shopify has not approved the app for everything."""
    if level is None or level >= FULL:
        return None
    if level == 1:
        return (
            "Shopify has not approved Ledgerbridge for customer names and emails (protected "
            "customer data level 2): invoices use the customer's Shopify id instead."
        )
    return (
        "Shopify has not approved Ledgerbridge for customer data (protected customer data "
        "level 1): orders are posted to the generic customer."
    )
