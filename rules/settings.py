"""What the sales rules need to know: the merchant's options, the QBO company's facts
and the lookups the poster resolves before calling them."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import settings_schema

DocumentType = Literal["sales_receipt", "invoice"]
CustomerMode = Literal["original", "company", "generic"]
SkuMatchField = Literal["name", "sku"]
ItemType = Literal["NonInventory", "Inventory"]

# QBO's built-in shipping line (needs Preferences.SalesFormsPrefs.AllowShipping); used when the
# merchant picks no shipping item. ref: https://developer.intuit.com/app/developer/qbo/api/docs/api/accounting/all-entities/invoice
QBO_SHIPPING_ITEM = "SHIPPING_ITEM_ID"
# US automated sales tax pseudo codes. ref: https://developer.intuit.com/app/developer/qbo/docs/develop/tutorials/manage-sales-tax-for-us-locales
US_TAXABLE, US_NON_TAXABLE = "TAX", "NON"


@dataclass(frozen=True)
class CompanyFacts:
    """What the QBO company is (from CompanyInfo and Preferences)."""

    country: str = "US"
    home_currency: str = "USD"
    multi_currency: bool = False
    # Preferences.TaxPrefs.PartnerTaxEnabled: US automated sales tax (AST). False, as on the
    # stored connection and as read when the preference is absent: assume it only when QBO says.
    automated_sales_tax: bool = False
    # Preferences.TaxPrefs.UsingSalesTax: without it QBO ignores TxnTaxDetail.
    using_sales_tax: bool = True
    # Preferences.SalesFormsPrefs.CustomTxnNumbers: may we send our own DocNumber?
    custom_txn_numbers: bool = True
    # Preferences.SalesFormsPrefs.AllowShipping: may documents use QBO's built-in shipping line?
    allow_shipping: bool = True
    tracks_classes: bool = False
    tracks_locations: bool = False

    @property
    def us(self) -> bool:
        """True for the US sales tax model (TAX/NON line codes, one tax amount per document)."""
        return self.country.upper() == "US"


@dataclass(frozen=True)
class TaxCodeRates:
    """A non-US QBO TaxCode's sales rates: (TaxRate id, percent) pairs."""

    code_id: str
    rates: tuple[tuple[str, Decimal], ...]

    @property
    def percent(self) -> Decimal:
        """The combined percentage of the code."""
        return sum((p for _, p in self.rates), Decimal(0))


@dataclass(frozen=True)
class ResolvedIds:
    """QBO ids the poster resolved for this run (cached per run)."""

    # sku_match_key(...) -> QBO Item id
    items: dict[str, str] = field(default_factory=dict)
    # tax_key(...) -> QBO TaxCode id (non-US)
    tax_codes: dict[str, str] = field(default_factory=dict)
    # QBO TaxCode id -> its rates (non-US; what QBO computes tax with)
    tax_rates: dict[str, TaxCodeRates] = field(default_factory=dict)
    # the QBO customer of this order when already known (else the poster resolves it)
    customer_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class SalesOptions:
    """Every sales option, the company's facts and this run's lookups.

    The merchant's settings have no defaults here: they come from the stored settings (or the
    schema's defaults) through `from_settings`, so a default is declared once, in settings_schema.
    Run-time facts (the company, lookups, the shop, the book close date) keep defaults.
    """

    # --- the merchant's settings (settings_schema fields whose `option` names them) ---
    statuses: frozenset[str]
    start_date: date | None
    document_type: DocumentType
    order_number_prefix: str
    auto_doc_number: bool
    customer_mode: CustomerMode
    generic_customer_name: str
    shipping_item_id: str | None
    discount_item_id: str | None
    default_item_id: str | None
    tip_item_id: str | None
    duty_item_id: str | None
    gift_card_item_id: str | None
    rounding_item_id: str | None
    class_id: str | None
    department_id: str | None
    sku_match_field: SkuMatchField
    create_items: bool
    item_type: ItemType
    income_account_id: str | None
    expense_account_id: str | None
    cogs_account_id: str | None
    asset_account_id: str | None
    inventory_start_date: date | None
    # non-US: the QBO tax code for untaxed lines, tips, duties and rounding (zero-rated/exempt)
    untaxed_tax_code_id: str | None
    record_payments: bool
    # Orders dated on or before the book close date: date them the day after it instead of failing.
    date_after_book_close: bool
    # None = QBO's default, Undeposited Funds (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/salesreceipt)
    clearing_account_id: str | None
    # the payment method of payments whose gateway has none mapped
    payment_method_id: str | None

    # --- run-time facts and the per-gateway mappings ---
    company: CompanyFacts = field(default_factory=CompanyFacts)
    lookups: ResolvedIds = field(default_factory=ResolvedIds)
    # Protected customer data level Shopify approved (None: everything; 1: customers without
    # names, emails or addresses; 0: no customers). ref: https://shopify.dev/docs/apps/launch/protected-customer-data
    customer_data: int | None = None
    # Preferences.AccountingInfoPrefs.BookCloseDate, read for the run when orders dated on or
    # before it are to be dated the day after it (`date_after_book_close`) instead of failing.
    book_close_date: date | None = None
    gateway_accounts: dict[str, str] = field(default_factory=dict)
    payment_methods: dict[str, str] = field(default_factory=dict)
    shop_domain: str = ""
    shop_timezone: str = "UTC"

    @classmethod
    def from_settings(
        cls, sales: Mapping[str, Any], sync: Mapping[str, Any], **facts: Any
    ) -> SalesOptions:
        """The options from the sales and sync settings (by their schema names, every one
        present), plus the run-time `facts` (company, lookups, shop_domain, ...)."""
        values = {"sales": sales, "sync": sync}
        options: dict[str, Any] = {}
        for section, name, option in option_fields():
            value = values[section][name]
            options[option] = _CONVERT.get(option, _plain)(value)
        return cls(**options, **facts)

    def account_for_gateway(self, gateway: str) -> str | None:
        """The clearing account a gateway's money goes to (None: Undeposited Funds)."""
        return self.gateway_accounts.get(gateway, self.clearing_account_id)

    def method_for_gateway(self, gateway: str) -> str | None:
        """The payment method of a gateway's payments (None: none recorded)."""
        return self.payment_methods.get(gateway, self.payment_method_id)


def option_fields() -> list[tuple[str, str, str]]:
    """(section, setting, SalesOptions field) of every setting the sales rules receive."""
    return [
        (section, name, meta["option"])
        for section, model in settings_schema.SECTIONS.items()
        for name, info in model.model_fields.items()
        if (meta := settings_schema.extra(info)).get("option")
    ]


def _plain(value: Any) -> Any:
    """A stored value as the rules take it: enums as their plain string values."""
    return value.value if isinstance(value, enum.Enum) else value


ITEM_TYPES: dict[str, ItemType] = {"non_inventory": "NonInventory", "inventory": "Inventory"}
_CONVERT: dict[str, Any] = {
    "statuses": frozenset,
    "item_type": lambda value: ITEM_TYPES[_plain(value)],
}
