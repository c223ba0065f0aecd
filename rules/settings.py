"""What the sales rules need to know: the merchant's options, the QBO company's facts
and the lookups the poster resolves before calling them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

DocumentType = Literal["sales_receipt", "invoice"]
CustomerMode = Literal["original", "company", "generic"]
SkuMatchField = Literal["name", "sku"]
ItemType = Literal["NonInventory", "Inventory"]

# QBO's built-in shipping line (needs Preferences.SalesFormsPrefs.AllowShipping); used when the
# merchant picks no shipping item. ref: https://developer.intuit.com/app/developer/qbo/api/docs/api/accounting/all-entities/invoice
QBO_SHIPPING_ITEM = "SHIPPING_ITEM_ID"
# US automated sales tax pseudo codes. ref: https://developer.intuit.com/app/developer/qbo/docs/develop/tutorials/manage-sales-tax-for-us-locales
US_TAXABLE, US_NON_TAXABLE = "TAX", "NON"
DEFAULT_STATUSES = frozenset({"PAID"})


@dataclass(frozen=True)
class CompanyFacts:
    """What the QBO company is (from CompanyInfo and Preferences)."""

    country: str = "US"
    home_currency: str = "USD"
    multi_currency: bool = False
    # Preferences.TaxPrefs.PartnerTaxEnabled: US automated sales tax (AST).
    automated_sales_tax: bool = True
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
class Lookups:
    """QBO ids the poster resolved for this run (cached per run)."""

    # sku_match_key(...) -> QBO Item id
    items: dict[str, str] = field(default_factory=dict)
    # tax_key(...) -> QBO TaxCode id (non-US)
    tax_codes: dict[str, str] = field(default_factory=dict)
    # QBO TaxCode id -> its rates (non-US; what QBO computes tax with)
    tax_rates: dict[str, TaxCodeRates] = field(default_factory=dict)
    # the QBO customer of this order when already known (else the poster resolves it)
    customer_id: str | None = None


@dataclass(frozen=True)
class SalesOptions:
    """Every sales option, the company's facts and this run's lookups."""

    company: CompanyFacts = field(default_factory=CompanyFacts)
    lookups: Lookups = field(default_factory=Lookups)
    statuses: frozenset[str] = DEFAULT_STATUSES
    start_date: date | None = None
    document_type: DocumentType = "sales_receipt"
    order_number_prefix: str = ""
    auto_doc_number: bool = False
    customer_mode: CustomerMode = "original"
    generic_customer_name: str = "Shopify Sales"
    # Protected customer data level Shopify approved (None: everything; 1: customers without
    # names, emails or addresses; 0: no customers). ref: https://shopify.dev/docs/apps/launch/protected-customer-data
    customer_data: int | None = None
    shipping_item_id: str | None = None
    discount_item_id: str | None = None
    default_item_id: str | None = None
    tip_item_id: str | None = None
    duty_item_id: str | None = None
    gift_card_item_id: str | None = None
    rounding_item_id: str | None = None
    class_id: str | None = None
    department_id: str | None = None
    sku_match_field: SkuMatchField = "sku"
    create_items: bool = False
    item_type: ItemType = "NonInventory"
    income_account_id: str | None = None
    expense_account_id: str | None = None
    cogs_account_id: str | None = None
    asset_account_id: str | None = None
    inventory_start_date: date | None = None
    # non-US: the QBO tax code for untaxed lines, tips, duties and rounding (zero-rated/exempt)
    untaxed_tax_code_id: str | None = None
    record_payments: bool = True
    # Preferences.AccountingInfoPrefs.BookCloseDate, read for the run when orders dated on or
    # before it are to be dated the day after it (`date_after_book_close`) instead of failing.
    book_close_date: date | None = None
    date_after_book_close: bool = False
    # None = QBO's default, Undeposited Funds (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/salesreceipt)
    clearing_account_id: str | None = None
    gateway_accounts: dict[str, str] = field(default_factory=dict)
    payment_methods: dict[str, str] = field(default_factory=dict)
    shop_domain: str = ""
    shop_timezone: str = "UTC"

    def account_for_gateway(self, gateway: str) -> str | None:
        """The clearing account a gateway's money goes to (None: Undeposited Funds)."""
        return self.gateway_accounts.get(gateway, self.clearing_account_id)
