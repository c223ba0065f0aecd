"""Every merchant setting, declared once: type, default, allowed values, label and help text, the
lookup that fills its picker, and the workflow and step it belongs to.

One pydantic model per section of the settings document (sales, products, inventory, sync). From
these models come the database columns' defaults (models/settings.py), the validation of
`PUT /api/settings` (blueprints/settings_fields.py), the options the pure sales rules receive
(rules/settings.py `SalesOptions.from_settings`) and the description the embedded page renders
(`GET /api/settings/schema`). See docs/settings.md.

This module is pure: it imports pydantic and the standard library only, never Flask, the models or
the clients, so the rules may import it.

Field metadata (`json_schema_extra`):
  step    the step of the section's page the field is shown in (a key of the section's `steps`)
  picker  the /api/lookups/<kind> list the merchant picks an id from (e.g. "accounts?type=Income")
  choice_labels  the merchant's words for each allowed value of a choice
  option  the `rules.settings.SalesOptions` field the value reaches the sales rules as; None when
          the rules never see the setting (the run or another workflow reads it)
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from types import NoneType, UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError, PydanticUndefined

# --- allowed values -----------------------------------------------------------------------------


class DocumentType(enum.StrEnum):
    SALES_RECEIPT = "sales_receipt"
    INVOICE = "invoice"


class CustomerMode(enum.StrEnum):
    ORIGINAL = "original"
    COMPANY = "company"
    GENERIC = "generic"


class SkuMatchField(enum.StrEnum):
    NAME = "name"
    SKU = "sku"


class ItemType(enum.StrEnum):
    NON_INVENTORY = "non_inventory"
    INVENTORY = "inventory"


# Shopify's OrderDisplayFinancialStatus values a merchant may choose to sync.
SYNCABLE_FINANCIAL_STATUSES = (
    "PAID",
    "PENDING",
    "AUTHORIZED",
    "PARTIALLY_PAID",
    "PARTIALLY_REFUNDED",
    "REFUNDED",
)
FinancialStatus = Literal[
    "PAID", "PENDING", "AUTHORIZED", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "REFUNDED"
]

# --- the document-number prefix rule (the only place it is written) -------------------------------

# QBO DocNumber holds 21 characters (Finance.xsd). The prefix leaves room for an 8-digit order
# number (up to 99,999,999): a prefix that fits today must still fit when the store reaches its
# ten-millionth order, rather than fail that day; 13 characters is ample for "SHOP-" or "WEB-".
DOC_NUMBER_LENGTH = 21
ORDER_NUMBER_DIGITS = 8
MAX_PREFIX = DOC_NUMBER_LENGTH - ORDER_NUMBER_DIGITS
# QuickBooks ids are strings of digits; the columns hold 32 characters.
QBO_ID_LENGTH = 32
DISPLAY_NAME_LENGTH = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SHOPIFY_GID = re.compile(r"gid://shopify/[A-Za-z]+/[0-9]+")


class SettingError(ValueError):
    """A value a setting cannot take; the message is shown to the merchant after the field name."""


# --- checks: JSON type first, then the value; each raises SettingError in the merchant's words ---


def check_boolean(value: Any) -> bool:
    """true / false only."""
    if not isinstance(value, bool):
        raise SettingError("must be true or false")
    return value


def check_qbo_id(value: Any) -> str | None:
    """A QuickBooks id (a string of digits, or a whole number), or null for none."""
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise SettingError("must be a QuickBooks id (digits) or null")
    text = str(value)
    if not (text.isascii() and text.isdigit()) or len(text) > QBO_ID_LENGTH:
        raise SettingError(f"must be a QuickBooks id (up to {QBO_ID_LENGTH} digits) or null")
    return text


def check_text(value: Any, max_length: int) -> str:
    """A string of at most `max_length` printable characters the database can store."""
    if not isinstance(value, str):
        raise SettingError("must be text")
    if len(value) > max_length:
        raise SettingError(f"is {len(value)} characters; use at most {max_length}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SettingError("contains characters that are not valid Unicode") from exc
    if _CONTROL.search(value):
        raise SettingError("must not contain control characters")
    return value


def check_prefix(value: Any) -> str:
    """The DocNumber prefix; prefix + order number must fit QBO's 21 characters."""
    text = "" if value is None else check_text(value, DOC_NUMBER_LENGTH)
    if len(text) > MAX_PREFIX:
        raise SettingError(
            f"is {len(text)} characters; QuickBooks document numbers hold {DOC_NUMBER_LENGTH} "
            f"and {ORDER_NUMBER_DIGITS} are kept for the order number, so use at most "
            f"{MAX_PREFIX} (e.g. SH-)"
        )
    return text


def check_display_name(value: Any) -> str:
    """A QBO customer display name: 1–100 characters, no colon."""
    text = check_text(value, DISPLAY_NAME_LENGTH).strip() if isinstance(value, str) else ""
    if not text or ":" in text:
        raise SettingError("must be 1–100 characters without ':' (QuickBooks display-name rules)")
    return text


def check_shopify_gid(value: Any) -> str | None:
    """A Shopify global id such as gid://shopify/Location/1, or null."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 64 or not _SHOPIFY_GID.fullmatch(value):
        raise SettingError("must be a Shopify id like gid://shopify/Location/123")
    return value


def check_choice(kind: type[enum.Enum]) -> Callable[[Any], Any]:
    """One of an enum's values."""
    allowed = [member.value for member in kind]

    def check(value: Any) -> Any:
        if isinstance(value, kind):
            return value
        if not isinstance(value, str) or value not in allowed:
            raise SettingError(f"must be one of {', '.join(allowed)}")
        return value

    return check


def check_date(value: Any) -> date | None:
    """YYYY-MM-DD, or null."""
    if value in (None, "") or isinstance(value, date):
        return value or None
    if not isinstance(value, str):
        raise SettingError("must be a date like 2026-01-31")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise SettingError("must be a date like 2026-01-31") from exc


def check_statuses(value: Any) -> list[str]:
    """A non-empty list of Shopify financial statuses, in the order Shopify lists them."""
    if not isinstance(value, list) or not value:
        raise SettingError("choose at least one financial status")
    unknown = [v for v in value if v not in SYNCABLE_FINANCIAL_STATUSES]
    if unknown:
        raise SettingError(
            f"unknown status {unknown[0]!r}; choose from {', '.join(SYNCABLE_FINANCIAL_STATUSES)}"
        )
    return sorted(set(value), key=SYNCABLE_FINANCIAL_STATUSES.index)


def check_share(value: Any) -> Decimal:
    """A fraction between 0 and 1, e.g. 0.1 for 10 %."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, bool) or not isinstance(value, str | int | float):
        raise SettingError("must be a number between 0 and 1")
    else:
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise SettingError("must be a number between 0 and 1") from exc
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(1):
        raise SettingError("must be between 0 and 1 (0.1 = 10 %)")
    return number.quantize(Decimal("0.0001"))


def _checked(check: Callable[[Any], Any]) -> BeforeValidator:
    """A pydantic validator running `check`, its message kept word for word."""

    def validate(value: Any) -> Any:
        try:
            return check(value)
        except SettingError as exc:
            raise PydanticCustomError("setting", str(exc)) from exc

    return BeforeValidator(validate)


# --- the types settings are made of --------------------------------------------------------------

Flag = Annotated[bool, _checked(check_boolean)]
QboId = Annotated[str | None, _checked(check_qbo_id)]
ShopifyGid = Annotated[str | None, _checked(check_shopify_gid)]
OptionalDate = Annotated[date | None, _checked(check_date)]
Prefix = Annotated[str, _checked(check_prefix), Field(max_length=MAX_PREFIX)]
DisplayName = Annotated[
    str, _checked(check_display_name), Field(min_length=1, max_length=DISPLAY_NAME_LENGTH)
]
Statuses = Annotated[list[FinancialStatus], _checked(check_statuses), Field(min_length=1)]
Share = Annotated[Decimal, _checked(check_share), Field(ge=0, le=1)]


DocumentTypeChoice = Annotated[DocumentType, _checked(check_choice(DocumentType))]
CustomerModeChoice = Annotated[CustomerMode, _checked(check_choice(CustomerMode))]
SkuMatchFieldChoice = Annotated[SkuMatchField, _checked(check_choice(SkuMatchField))]
ItemTypeChoice = Annotated[ItemType, _checked(check_choice(ItemType))]


def setting(
    default: Any = PydanticUndefined,
    *,
    label: str,
    help: str,  # noqa: A002 - the merchant-facing word
    step: str,
    picker: str | None = None,
    option: str | None = None,
    choice_labels: dict[str, str] | None = None,
    default_factory: Callable[[], Any] | None = None,
) -> Any:
    """A setting's declaration: pydantic's Field with the page's and the rules' metadata."""
    extra: dict[str, Any] = {"step": step, "picker": picker, "option": option}
    if choice_labels:
        extra["choice_labels"] = choice_labels
    if default_factory is not None:
        return Field(
            default_factory=default_factory, title=label, description=help, json_schema_extra=extra
        )
    return Field(default=default, title=label, description=help, json_schema_extra=extra)


class SettingsSection(BaseModel):
    """One section of the settings document; its class docstring is not shown to merchants."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


# --- the sections --------------------------------------------------------------------------------

ITEMS = "items"
# Where payments wait for the bank deposit: a bank account, Undeposited Funds or another
# clearing account (Other Current Asset).
DEPOSIT_ACCOUNTS = "accounts?type=Bank,Other Current Asset"


class Sales(SettingsSection):
    """Workflow 1, sales: how Shopify orders become QuickBooks documents."""

    model_config = ConfigDict(
        title="Sales",
        json_schema_extra={
            "workflow": "sales",
            "steps": {
                "orders": "Which orders to send",
                "documents": "QuickBooks documents",
                "customers": "Customers",
                "items": "Products and items",
                "lines": "Shipping, discounts and other lines",
                "taxes": "Sales tax",
                "tracking": "Classes and locations",
                "payments": "Payments",
            },
        },
    )

    enabled: Flag = setting(
        False,
        label="Send Shopify orders to QuickBooks",
        help="Turn this on once the settings below are right. Nothing is sent while it is off.",
        step="orders",
    )
    financial_statuses: Statuses = setting(
        default_factory=lambda: ["PAID"],
        label="Payment statuses to send",
        help="Orders are sent when their payment status is one of these. Paid orders only is the "
        "usual choice; add Pending or Authorized if you book sales before the money arrives.",
        step="orders",
        option="statuses",
        choice_labels={
            "PAID": "Paid",
            "PENDING": "Pending",
            "AUTHORIZED": "Authorized",
            "PARTIALLY_PAID": "Partially paid",
            "PARTIALLY_REFUNDED": "Partially refunded",
            "REFUNDED": "Refunded",
        },
    )
    document_type: DocumentTypeChoice = setting(
        DocumentType.SALES_RECEIPT,
        label="Record each order as",
        help="A sales receipt records a sale paid at once. An invoice records what the customer "
        "owes, with its payments applied to it — choose it if customers pay later or in parts.",
        step="documents",
        option="document_type",
        choice_labels={"sales_receipt": "Sales receipt", "invoice": "Invoice"},
    )
    order_number_prefix: Prefix = setting(
        "",
        label="Document number prefix",
        help=f"Put before the Shopify order number to make the QuickBooks document number, e.g. "
        f"SH- gives SH-1001. At most {MAX_PREFIX} characters, so any order number still fits.",
        step="documents",
        option="order_number_prefix",
    )
    auto_doc_number: Flag = setting(
        False,
        label="Let QuickBooks number the documents",
        help="QuickBooks gives each document its own next number instead of the Shopify order "
        "number. Needed when custom transaction numbers are off in QuickBooks.",
        step="documents",
        option="auto_doc_number",
    )
    date_after_book_close: Flag = setting(
        False,
        label="Date orders from closed periods on the first open day",
        help="When an order falls in a period you have closed in QuickBooks, record it on the "
        "first day after the closing date. Off: such orders are not sent and are listed for you "
        "to review.",
        step="documents",
        option="date_after_book_close",
    )
    customer_mode: CustomerModeChoice = setting(
        CustomerMode.ORIGINAL,
        label="Customer on each document",
        help="Who the document is made out to in QuickBooks.",
        step="customers",
        option="customer_mode",
        choice_labels={
            "original": "The Shopify customer",
            "company": "The customer's company, when they give one",
            "generic": "One customer for every order",
        },
    )
    generic_customer_name: DisplayName = setting(
        "Shopify Sales",
        label="Name of the one customer",
        help="Used when every order goes to one customer. QuickBooks allows up to 100 characters "
        "and no colon.",
        step="customers",
        option="generic_customer_name",
    )
    # Default "name" (the rules had assumed "sku"): every QuickBooks product has a name, while
    # the SKU field is a preference many companies never turn on, so matching by name works on
    # any company out of the box; items the app creates are then named by their SKU. Merchants
    # who keep SKUs in QuickBooks' SKU field choose "sku".
    sku_match_field: SkuMatchFieldChoice = setting(
        SkuMatchField.NAME,
        label="Find QuickBooks products by",
        help="How a Shopify product is found in QuickBooks: by its SKU in QuickBooks' SKU field, "
        "or by a QuickBooks product whose name is the SKU.",
        step="items",
        option="sku_match_field",
        choice_labels={
            "name": "Name (the QuickBooks product is named by the SKU)",
            "sku": "SKU (QuickBooks' SKU field)",
        },
    )
    # Default on (the rules had assumed off): settings saved untouched must work, and with it
    # off a new store's first sync would stop at every product not yet in QuickBooks — for most
    # new merchants, all of them. The income account new products are booked to is chosen in the
    # same step. A merchant who keeps a curated product list turns it off.
    create_items: Flag = setting(
        True,
        label="Create missing products in QuickBooks",
        help="When a Shopify product is not found in QuickBooks, create it there. Off: the order "
        "waits and you are told which SKU to add (or the default product is used).",
        step="items",
        option="create_items",
    )
    item_type: ItemTypeChoice = setting(
        ItemType.NON_INVENTORY,
        label="Type of products created",
        help="Inventory products make QuickBooks track quantity and cost of goods sold, and need "
        "the inventory accounts and a start date below.",
        step="items",
        option="item_type",
        choice_labels={"non_inventory": "Non-inventory", "inventory": "Inventory"},
    )
    qbo_income_account_id: QboId = setting(
        None,
        label="Income account for created products",
        help="Where sales of products the app creates are booked.",
        step="items",
        picker="accounts?type=Income",
        option="income_account_id",
    )
    qbo_expense_account_id: QboId = setting(
        None,
        label="Expense account for created products",
        help="Purchases of non-inventory products the app creates are booked here.",
        step="items",
        picker="accounts?type=Expense",
        option="expense_account_id",
    )
    qbo_cogs_account_id: QboId = setting(
        None,
        label="Cost of goods sold account",
        help="For inventory products the app creates: where their cost is booked when sold.",
        step="items",
        picker="accounts?type=Cost of Goods Sold",
        option="cogs_account_id",
    )
    qbo_asset_account_id: QboId = setting(
        None,
        label="Inventory asset account",
        help="For inventory products the app creates: where the value of stock on hand is kept.",
        step="items",
        picker="accounts?type=Other Current Asset",
        option="asset_account_id",
    )
    inventory_start_date: OptionalDate = setting(
        None,
        label="Inventory start date",
        help="The date inventory products the app creates start counting stock. It must be on or "
        "before the date orders are synced from, or QuickBooks refuses the sales.",
        step="items",
        option="inventory_start_date",
    )
    qbo_default_item_id: QboId = setting(
        None,
        label="Default product",
        help="Used for order lines whose product is not found in QuickBooks (and is not created).",
        step="items",
        picker=ITEMS,
        option="default_item_id",
    )
    qbo_shipping_item_id: QboId = setting(
        None,
        label="Shipping product",
        help="The QuickBooks product shipping charges are booked to. Empty: QuickBooks' own "
        "shipping line, when the company allows it.",
        step="lines",
        picker=ITEMS,
        option="shipping_item_id",
    )
    qbo_discount_item_id: QboId = setting(
        None,
        label="Discount product",
        help="The QuickBooks product discounts are booked to, so sales stay at full price and "
        "discounts show separately.",
        step="lines",
        picker=ITEMS,
        option="discount_item_id",
    )
    qbo_tip_item_id: QboId = setting(
        None,
        label="Tips product",
        help="The QuickBooks product tips are booked to.",
        step="lines",
        picker=ITEMS,
        option="tip_item_id",
    )
    qbo_duty_item_id: QboId = setting(
        None,
        label="Duties product",
        help="The QuickBooks product import duties charged to customers are booked to.",
        step="lines",
        picker=ITEMS,
        option="duty_item_id",
    )
    qbo_gift_card_item_id: QboId = setting(
        None,
        label="Gift card product",
        help="The QuickBooks product gift cards sold are booked to — on a liability account, "
        "since a gift card is owed until it is spent.",
        step="lines",
        picker=ITEMS,
        option="gift_card_item_id",
    )
    qbo_rounding_item_id: QboId = setting(
        None,
        label="Rounding product",
        help="Takes the cent or two by which QuickBooks' tax arithmetic differs from Shopify's, so "
        "each document totals exactly what the customer paid.",
        step="lines",
        picker=ITEMS,
        option="rounding_item_id",
    )
    qbo_untaxed_tax_code_id: QboId = setting(
        None,
        label="Tax code for untaxed lines",
        help="Outside the US every line needs a tax code: this one (zero-rated or exempt) is used "
        "for lines without tax, tips, duties and rounding.",
        step="taxes",
        picker="tax_codes",
        option="untaxed_tax_code_id",
    )
    qbo_class_id: QboId = setting(
        None,
        label="Class",
        help="The QuickBooks class every document is tagged with. Needs class tracking on in "
        "QuickBooks.",
        step="tracking",
        picker="classes",
        option="class_id",
    )
    qbo_department_id: QboId = setting(
        None,
        label="Location",
        help="The QuickBooks location every document is tagged with. Needs location tracking on "
        "in QuickBooks.",
        step="tracking",
        picker="departments",
        option="department_id",
    )
    record_payments: Flag = setting(
        True,
        label="Record payments",
        help="Record the money received for each order (on the receipt, or as payments applied "
        "to the invoice).",
        step="payments",
        option="record_payments",
    )
    qbo_clearing_account_id: QboId = setting(
        None,
        label="Deposit payments to",
        help="The account money received waits in until your bank deposit is matched. Empty: "
        "Undeposited Funds. Payment gateways can each have their own below.",
        step="payments",
        picker=DEPOSIT_ACCOUNTS,
        option="clearing_account_id",
    )
    qbo_payment_method_id: QboId = setting(
        None,
        label="Payment method",
        help="The payment method recorded with payments whose gateway has none of its own.",
        step="payments",
        picker="payment_methods",
        option="payment_method_id",
    )


class Products(SettingsSection):
    """Workflow 2, products: every Shopify variant becomes a QBO item (the item settings of sales
    apply)."""

    model_config = ConfigDict(
        title="Products",
        json_schema_extra={"workflow": "products", "steps": {"products": "Products"}},
    )

    enabled: Flag = setting(
        False,
        label="Copy Shopify products to QuickBooks",
        help="Create a QuickBooks product for every Shopify product variant, using the product "
        "settings of the sales workflow.",
        step="products",
    )
    update_existing_items: Flag = setting(
        False,
        label="Update products already in QuickBooks",
        help="Also bring the name, description and price of products already in QuickBooks in "
        "line with Shopify. Off: existing products are left as they are.",
        step="products",
    )
    deactivate_deleted_items: Flag = setting(
        False,
        label="Make products deleted in Shopify inactive in QuickBooks",
        help="When a Shopify product (or one of its variants) is deleted, make the QuickBooks "
        "product linked to it inactive; its past sales stay as they are. Off: it is left active.",
        step="products",
    )


class Inventory(SettingsSection):
    """Workflow 3, inventory: QBO quantity on hand pushed to one Shopify location."""

    model_config = ConfigDict(
        title="Inventory",
        json_schema_extra={"workflow": "inventory", "steps": {"stock": "Stock levels"}},
    )

    enabled: Flag = setting(
        False,
        label="Set Shopify stock from QuickBooks",
        help="Shopify's stock at the location below is set to QuickBooks' quantity on hand.",
        step="stock",
    )
    shopify_location_id: ShopifyGid = setting(
        None,
        label="Shopify location",
        help="The one Shopify location whose stock QuickBooks' quantities are written to.",
        step="stock",
        picker="locations",
    )
    max_zero_share: Share = setting(
        Decimal("0.1000"),
        label="Largest share of products set to zero at once",
        help="A safety stop: an update that would set more than this share of your products to "
        "zero stock is held for you to check (0.1 = 10 %).",
        step="stock",
    )
    max_change_share: Share = setting(
        Decimal("0.5000"),
        label="Largest share of products changed at once",
        help="A safety stop: an update that would change the stock of more than this share of "
        "your products at once is held for you to check (0.5 = 50 %).",
        step="stock",
    )
    opening_stock_confirmed: Flag = setting(
        False,
        label="Opening stock is entered in QuickBooks",
        help="Confirm QuickBooks holds your opening quantities; otherwise Shopify stock would be "
        "set to zero.",
        step="stock",
    )


class Sync(SettingsSection):
    """When syncing runs, for every workflow."""

    model_config = ConfigDict(
        title="Sync",
        json_schema_extra={"workflow": None, "steps": {"schedule": "When to sync"}},
    )

    integration_start_date: OptionalDate = setting(
        None,
        label="Sync orders from",
        help="Orders placed before this date are never sent, so sales already in your books are "
        "not booked twice.",
        step="schedule",
        option="start_date",
    )
    hourly_sync_enabled: Flag = setting(
        False,
        label="Sync every hour",
        help="Send new and changed orders every hour. Needs the terms of use accepted.",
        step="schedule",
    )
    webhook_sync_enabled: Flag = setting(
        False,
        label="Sync as orders happen",
        help="Send an order as soon as Shopify tells us about it. Needs the terms of use accepted.",
        step="schedule",
    )


# The settings document's sections, in page order.
SECTIONS: dict[str, type[SettingsSection]] = {
    "sales": Sales,
    "products": Products,
    "inventory": Inventory,
    "sync": Sync,
}


# --- what the other places take from the schema --------------------------------------------------


def default(section: type[SettingsSection], name: str) -> Any:
    """A setting's default as a column default: the value, or a callable making a fresh one."""
    info = section.model_fields[name]
    if info.default_factory is not None:
        return info.default_factory
    return info.default


def defaults(section: type[SettingsSection]) -> dict[str, Any]:
    """Every setting of a section at its default (fresh lists)."""
    return dict(section.model_construct())


def extra(info: FieldInfo) -> dict[str, Any]:
    """A field's page and rules metadata."""
    return info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}


@cache
def _adapter(section: type[SettingsSection], name: str) -> TypeAdapter[Any]:
    info = section.model_fields[name]
    form: Any = Annotated[info.annotation, *info.metadata]  # the field's type and checks alone
    return TypeAdapter(form)


def validate(section: type[SettingsSection], name: str, value: Any) -> Any:
    """One setting's value as stored, or SettingError with the merchant-facing message."""
    try:
        return _adapter(section, name).validate_python(value)
    except ValidationError as exc:
        raise SettingError(exc.errors()[0]["msg"]) from None


def _kind(annotation: Any) -> tuple[str, bool, Any]:
    """(type name for the page, nullable, the non-null type) of a field's annotation."""
    args = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else ()
    inner = next((a for a in args if a is not NoneType), annotation)
    nullable = NoneType in args
    if inner is bool:
        return "boolean", nullable, inner
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return "choice", nullable, inner
    if get_origin(inner) is list:
        return "choices", nullable, inner
    if inner is date:
        return "date", nullable, inner
    if inner is Decimal:
        return "number", nullable, inner
    return "text", nullable, inner


def _choices(inner: Any, labels: dict[str, str]) -> list[dict[str, str]] | None:
    """Allowed values as the page shows them: [{id, name}], like the lookups."""
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        values = [member.value for member in inner]
    elif get_origin(inner) is list:
        values = list(get_args(get_args(inner)[0]))
    else:
        return None
    return [{"id": v, "name": labels.get(v, v)} for v in values]


def _max_length(info: FieldInfo) -> int | None:
    return next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)


def describe(section: type[SettingsSection]) -> dict[str, Any]:
    """A section as the page renders it: its steps, and each field's type, default, choices,
    label, help, picker and step."""
    config = section.model_config.get("json_schema_extra") or {}
    assert isinstance(config, dict)
    steps = config["steps"]
    assert isinstance(steps, dict)
    dumped = section.model_construct().model_dump(mode="json")
    fields = []
    for name, info in section.model_fields.items():
        meta = extra(info)
        kind, nullable, inner = _kind(info.annotation)
        fields.append(
            {
                "name": name,
                "type": kind,
                "nullable": nullable,
                "default": dumped[name],
                "choices": _choices(inner, meta.get("choice_labels") or {}),
                "max_length": _max_length(info),
                "label": info.title,
                "help": info.description,
                "picker": meta.get("picker"),
                "step": meta["step"],
            }
        )
    return {
        "title": section.model_config.get("title"),
        "workflow": config.get("workflow"),
        "steps": [{"name": k, "title": v} for k, v in steps.items()],
        "fields": fields,
        "json_schema": section.model_json_schema(),
    }


def describe_all() -> dict[str, Any]:
    """Every section's description, in page order."""
    return {"sections": [{"name": name} | describe(model) for name, model in SECTIONS.items()]}
