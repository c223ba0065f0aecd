"""The settings document: one table of fields per workflow, each with its parser and checks.

Every merchant option is listed here once; the API reads and writes exactly these, and every
validation error names the field (`sales.order_number_prefix`) in plain language. Parsers check
the JSON type first, so no value reaches the database it cannot store.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from models import (
    SYNCABLE_FINANCIAL_STATUSES,
    CustomerMode,
    DocumentType,
    ItemType,
    SkuMatchField,
)

# QBO DocNumber holds 21 characters (Finance.xsd); keep 8 for the order number (up to 99,999,999).
DOC_NUMBER_LENGTH = 21
ORDER_NUMBER_DIGITS = 8
MAX_PREFIX = DOC_NUMBER_LENGTH - ORDER_NUMBER_DIGITS
# QuickBooks ids are strings of digits; the columns hold 32 characters.
QBO_ID_LENGTH = 32
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SHOPIFY_GID = re.compile(r"gid://shopify/[A-Za-z]+/[0-9]+")


class FieldError(ValueError):
    """A value the field cannot take; the message is shown to the merchant."""


def boolean(value: Any) -> bool:
    """true / false only."""
    if not isinstance(value, bool):
        raise FieldError("must be true or false")
    return value


def qbo_id(value: Any) -> str | None:
    """A QuickBooks id (a string of digits, or a whole number), or null for none."""
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise FieldError("must be a QuickBooks id (digits) or null")
    text = str(value)
    if not (text.isascii() and text.isdigit()) or len(text) > QBO_ID_LENGTH:
        raise FieldError(f"must be a QuickBooks id (up to {QBO_ID_LENGTH} digits) or null")
    return text


def text_value(value: Any, max_length: int) -> str:
    """A string of at most `max_length` printable characters the database can store."""
    if not isinstance(value, str):
        raise FieldError("must be text")
    if len(value) > max_length:
        raise FieldError(f"is {len(value)} characters; use at most {max_length}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise FieldError("contains characters that are not valid Unicode") from exc
    if _CONTROL.search(value):
        raise FieldError("must not contain control characters")
    return value


def shopify_gid(value: Any) -> str | None:
    """A Shopify global id such as gid://shopify/Location/1, or null."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 64 or not _SHOPIFY_GID.fullmatch(value):
        raise FieldError("must be a Shopify id like gid://shopify/Location/123")
    return value


def choice(kind: type[enum.Enum]) -> Callable[[Any], str]:
    """One of an enum's values."""
    allowed = [member.value for member in kind]

    def parse(value: Any) -> str:
        if value not in allowed:
            raise FieldError(f"must be one of {', '.join(allowed)}")
        return value

    return parse


def iso_date(value: Any) -> date | None:
    """YYYY-MM-DD, or null."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise FieldError("must be a date like 2026-01-31")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise FieldError("must be a date like 2026-01-31") from exc


def statuses(value: Any) -> list[str]:
    """A non-empty list of Shopify financial statuses."""
    if not isinstance(value, list) or not value:
        raise FieldError("choose at least one financial status")
    unknown = [v for v in value if v not in SYNCABLE_FINANCIAL_STATUSES]
    if unknown:
        raise FieldError(
            f"unknown status {unknown[0]!r}; choose from {', '.join(SYNCABLE_FINANCIAL_STATUSES)}"
        )
    return sorted(set(value), key=SYNCABLE_FINANCIAL_STATUSES.index)


def prefix(value: Any) -> str:
    """The DocNumber prefix; prefix + order number must fit QBO's 21 characters."""
    text = "" if value is None else text_value(value, DOC_NUMBER_LENGTH)
    if len(text) > MAX_PREFIX:
        raise FieldError(
            f"is {len(text)} characters; QuickBooks document numbers hold {DOC_NUMBER_LENGTH} "
            f"and {ORDER_NUMBER_DIGITS} are kept for the order number, so use at most "
            f"{MAX_PREFIX} (e.g. SH-)"
        )
    return text


def display_name(value: Any) -> str:
    """A QBO customer display name: 1–100 characters, no colon."""
    text = text_value(value, 100).strip() if isinstance(value, str) else ""
    if not text or ":" in text:
        raise FieldError("must be 1–100 characters without ':' (QuickBooks display-name rules)")
    return text


def share(value: Any) -> Decimal:
    """A fraction between 0 and 1, e.g. 0.1 for 10 %."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError("must be a number between 0 and 1")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise FieldError("must be a number between 0 and 1") from exc
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(1):
        raise FieldError("must be between 0 and 1 (0.1 = 10 %)")
    return number.quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class Section:
    """One workflow's settings: its model attribute on Shop and its fields."""

    name: str
    model_attr: str
    fields: dict[str, Callable[[Any], Any]]


SECTIONS = (
    Section(
        "sales",
        "sales_settings",
        {
            "enabled": boolean,
            "financial_statuses": statuses,
            "document_type": choice(DocumentType),
            "order_number_prefix": prefix,
            "auto_doc_number": boolean,
            "customer_mode": choice(CustomerMode),
            "generic_customer_name": display_name,
            "qbo_shipping_item_id": qbo_id,
            "qbo_discount_item_id": qbo_id,
            "qbo_default_item_id": qbo_id,
            "qbo_tip_item_id": qbo_id,
            "qbo_duty_item_id": qbo_id,
            "qbo_gift_card_item_id": qbo_id,
            "qbo_rounding_item_id": qbo_id,
            "qbo_class_id": qbo_id,
            "qbo_department_id": qbo_id,
            "qbo_untaxed_tax_code_id": qbo_id,
            "sku_match_field": choice(SkuMatchField),
            "create_items": boolean,
            "item_type": choice(ItemType),
            "qbo_income_account_id": qbo_id,
            "qbo_expense_account_id": qbo_id,
            "qbo_cogs_account_id": qbo_id,
            "qbo_asset_account_id": qbo_id,
            "inventory_start_date": iso_date,
            "record_payments": boolean,
            "date_after_book_close": boolean,
            "qbo_clearing_account_id": qbo_id,
            "qbo_payment_method_id": qbo_id,
        },
    ),
    Section(
        "products",
        "product_settings",
        {
            "enabled": boolean,
            "update_existing_items": boolean,
        },
    ),
    Section(
        "inventory",
        "inventory_settings",
        {
            "enabled": boolean,
            "shopify_location_id": shopify_gid,
            "max_zero_share": share,
            "opening_stock_confirmed": boolean,
        },
    ),
    Section(
        "sync",
        "sync_settings",
        {
            "integration_start_date": iso_date,
            "hourly_sync_enabled": boolean,
            "webhook_sync_enabled": boolean,
        },
    ),
)


def serialise(value: Any) -> Any:
    """JSON form of a stored value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
