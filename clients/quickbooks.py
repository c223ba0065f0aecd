"""python-quickbooks clients for one company, and the company facts the workflows need."""

from __future__ import annotations

from dataclasses import dataclass

from intuitlib.client import AuthClient
from quickbooks import QuickBooks
from quickbooks.objects.company_info import CompanyInfo
from quickbooks.objects.preferences import Preferences

from clients.quickbooks_pacing import BatchPacer

MINOR_VERSION = 75  # QBO ignores 1–74 since August 2025
# (https://blogs.intuit.com/2025/01/21/changes-to-our-accounting-api-that-may-impact-your-application)


@dataclass(frozen=True)
class CompanyProfile:
    """The QBO company as read on connect (and re-read daily): cached on the connection's
    columns, from which the rules' `CompanyFacts` are built."""

    company_name: str
    country: str
    home_currency: str
    multi_currency_enabled: bool
    automated_sales_tax: bool
    using_sales_tax: bool
    class_tracking: bool
    location_tracking: bool
    custom_txn_numbers: bool
    allow_shipping: bool


class PacedQuickBooks(QuickBooks):
    """python-quickbooks' client carrying the pacer its batch requests wait on (None: unpaced)."""

    batch_pacer: BatchPacer | None = None


def make_client(
    auth_client: AuthClient,
    realm_id: str,
    api_url: str | None = None,
    batch_pacer: BatchPacer | None = None,
) -> QuickBooks:
    """A QuickBooks client using the access token already on `auth_client` (never refreshing)."""
    qb = PacedQuickBooks(
        auth_client=auth_client,
        refresh_token=auth_client.refresh_token,
        company_id=realm_id,
        minorversion=MINOR_VERSION,
        use_decimal=True,
    )
    if api_url:  # the emulator in sandbox mode and tests
        qb.api_url_v3 = qb.sandbox_api_url_v3 = api_url.rstrip("/")
    qb.batch_pacer = batch_pacer
    return qb


def _attr(obj: object, *path: str, default: object = None) -> object:
    """Walk attributes / dict keys, tolerating absent sections of Preferences."""
    for name in path:
        obj = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if obj is None:
            return default
    return obj


def read_company_profile(qb: QuickBooks) -> CompanyProfile:
    """CompanyInfo and Preferences → the facts cached on the connection. SDK failures pass
    through: callers run it under `clients.quickbooks_faults.sdk_call`, which translates them."""
    info = CompanyInfo.get(qb.company_id, qb=qb)
    prefs = Preferences.get(qb=qb)
    accounting = _attr(prefs, "AccountingInfoPrefs", default={})
    return CompanyProfile(
        company_name=str(_attr(info, "CompanyName", default="")),
        country=str(_attr(info, "Country", default="US"))[:2].upper(),
        home_currency=str(_attr(prefs, "CurrencyPrefs", "HomeCurrency", "value", default="USD")),
        multi_currency_enabled=bool(_attr(prefs, "CurrencyPrefs", "MultiCurrencyEnabled")),
        automated_sales_tax=bool(_attr(prefs, "TaxPrefs", "PartnerTaxEnabled")),
        using_sales_tax=bool(_attr(prefs, "TaxPrefs", "UsingSalesTax", default=True)),
        class_tracking=bool(
            _attr(accounting, "ClassTrackingPerTxn") or _attr(accounting, "ClassTrackingPerTxnLine")
        ),
        location_tracking=bool(_attr(accounting, "TrackDepartments")),
        custom_txn_numbers=bool(_attr(prefs, "SalesFormsPrefs", "CustomTxnNumbers")),
        # absent means off: the built-in shipping line is used only when QBO says it may be
        allow_shipping=bool(_attr(prefs, "SalesFormsPrefs", "AllowShipping")),
    )
