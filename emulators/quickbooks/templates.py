"""Company templates like Intuit's sandbox companies: "us" (AST), "ca" (GST/HST), "uk" (VAT),
"au" (GST).

ref: https://developer.intuit.com/app/developer/qbo/docs/develop/sandboxes (sandbox companies
come with a chart of accounts, items, customers; US uses automated sales tax)
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from emulators.quickbooks import currency, preferences, taxcodes
from emulators.quickbooks.money import ZERO
from emulators.quickbooks.store import Company, EmulatorState

# (Name, AccountType, AccountSubType) — a standard chart incl. Undeposited Funds.
ACCOUNTS = (
    ("Checking", "Bank", "Checking"),
    ("Undeposited Funds", "Other Current Asset", "UndepositedFunds"),
    ("Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable"),
    ("Inventory Asset", "Other Current Asset", "Inventory"),
    ("Sales of Product Income", "Income", "SalesOfProductIncome"),
    ("Services", "Income", "ServiceFeeIncome"),
    ("Shipping Income", "Income", "OtherPrimaryIncome"),
    ("Discounts given", "Income", "DiscountsRefundsGiven"),
    ("Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs"),
    ("Gift Card Liability", "Other Current Liability", "OtherCurrentLiabilities"),
    ("Merchant Fees", "Expense", "BankCharges"),
)
CUSTOMERS = ("Amy's Bird Sanctuary", "Bill's Windsurf Shop", "Cool Cars")
CLASSES = ("Retail", "Online")
DEPARTMENTS = ("Store", "Web")
PAYMENT_METHODS = ("Cash", "Check", "Visa", "MasterCard", "American Express", "Discover")
# (name, type, income account, price, sku, qty)
ITEMS = (
    ("Rock Fountain", "Inventory", "Sales of Product Income", "275", "RF-1", "2"),
    ("Pump", "Inventory", "Sales of Product Income", "15", "PUMP-1", "25"),
    ("Design", "Service", "Services", "75", "", ""),
    ("Gardening Supplies", "NonInventory", "Sales of Product Income", "10", "GS-1", ""),
    ("Shipping", "Service", "Shipping Income", "0", "", ""),
    ("Discount", "Service", "Discounts given", "0", "", ""),
    ("Gift Card", "Service", "Gift Card Liability", "0", "", ""),
)
# Not taxable: a gift card is sold on the liability account and taxed only when it is spent, as
# Intuit describes setting up gift cards:
# https://quickbooks.intuit.com/community/Manage-suppliers-and-expenses/Sell-and-redeem-gift-cards-or-certificates-in-QuickBooks-Online/m-p/262795
UNTAXED_ITEMS = {"Gift Card"}
# (rate name, percent) per tax code; US codes are AST jurisdictions keyed by state.
US_TAX = {
    "CA": ("California", (("California State", "6"), ("San Mateo County", "1.25"))),
    "NY": ("New York City", (("New York State", "4"), ("New York City", "4.875"))),
}
CA_TAX = {
    "GST": (("GST", "5"),),
    "HST ON": (("HST ON", "13"),),
    "GST/PST BC": (("GST", "5"), ("PST BC", "7")),
    "Zero-rated": (("GST ZR", "0"),),
    "Exempt": (("Exempt", "0"),),
}
# UK VAT codes as QBO UK names them (standard, reduced, zero-rated, exempt), ref:
# https://quickbooks.intuit.com/learn-support/en-uk/help-article/value-added-tax/quickbooks-vat-codes/L9v5htbsT_GB_en_GB
UK_TAX = {
    "20.0% S": (("20.0% S", "20"),),
    "5.0% R": (("5.0% R", "5"),),
    "0.0% Z": (("0.0% Z", "0"),),
    "Exempt": (("Exempt", "0"),),
}
# Australian GST codes for sales as QBO Australia sets them up (GST 10%; GST free, GST free
# exports, Input taxed and Out of Scope at 0%), ref:
# https://plugin-qbo.intuit.com/qbo-ush/helpcontent/production/173/en_AU/QBO_Plus/Content/Topics/salestax/help_globaltax_info_salestax_codes_domestic.htm
# https://www.qbbs.com.au/add-gst-quickbooks-online/ (names as spelt in the codes list)
# The GST code's rate is "GST (sales)" (manage-sales-tax-for-non-us-locales: "the tax code GST
# is comprised of the GST (sales) tax rate"); the 0% rates' names follow that pattern [U].
AU_TAX = {
    "GST": (("GST (sales)", "10"),),
    "GST free": (("GST free (sales)", "0"),),
    "GST free exports": (("GST free exports (sales)", "0"),),
    "Input taxed": (("Input taxed (sales)", "0"),),
    "Out of Scope": (("Out of Scope", "0"),),
}
# template name -> (country code, home currency, tax codes; None = US automated sales tax)
TEMPLATES: dict[str, tuple[str, str, dict[str, tuple[tuple[str, str], ...]] | None]] = {
    "us": ("US", "USD", None),
    "ca": ("CA", "CAD", CA_TAX),
    "uk": ("GB", "GBP", UK_TAX),
    "au": ("AU", "AUD", AU_TAX),
}

# Non-US model: https://developer.intuit.com/app/developer/qbo/docs/develop/tutorials/manage-sales-tax-for-non-us-locales
COMPANY_INFO: dict[str, dict[str, Any]] = {
    country: {
        "CompanyName": f"Sandbox Company_{country}_1",
        "Country": country,
        "LegalName": f"Sandbox Company {country}",
        "SupportedLanguages": "en",
        "CompanyAddr": {
            "Line1": "123 Sierra Way",
            "City": city,
            "CountrySubDivisionCode": region,
            "PostalCode": postal,
        },
    }
    for country, city, region, postal in (
        ("US", "Mountain View", "CA", "94043"),
        ("CA", "Toronto", "ON", "M5V 2T6"),
        ("GB", "London", "", "EC1A 1BB"),
        ("AU", "Sydney", "NSW", "2000"),
    )
}


def _names(company: Company, kind: str, names: tuple[str, ...], **extra: Any) -> None:
    """Add simple name-list entities."""
    for name in names:
        company.add(kind, {"Name": name, "FullyQualifiedName": name, "Active": True, **extra})


def _account_id(company: Company, name: str) -> dict[str, str]:
    """A ref to the account called `name`."""
    acct = next(a for a in company.all("Account") if a["Name"] == name)
    return {"value": acct["Id"], "name": name}


def _items(company: Company) -> None:
    """The template's products and services, inventory ones tracked from 2025-01-01."""
    for name, kind, income, price, sku, qty in ITEMS:
        item: dict[str, Any] = {
            "Name": name,
            "FullyQualifiedName": name,
            "Type": kind,
            "Active": True,
            "UnitPrice": Decimal(price),
            "Taxable": name not in UNTAXED_ITEMS,
            "IncomeAccountRef": _account_id(company, income),
        }
        if sku:
            item["Sku"] = sku
        if kind == "Inventory":
            item.update(
                TrackQtyOnHand=True,
                QtyOnHand=Decimal(qty),
                InvStartDate="2025-01-01",
                AssetAccountRef=_account_id(company, "Inventory Asset"),
                ExpenseAccountRef=_account_id(company, "Cost of Goods Sold"),
            )
        company.add("Item", item)


def _tax_code(company: Company, name: str, rates: tuple[tuple[str, str], ...]) -> str:
    """A TaxCode over the named rates (created on first use); its Id."""
    found = [taxcodes.rate(company, rate_name, Decimal(pct)) for rate_name, pct in rates]
    return taxcodes.add_code(company, name, found)["Id"]


def _preferences(company: Company, home: str, multi_currency: bool) -> None:
    """Preferences and CompanyInfo reflecting the template (and the multicurrency option)."""
    tax_group = company.ast_rates.get("default", "")
    prefs = preferences.defaults(company.country, home, multi_currency, tax_group)
    company.add("Preferences", prefs, ident="1")
    info = copy.deepcopy(COMPANY_INFO[company.country])
    info["FiscalYearStartMonth"] = prefs["AccountingInfoPrefs"]["FirstMonthOfFiscalYear"]
    company.add("CompanyInfo", info, ident=company.realm_id)


def _us_tax(company: Company) -> None:
    """AST jurisdictions, plus the TAX/NON pseudo codes US companies list as TaxCodes."""
    for pseudo in ("TAX", "NON"):
        company.add(
            "TaxCode",
            {"Name": pseudo, "Active": True, "Taxable": pseudo == "TAX", "TaxGroup": False},
            ident=pseudo,
        )
    for state, (name, rates) in US_TAX.items():
        company.ast_rates[state] = _tax_code(company, name, rates)
    company.ast_rates["default"] = company.ast_rates["CA"]


def _lists(company: Company, home: str) -> None:
    """Accounts, items, customers, a vendor and an employee, classes, locations, methods.

    Accounts and customers are in the home currency (as QBO's are until told otherwise).
    """
    for acct, kind, sub in ACCOUNTS:
        company.add(
            "Account",
            {
                "Name": acct,
                "FullyQualifiedName": acct,
                "AccountType": kind,
                "AccountSubType": sub,
                "Active": True,
                "CurrentBalance": ZERO,
                "CurrencyRef": currency.ref(home),
            },
        )
    _items(company)
    for display in CUSTOMERS:
        company.add(
            "Customer",
            {
                "DisplayName": display,
                "FullyQualifiedName": display,
                "CompanyName": display,
                "Active": True,
                "Balance": ZERO,
                "CurrencyRef": currency.ref(home),
            },
        )
    company.add("Vendor", {"DisplayName": "Norton Lumber and Building Materials", "Active": True})
    company.add("Employee", {"DisplayName": "Emily Platt", "Active": True})
    _names(company, "Class", CLASSES, SubClass=False)
    _names(company, "Department", DEPARTMENTS, SubDepartment=False)
    _names(company, "PaymentMethod", PAYMENT_METHODS, Type="NON_CREDIT_CARD")


def create(
    state: EmulatorState, name: str, realm_id: str | None = None, multi_currency: bool = False
) -> Company:
    """A new company from template `name` ("us", "ca", "uk" or "au"); KeyError for an unknown one.

    `multi_currency` turns Preferences.CurrencyPrefs.MultiCurrencyEnabled on (off by default, as
    in QBO: manage-multiple-currencies).
    """
    country, home, codes = TEMPLATES[name]
    company = state.new_company(country, realm_id)
    _lists(company, home)
    if codes is None:
        _us_tax(company)
    for code, rates in (codes or {}).items():
        _tax_code(company, code, rates)
    _preferences(company, home, multi_currency)
    return company
