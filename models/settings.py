"""Each shop's workflow settings, and its tax and payment-gateway mappings to QBO."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Numeric,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, Timestamped, UTCDateTime, str_enum
from settings_schema import (
    CustomerMode,
    DocumentType,
    Inventory,
    ItemType,
    Products,
    Sales,
    SkuMatchField,
    Sync,
    default,
)


class SalesSettings(Timestamped, Model):
    """Workflow 1, sales: how Shopify orders become QBO documents. QBO ids are strings."""

    __tablename__ = "sales_settings"
    __table_args__ = (
        CheckConstraint(
            "NOT (create_items AND item_type = 'inventory' AND inventory_start_date IS NULL)",
            name="inventory_items_need_start_date",
        ),
    )

    shop_id: Mapped[int] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=default(Sales, "enabled"))
    financial_statuses: Mapped[list[str]] = mapped_column(
        JSON, default=default(Sales, "financial_statuses")
    )
    document_type: Mapped[DocumentType] = mapped_column(
        str_enum(DocumentType, "document_type"), default=default(Sales, "document_type")
    )
    order_number_prefix: Mapped[str] = mapped_column(
        String(20), default=default(Sales, "order_number_prefix")
    )
    auto_doc_number: Mapped[bool] = mapped_column(
        Boolean, default=default(Sales, "auto_doc_number")
    )
    customer_mode: Mapped[CustomerMode] = mapped_column(
        str_enum(CustomerMode, "customer_mode"), default=default(Sales, "customer_mode")
    )
    generic_customer_name: Mapped[str] = mapped_column(
        String(100), default=default(Sales, "generic_customer_name")
    )
    qbo_shipping_item_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_shipping_item_id")
    )
    qbo_discount_item_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_discount_item_id")
    )
    qbo_default_item_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_default_item_id")
    )
    qbo_tip_item_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_tip_item_id")
    )
    qbo_duty_item_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_duty_item_id")
    )
    qbo_gift_card_item_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_gift_card_item_id")
    )
    qbo_rounding_item_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_rounding_item_id")
    )
    qbo_class_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_class_id")
    )
    qbo_department_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_department_id")
    )
    # Non-US companies need a tax code on every line: this one (zero-rated/exempt) for untaxed.
    qbo_untaxed_tax_code_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_untaxed_tax_code_id")
    )
    sku_match_field: Mapped[SkuMatchField] = mapped_column(
        str_enum(SkuMatchField, "sku_match_field"), default=default(Sales, "sku_match_field")
    )
    create_items: Mapped[bool] = mapped_column(Boolean, default=default(Sales, "create_items"))
    item_type: Mapped[ItemType] = mapped_column(
        str_enum(ItemType, "item_type"), default=default(Sales, "item_type")
    )
    qbo_income_account_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_income_account_id")
    )
    qbo_expense_account_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_expense_account_id")
    )
    qbo_cogs_account_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_cogs_account_id")
    )
    qbo_asset_account_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_asset_account_id")
    )
    inventory_start_date: Mapped[date | None] = mapped_column(
        Date, default=default(Sales, "inventory_start_date")
    )
    record_payments: Mapped[bool] = mapped_column(
        Boolean, default=default(Sales, "record_payments")
    )
    # Orders dated in a period closed in QBO: fail them (False) or date them the first open day.
    date_after_book_close: Mapped[bool] = mapped_column(
        Boolean, server_default=false(), default=default(Sales, "date_after_book_close")
    )
    # None means QBO's Undeposited Funds, the default clearing account.
    qbo_clearing_account_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_clearing_account_id")
    )
    qbo_payment_method_id: Mapped[str | None] = mapped_column(
        String(32), default=default(Sales, "qbo_payment_method_id")
    )


class ProductSettings(Timestamped, Model):
    """Workflow 2, products: every Shopify variant becomes a QBO item (item settings of sales)."""

    __tablename__ = "product_settings"

    shop_id: Mapped[int] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=default(Products, "enabled"))
    update_existing_items: Mapped[bool] = mapped_column(
        Boolean, default=default(Products, "update_existing_items")
    )
    deactivate_deleted_items: Mapped[bool] = mapped_column(
        Boolean, default=default(Products, "deactivate_deleted_items")
    )


class InventorySettings(Timestamped, Model):
    """Workflow 3, inventory: QBO quantity on hand pushed to one Shopify location."""

    __tablename__ = "inventory_settings"
    __table_args__ = (
        CheckConstraint("max_zero_share >= 0 AND max_zero_share <= 1", name="zero_share_range"),
        CheckConstraint(
            "max_change_share >= 0 AND max_change_share <= 1", name="change_share_range"
        ),
        CheckConstraint(
            "NOT enabled OR shopify_location_id IS NOT NULL", name="enabled_needs_location"
        ),
    )

    shop_id: Mapped[int] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=default(Inventory, "enabled"))
    shopify_location_id: Mapped[str | None] = mapped_column(
        String(64), default=default(Inventory, "shopify_location_id")
    )
    # Refuse a push that would zero more than this share of tracked variants at once.
    max_zero_share: Mapped[Decimal] = mapped_column(
        Numeric(5, 4), default=default(Inventory, "max_zero_share")
    )
    # Refuse a push that would change more than this share of tracked variants at once.
    max_change_share: Mapped[Decimal] = mapped_column(
        Numeric(5, 4),
        default=default(Inventory, "max_change_share"),
        server_default=text("0.5"),
    )
    opening_stock_confirmed: Mapped[bool] = mapped_column(
        Boolean, default=default(Inventory, "opening_stock_confirmed")
    )
    preview_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SyncSettings(Timestamped, Model):
    """Sync settings: start date, terms, and the automated triggers that need the terms accepted."""

    __tablename__ = "sync_settings"
    __table_args__ = (
        CheckConstraint(
            "NOT (hourly_sync_enabled OR webhook_sync_enabled) OR terms_accepted_at IS NOT NULL",
            name="automation_needs_terms",
        ),
    )

    shop_id: Mapped[int] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    integration_start_date: Mapped[date | None] = mapped_column(
        Date, default=default(Sync, "integration_start_date")
    )
    terms_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    terms_version: Mapped[str | None] = mapped_column(String(20))
    hourly_sync_enabled: Mapped[bool] = mapped_column(
        Boolean, default=default(Sync, "hourly_sync_enabled")
    )
    webhook_sync_enabled: Mapped[bool] = mapped_column(
        Boolean, default=default(Sync, "webhook_sync_enabled")
    )


class TaxMapping(Timestamped, Model):
    """A distinct Shopify tax (title, rate, jurisdiction) and the QBO tax code/rate it maps to."""

    __tablename__ = "tax_mappings"
    __table_args__ = (
        UniqueConstraint(
            "shop_id", "title", "rate", "country_code", "region_code", name="uq_tax_mappings_tax"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    rate: Mapped[Decimal] = mapped_column(Numeric(9, 6))
    # Empty string, not NULL, when unknown: NULLs would defeat the unique constraint.
    country_code: Mapped[str] = mapped_column(String(2), default="")
    region_code: Mapped[str] = mapped_column(String(16), default="")
    qbo_tax_code_id: Mapped[str | None] = mapped_column(String(32))
    qbo_tax_rate_id: Mapped[str | None] = mapped_column(String(32))
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PaymentGatewayMapping(Timestamped, Model):
    """A Shopify payment gateway and the QBO clearing account / payment method it posts to."""

    __tablename__ = "payment_gateway_mappings"
    __table_args__ = (
        UniqueConstraint("shop_id", "gateway", name="uq_payment_gateway_mappings_gateway"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    gateway: Mapped[str] = mapped_column(String(255))
    qbo_clearing_account_id: Mapped[str | None] = mapped_column(String(32))
    qbo_payment_method_id: Mapped[str | None] = mapped_column(String(32))
