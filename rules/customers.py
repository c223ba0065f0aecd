"""The QBO customer of an order: candidate display name per customer mode, and QBO's name rules.

QBO DisplayName: unique across Customer, Vendor and Employee (fault 6240 "Duplicate Name Exists
Error"), no ':' (it separates sub-customers in FullyQualifiedName), at most 100 characters in the
QBO UI (the API reference now says 500; 100 is safe for both).
ref: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rules.orders import ShopifyOrder
    from rules.settings import SalesOptions

DISPLAY_NAME_MAX = 100
NAME_PART_MAX = 100  # GivenName / FamilyName / CompanyName (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class CustomerSpec:
    """The QBO customer to find (by email, then by a name no other email holds) or create."""

    display_name: str
    email: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    company_name: str | None = None
    shopify_customer_id: str | None = None
    generic: bool = False
    # The customer's QBO currency when it is not the home currency (multi-currency companies):
    # QBO refuses a document whose customer is in another currency, and a customer's currency
    # never changes, so a buyer paying in EUR gets a customer of their own, 'Ada Lovelace (EUR)'.
    currency: str | None = None


def clean_display_name(name: str, limit: int = DISPLAY_NAME_MAX) -> str:
    """A name QBO accepts: ':' becomes ' - ', whitespace collapsed and trimmed, at most `limit`."""
    text = _SPACES.sub(" ", name.replace(":", " - ")).strip()
    return text[:limit].rstrip()


def deduplicated_name(name: str, attempt: int, shopify_customer_id: str | None = None) -> str:
    """The display name to try after `attempt - 1` collisions (6240): 'Jane Doe (2)', ….

    With a Shopify customer id the suffix is that id ('Jane Doe (Shopify 1234)'), which stays the
    same for the same customer on every run; the counter is the fallback.
    """
    base = clean_display_name(name)
    if attempt <= 1:
        return base
    if shopify_customer_id and attempt == 2:
        suffix = f" (Shopify {shopify_customer_id.rsplit('/', 1)[-1]})"
    else:
        suffix = f" ({attempt - 1 if shopify_customer_id else attempt})"
    return clean_display_name(base[: DISPLAY_NAME_MAX - len(suffix)].rstrip() + suffix)


def _person(order: ShopifyOrder) -> tuple[str | None, str | None]:
    """First and last name from the customer, else the billing address."""
    c, b = order.customer, order.billing_address
    first = (c.first_name if c else None) or (b.first_name if b else None)
    last = (c.last_name if c else None) or (b.last_name if b else None)
    return first, last


def order_email(order: ShopifyOrder) -> str | None:
    """The buyer's email: the Shopify customer's, else the order's own (guest checkouts)."""
    email = (order.customer.email if order.customer else None) or order.email
    return (email.strip() or None) if email else None


def same_person(spec: CustomerSpec, qbo_email: str | None) -> bool:
    """Whether a QBO customer of the spec's display name may be taken for it: one without an
    email, or with the spec's; a different email is a different person of the same name."""
    if not spec.email or not qbo_email or not qbo_email.strip():
        return True
    return qbo_email.strip().casefold() == spec.email.casefold()


def _person_name(order: ShopifyOrder) -> str:
    """'First Last', else the email, else 'Shopify customer <customer id>', else a name made
    from the order."""
    first, last = _person(order)
    full = " ".join(p.strip() for p in (first, last) if p and p.strip())
    if full or order_email(order):
        return full or str(order_email(order))
    if order.customer:  # names and emails redacted: one customer per Shopify customer
        return f"Shopify customer {order.customer.id.rsplit('/', 1)[-1]}"
    return f"Shopify customer {order.name}"


def in_currency(name: str, currency: str | None) -> str:
    """The display name of a customer kept in a foreign currency: 'Ada Lovelace (EUR)'."""
    if currency is None:
        return clean_display_name(name)
    suffix = f" ({currency})"
    return clean_display_name(clean_display_name(name)[: DISPLAY_NAME_MAX - len(suffix)] + suffix)


def customer_for_order(
    order: ShopifyOrder, options: SalesOptions, currency: str | None = None
) -> CustomerSpec:
    """The candidate QBO customer for the order under the merchant's customer mode; with a
    foreign `currency` (the document's, on a multi-currency company) one kept in it."""
    spec = _candidate(order, options)
    if currency is None:
        return spec
    return replace(spec, display_name=in_currency(spec.display_name, currency), currency=currency)


def _candidate(order: ShopifyOrder, options: SalesOptions) -> CustomerSpec:
    """The customer in the home currency."""
    # Without protected customer data, an order with no Shopify customer names nobody: the
    # generic customer. ref: https://shopify.dev/docs/apps/launch/protected-customer-data
    unknown = options.customer_data is not None and order.customer is None
    if options.customer_mode == "generic" or unknown:
        name = clean_display_name(options.generic_customer_name or "Shopify Sales")
        return CustomerSpec(display_name=name, generic=True)
    first, last = _person(order)
    email = order_email(order)
    company = order.billing_address.company if order.billing_address else None
    company = clean_display_name(company, NAME_PART_MAX) if company else None
    use_company = options.customer_mode == "company" and company
    return CustomerSpec(
        display_name=clean_display_name(
            company if use_company and company else _person_name(order)
        ),
        email=None if use_company else email,
        given_name=None if use_company or not first else first.strip()[:NAME_PART_MAX],
        family_name=None if use_company or not last else last.strip()[:NAME_PART_MAX],
        company_name=company,
        shopify_customer_id=None if use_company or not order.customer else order.customer.id,
    )


def customer_payload(spec: CustomerSpec, attempt: int) -> dict:
    """QBO Customer JSON for a spec (its display name de-duplicated after collisions)."""
    out: dict = {
        "DisplayName": deduplicated_name(spec.display_name, attempt, spec.shopify_customer_id)
    }
    for field, value in (
        ("GivenName", spec.given_name),
        ("FamilyName", spec.family_name),
        ("CompanyName", spec.company_name),
    ):
        if value:
            out[field] = value
    if spec.email:
        out["PrimaryEmailAddr"] = {"Address": spec.email[:100]}
    if spec.currency:
        out["CurrencyRef"] = {"value": spec.currency}
    return out
