"""Multicurrency: CompanyCurrency, the currency of customers, accounts and sales transactions.

Sources:
- https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-multiple-currencies
  (multicurrency is off by default; CurrencyRef is the currency all amounts of a transaction are in;
  ExchangeRate = home units per one foreign unit; HomeTotalAmt = the total in home currency).
- https://blogs.intuit.com/2015/06/18/multicurrency-for-us-companies-coming-in-quickbooks-online-v87
  (objects are in the home currency by default; each account and each customer has one currency).
- Finance.xsd: CompanyCurrency Code "Universal 3-letter currency code … Max Length: 3", Name
  "Currency name (Output only)", Active; ExchangeRate "Valid only if the company file is set up to
  use Multi-Currency"; HomeTotalAmt "Single currency companies will not have this field".
- WordPress/wordcamp.org#1325 (2024): QBO answers `"CurrencyRef":{"value":"EUR","name":"Euro"},
  "ExchangeRate":1` for a EUR invoice sent without ExchangeRate; CurrencyRef values are ISO codes
  (routablehq/python-quickbooks#344).
- "The currency of the account must be either in home currency or the transaction currency":
  QuickBooks' message as integrators quote it (help.connexecommerce.com, Webgility, Teapplix:
  Desktop error 3140; allorders.numbercruncher.com "Error 549"); the QBO fault code is [U].
Every other Detail text here is [U: wording]; codes follow faults.business (6000) and 6240.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from emulators.quickbooks.entities import Rule
from emulators.quickbooks.faults import QBOFault, business
from emulators.quickbooks.money import dec, to_unit
from emulators.quickbooks.store import Company

# ISO 4217 code -> (name as QBO lists it [U: names other than "Euro"], minor-unit digits).
CURRENCIES: dict[str, tuple[str, int]] = {
    "AED": ("UAE Dirham", 2),
    "ARS": ("Argentine Peso", 2),
    "AUD": ("Australian Dollar", 2),
    "BHD": ("Bahraini Dinar", 3),
    "BRL": ("Brazilian Real", 2),
    "CAD": ("Canadian Dollar", 2),
    "CHF": ("Swiss Franc", 2),
    "CLP": ("Chilean Peso", 0),
    "CNY": ("Chinese Yuan Renminbi", 2),
    "COP": ("Colombian Peso", 2),
    "CZK": ("Czech Koruna", 2),
    "DKK": ("Danish Krone", 2),
    "EUR": ("Euro", 2),
    "GBP": ("British Pound Sterling", 2),
    "HKD": ("Hong Kong Dollar", 2),
    "HUF": ("Hungarian Forint", 2),
    "IDR": ("Indonesian Rupiah", 2),
    "ILS": ("Israeli New Shekel", 2),
    "INR": ("Indian Rupee", 2),
    "ISK": ("Icelandic Krona", 0),
    "JOD": ("Jordanian Dinar", 3),
    "JPY": ("Japanese Yen", 0),
    "KRW": ("South Korean Won", 0),
    "KWD": ("Kuwaiti Dinar", 3),
    "MXN": ("Mexican Peso", 2),
    "MYR": ("Malaysian Ringgit", 2),
    "NOK": ("Norwegian Krone", 2),
    "NZD": ("New Zealand Dollar", 2),
    "OMR": ("Omani Rial", 3),
    "PEN": ("Peruvian Sol", 2),
    "PHP": ("Philippine Peso", 2),
    "PLN": ("Polish Zloty", 2),
    "RON": ("Romanian Leu", 2),
    "SAR": ("Saudi Riyal", 2),
    "SEK": ("Swedish Krona", 2),
    "SGD": ("Singapore Dollar", 2),
    "THB": ("Thai Baht", 2),
    "TND": ("Tunisian Dinar", 3),
    "TRY": ("Turkish Lira", 2),
    "TWD": ("New Taiwan Dollar", 2),
    "USD": ("United States Dollar", 2),
    "VND": ("Vietnamese Dong", 0),
    "ZAR": ("South African Rand", 2),
}
# Transactions carrying CurrencyRef/ExchangeRate, and those with HomeTotalAmt (SalesTransaction).
TRANSACTIONS = frozenset({"Invoice", "SalesReceipt", "CreditMemo", "RefundReceipt", "Payment"})
HOME_TOTALS = frozenset({"Invoice", "SalesReceipt", "CreditMemo", "RefundReceipt"})
_ACCOUNT_REFS = ("DepositToAccountRef", "ARAccountRef")
_ONE = Decimal(1)


def home(company: Company) -> str:
    """The company's home currency code (Preferences.CurrencyPrefs.HomeCurrency)."""
    prefs = (company.get("Preferences", "1") or {}).get("CurrencyPrefs") or {}
    return str((prefs.get("HomeCurrency") or {}).get("value") or "USD")


def enabled(company: Company) -> bool:
    """True when Preferences.CurrencyPrefs.MultiCurrencyEnabled is on."""
    prefs = (company.get("Preferences", "1") or {}).get("CurrencyPrefs") or {}
    return prefs.get("MultiCurrencyEnabled") is True


def ref(code: str) -> dict[str, str]:
    """A CurrencyRef as QBO answers it: ISO code and currency name."""
    return {"value": code, "name": CURRENCIES.get(code, (code, 2))[0]}


def code_of(obj: dict[str, Any] | None) -> str | None:
    """The ISO code an object's CurrencyRef names, upper-cased (None when absent)."""
    value = ((obj or {}).get("CurrencyRef") or {}).get("value")
    return str(value).strip().upper() if value else None


def unit(code: str | None) -> Decimal:
    """The minor unit of a currency: 0.01, or 1 for JPY, 0.001 for KWD (ISO 4217)."""
    return _ONE.scaleb(-CURRENCIES.get(code or "", ("", 2))[1])


def parse_rates(rates: Any) -> dict[str, Decimal]:
    """Test control input {"EUR": "1.0825"} as exact Decimals; ValueError when malformed."""
    if not isinstance(rates, dict):
        raise ValueError('exchange rates must be an object such as {"EUR": "1.0825"}')
    out = {}
    for code, rate in rates.items():
        value = dec(rate, Decimal(-1))
        if str(code).upper() not in CURRENCIES or value <= 0:
            raise ValueError(f"{code}: a known ISO 4217 code and a positive rate are required")
        out[str(code).upper()] = value
    return out


def _listed(company: Company, code: str) -> dict[str, Any] | None:
    """The CompanyCurrency with this code, if any (active or not)."""
    return next((c for c in company.all("CompanyCurrency") if c.get("Code") == code), None)


def _check_usable(company: Company, code: str, what: str) -> None:
    """A non-home currency needs multicurrency on and an active CompanyCurrency [U: wording]."""
    if code == home(company):
        return
    if not enabled(company):
        raise business(
            f"Multicurrency is not enabled for this company: {what} must be in the home "
            f"currency ({home(company)}), not {code}. [U: wording]"
        )
    found = _listed(company, code)
    if found is None or found.get("Active") is False:
        raise business(
            f"The currency {code} is not an active currency of this company: add it to the "
            "currency list (CompanyCurrency) first. [U: wording]"
        )


def check_company_currency(
    company: Company, obj: dict[str, Any], old: dict[str, Any] | None
) -> None:
    """CompanyCurrency create/update: multicurrency on, known code, unique, code fixed; Name."""
    code = str(obj.get("Code") or "").strip().upper()
    obj["Code"] = code
    obj.pop("FullyQualifiedName", None)  # CompanyCurrency has none (Finance.xsd)
    if old is not None and code != old.get("Code"):
        raise business("The Code of a currency cannot be changed. [U: wording]")
    if old is None:
        if not enabled(company):
            raise business(
                "Multicurrency is not enabled for this company: turn it on before adding "
                "currencies. [U: wording]"
            )
        if code not in CURRENCIES:
            raise business(f"{code} is not a supported ISO 4217 currency code. [U: wording]")
        if code == home(company) or _listed(company, code) is not None:
            raise QBOFault(
                "6240",
                "Duplicate Name Exists Error",
                f"The name supplied already exists. : The currency {code} is already in the "
                "currency list. [U: wording]",
                "Code",
            )
    obj["Name"] = CURRENCIES[code][0]


def check_holder(
    company: Company, kind: str, obj: dict[str, Any], old: dict[str, Any] | None
) -> None:
    """Customer/Account: CurrencyRef defaults to home; set once, never changed [U: wording]."""
    was = (code_of(old) or home(company)) if old is not None else None
    code = code_of(obj) or was or home(company)
    if was is not None and code != was:
        raise business(
            f"The currency of a {kind.lower()} cannot be changed once it is set "
            f"({was} to {code}). [U: wording]"
        )
    if old is None:
        _check_usable(company, code, kind)
    obj["CurrencyRef"] = ref(code)


def _check_accounts(company: Company, doc: dict[str, Any], code: str) -> None:
    """Deposit and A/R accounts must be in the home or the transaction currency."""
    for field in _ACCOUNT_REFS:
        account = company.get("Account", (doc.get(field) or {}).get("value"))
        if account is not None and (code_of(account) or home(company)) not in (code, home(company)):
            raise QBOFault(
                "6000",
                "A business validation error has occurred while processing your request",
                "Business Validation Error: The currency of the account must be either in "
                "home currency or the transaction currency.",
                field,
            )


def _check_links(company: Company, doc: dict[str, Any], code: str) -> None:
    """A Payment's currency must be that of every Invoice/CreditMemo it links [U: wording]."""
    for line in doc.get("Line") or []:
        for link in line.get("LinkedTxn") or []:
            linked = company.get(str(link.get("TxnType")), link.get("TxnId"))
            if linked is not None and (code_of(linked) or home(company)) != code:
                raise business(
                    f"The payment currency ({code}) must be the currency of the transactions "
                    f"it applies to ({link.get('TxnType')} {link.get('TxnId')} is in "
                    f"{code_of(linked) or home(company)}). [U: wording]"
                )


def _rate(company: Company, doc: dict[str, Any], code: str) -> Decimal:
    """The sent ExchangeRate (kept exactly), else the company's rate for `code` (default 1).

    python-quickbooks sends ExchangeRate 0 for a new CreditMemo: 0 counts as not sent.
    """
    sent = dec(doc.get("ExchangeRate"))
    if sent < 0:
        raise business("ExchangeRate must be a positive number. [U: wording]")
    return sent if sent > 0 else company.exchange_rates.get(code, _ONE)


def apply(company: Company, rule: Rule, doc: dict[str, Any], old: dict[str, Any] | None) -> None:
    """Currency rules of one entity; transactions get CurrencyRef and (multicurrency) a rate."""
    if rule.name == "CompanyCurrency":
        check_company_currency(company, doc, old)
        return
    if rule.name in ("Customer", "Account"):
        check_holder(company, rule.name, doc, old)
        return
    if rule.name not in TRANSACTIONS:
        return
    code = code_of(doc) or home(company)
    _check_usable(company, code, rule.name)
    doc["CurrencyRef"] = ref(code)
    customer = company.get("Customer", (doc.get("CustomerRef") or {}).get("value"))
    if customer is not None and (code_of(customer) or home(company)) != code:
        raise business(
            f"The currency of the transaction ({code}) must be the currency of the customer "
            f"({code_of(customer) or home(company)}). [U: wording]"
        )
    _check_accounts(company, doc, code)
    if rule.name == "Payment":
        _check_links(company, doc, code)
    if not enabled(company):
        doc.pop("ExchangeRate", None)  # "Valid only if … Multi-Currency" (Finance.xsd)
        return
    doc["ExchangeRate"] = _ONE if code == home(company) else _rate(company, doc, code)


def home_amounts(company: Company, kind: str, doc: dict[str, Any]) -> None:
    """HomeTotalAmt (and HomeBalance of an Invoice): amount × rate, rounded half-up to the
    home currency's minor unit; single-currency companies have neither (Finance.xsd)."""
    if kind not in HOME_TOTALS or not enabled(company):
        return
    rate, home_unit = dec(doc.get("ExchangeRate"), _ONE), unit(home(company))
    doc["HomeTotalAmt"] = to_unit(dec(doc.get("TotalAmt")) * rate, home_unit)
    if kind == "Invoice":
        doc["HomeBalance"] = to_unit(dec(doc.get("Balance")) * rate, home_unit)
