"""The stored settings and company facts of a shop, as the sales rules take them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from clients.errors import AuthError
from extensions import db
from models import PaymentGatewayMapping, QuickBooksConnection, Shop
from rules.settings import CompanyFacts, ResolvedIds, SalesOptions
from settings_schema import Sales, SettingsSection, Sync


def company_facts(connection: QuickBooksConnection | None) -> CompanyFacts:
    """The facts cached on the connection when it was made (or last refreshed)."""
    if connection is None:
        raise AuthError("QuickBooks is not connected", "Connect QuickBooks from Ledgerbridge.")
    return CompanyFacts(
        country=connection.country or "US",
        home_currency=connection.home_currency or "USD",
        multi_currency=connection.multi_currency_enabled,
        automated_sales_tax=connection.automated_sales_tax,
        using_sales_tax=connection.using_sales_tax,
        custom_txn_numbers=connection.custom_txn_numbers,
        allow_shipping=connection.allow_shipping,
        tracks_classes=connection.class_tracking,
        tracks_locations=connection.location_tracking,
    )


def _gateways(shop_id: int) -> tuple[dict[str, str], dict[str, str]]:
    """Per-gateway clearing accounts and payment methods the merchant mapped."""
    accounts, methods = {}, {}
    for row in db.session.scalars(select(PaymentGatewayMapping).filter_by(shop_id=shop_id)):
        if row.qbo_clearing_account_id:
            accounts[row.gateway] = row.qbo_clearing_account_id
        if row.qbo_payment_method_id:
            methods[row.gateway] = row.qbo_payment_method_id
    return accounts, methods


def sales_options(shop: Shop, lookups: ResolvedIds | None = None) -> SalesOptions:
    """Every sales option for this shop, from its stored settings, with the run's lookups."""
    sales, sync = shop.sales_settings, shop.sync_settings
    accounts, methods = _gateways(shop.id)
    return SalesOptions.from_settings(
        stored(sales, Sales),
        stored(sync, Sync),
        company=company_facts(shop.quickbooks_connection),
        lookups=lookups or ResolvedIds(),
        customer_data=shop.shopify_customer_data,
        gateway_accounts=accounts,
        payment_methods=methods,
        shop_domain=shop.shop_domain,
        shop_timezone=shop.iana_timezone or "UTC",
    )


def stored(row: object, section: type[SettingsSection]) -> dict[str, Any]:
    """A settings row's value of every setting the schema declares for its section."""
    return {name: getattr(row, name) for name in section.model_fields}
