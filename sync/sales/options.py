"""The stored settings and company facts of a shop, as the sales rules take them."""

from __future__ import annotations

from sqlalchemy import select

from extensions import db
from models import ItemType, PaymentGatewayMapping, QuickBooksConnection, SalesSettings, Shop
from rules.settings import CompanyFacts, Lookups, SalesOptions

ITEM_TYPES = {ItemType.NON_INVENTORY: "NonInventory", ItemType.INVENTORY: "Inventory"}


def company_facts(connection: QuickBooksConnection) -> CompanyFacts:
    """The facts cached on the connection when it was made (or last refreshed)."""
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


def sales_options(shop: Shop, lookups: Lookups | None = None) -> SalesOptions:
    """Every sales option for this shop, with the run's resolved lookups."""
    sales: SalesSettings = shop.sales_settings
    accounts, methods = _gateways(shop.id)
    return SalesOptions(
        company=company_facts(shop.quickbooks_connection),
        lookups=lookups or Lookups(),
        statuses=frozenset(sales.financial_statuses),
        start_date=shop.sync_settings.integration_start_date,
        document_type=sales.document_type.value,
        order_number_prefix=sales.order_number_prefix,
        auto_doc_number=sales.auto_doc_number,
        customer_mode=sales.customer_mode.value,
        generic_customer_name=sales.generic_customer_name,
        customer_data=shop.shopify_customer_data,
        shipping_item_id=sales.qbo_shipping_item_id,
        discount_item_id=sales.qbo_discount_item_id,
        default_item_id=sales.qbo_default_item_id,
        tip_item_id=sales.qbo_tip_item_id,
        duty_item_id=sales.qbo_duty_item_id,
        gift_card_item_id=sales.qbo_gift_card_item_id,
        rounding_item_id=sales.qbo_rounding_item_id,
        class_id=sales.qbo_class_id,
        department_id=sales.qbo_department_id,
        sku_match_field=sales.sku_match_field.value,
        create_items=sales.create_items,
        item_type=ITEM_TYPES[sales.item_type],
        income_account_id=sales.qbo_income_account_id,
        expense_account_id=sales.qbo_expense_account_id,
        cogs_account_id=sales.qbo_cogs_account_id,
        asset_account_id=sales.qbo_asset_account_id,
        inventory_start_date=sales.inventory_start_date,
        untaxed_tax_code_id=sales.qbo_untaxed_tax_code_id,
        record_payments=sales.record_payments,
        date_after_book_close=sales.date_after_book_close,
        clearing_account_id=sales.qbo_clearing_account_id,
        gateway_accounts=accounts,
        payment_methods=methods,
        shop_domain=shop.shop_domain,
        shop_timezone=shop.iana_timezone or "UTC",
    )
