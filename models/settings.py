"""The data model: shops, QuickBooks connections, workflow settings, sync runs and the ledger."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    select,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from encryption import EncryptedText
from extensions import Base, db

# Flask-SQLAlchemy builds db.Model at run time from Base; type checkers see Base itself.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
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


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def upsert_statement(model: type) -> Any:
    """INSERT with ON CONFLICT for the session's database (PostgreSQL or SQLite)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return postgresql_insert(model)
    return sqlite_insert(model)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes: every timestamp in the app is aware."""
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: use timezone-aware UTC")
        return None if value is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Attach UTC where the backend returned a naive value."""
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


def str_enum(py_enum: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint, values as stored strings."""
    return Enum(
        py_enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


class Timestamped:
    """created_at / updated_at maintained by the ORM."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ConnectionStatus(enum.StrEnum):
    CONNECTED = "connected"
    NEEDS_RECONNECT = "needs_reconnect"
    DISCONNECTED = "disconnected"


class Workflow(enum.StrEnum):
    SALES = "sales"
    PRODUCTS = "products"
    INVENTORY = "inventory"


class Trigger(enum.StrEnum):
    HOURLY = "hourly"
    MANUAL = "manual"
    WEBHOOK = "webhook"
    RETRY = "retry"
    CLI = "cli"
    SUPPORT = "support"


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"
    FAILED = "failed"
    ABANDONED = "abandoned"


class LedgerKind(enum.StrEnum):
    """What a ledger row stands for; refunds, cancellations, payouts designed in."""

    ORDER = "order"
    REFUND = "refund"
    CANCELLATION = "cancellation"
    PAYOUT = "payout"
    PRODUCT_VARIANT = "product_variant"
    INVENTORY_LEVEL = "inventory_level"


class PrivacyRequestKind(enum.StrEnum):
    DATA_REQUEST = "customers/data_request"
    CUSTOMER_REDACT = "customers/redact"


class LedgerStatus(enum.StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    POSTED = "posted"
    FAILED = "failed"
    SKIPPED = "skipped"
    VOIDED = "voided"


class Shop(Timestamped, Model):
    """A Shopify store that installed the app; tokens encrypted at rest."""

    __tablename__ = "shops"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_domain: Mapped[str] = mapped_column(String(255), unique=True)
    shopify_access_token: Mapped[str | None] = mapped_column(EncryptedText)
    shopify_access_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shopify_refresh_token: Mapped[str | None] = mapped_column(EncryptedText)
    shopify_refresh_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shopify_scopes: Mapped[str | None] = mapped_column(String(1000))
    # Read from Shopify at each sync: documents are dated in the shop's time zone.
    iana_timezone: Mapped[str | None] = mapped_column(String(64))
    currency: Mapped[str | None] = mapped_column(String(3))
    # Protected customer data level Shopify approved, learnt from a refusal (None: not refused).
    # ref: https://shopify.dev/docs/apps/launch/protected-customer-data
    shopify_customer_data: Mapped[int | None] = mapped_column(Integer)
    # Bumped on every token write so concurrent refreshes can compare-and-set.
    token_version: Mapped[int] = mapped_column(Integer, default=0)
    installed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    uninstalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    quickbooks_connection: Mapped[QuickBooksConnection | None] = relationship(
        back_populates="shop", cascade="all, delete-orphan", passive_deletes=True
    )
    # The four settings rows are created with the shop (`ensure_settings`, on install and before
    # every run): the code relies on them, so they are typed as present.
    sales_settings: Mapped[SalesSettings] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    product_settings: Mapped[ProductSettings] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    inventory_settings: Mapped[InventorySettings] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    sync_settings: Mapped[SyncSettings] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    @classmethod
    def by_domain(cls, shop_domain: str) -> Shop | None:
        """The shop with this myshopify.com domain, if it ever installed the app."""
        return db.session.scalar(select(cls).where(cls.shop_domain == shop_domain))

    def ensure_settings(self) -> None:
        """Create any missing workflow settings with their defaults (saved untouched, they work),
        safely while another request of the shop does the same."""
        for attr, model in (
            ("sales_settings", SalesSettings),
            ("product_settings", ProductSettings),
            ("inventory_settings", InventorySettings),
            ("sync_settings", SyncSettings),
        ):
            if getattr(self, attr) is None:
                # INSERT … ON CONFLICT DO NOTHING: a page's parallel first requests each find
                # the rows missing; whichever inserts first wins, the others read its row.
                db.session.execute(
                    upsert_statement(model).values(shop_id=self.id).on_conflict_do_nothing()
                )
                db.session.refresh(self, [attr])

    @property
    def is_installed(self) -> bool:
        """Installed and not since uninstalled."""
        return self.installed_at is not None and self.uninstalled_at is None


class QuickBooksConnection(Timestamped, Model):
    """The shop's one QBO company: encrypted tokens, status and the company facts workflows need."""

    __tablename__ = "quickbooks_connections"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), unique=True)
    realm_id: Mapped[str] = mapped_column(String(32))
    access_token: Mapped[str | None] = mapped_column(EncryptedText)
    access_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refresh_token: Mapped[str | None] = mapped_column(EncryptedText)
    refresh_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    token_version: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[ConnectionStatus] = mapped_column(
        str_enum(ConnectionStatus, "connection_status"), default=ConnectionStatus.CONNECTED
    )
    status_reason: Mapped[str | None] = mapped_column(Text)
    connected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Company facts, read once on connect and cached (refreshed on demand).
    company_name: Mapped[str | None] = mapped_column(String(255))
    country: Mapped[str | None] = mapped_column(String(2))
    home_currency: Mapped[str | None] = mapped_column(String(3))
    multi_currency_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    automated_sales_tax: Mapped[bool] = mapped_column(Boolean, default=False)
    using_sales_tax: Mapped[bool] = mapped_column(Boolean, default=True)
    class_tracking: Mapped[bool] = mapped_column(Boolean, default=False)
    location_tracking: Mapped[bool] = mapped_column(Boolean, default=False)
    custom_txn_numbers: Mapped[bool] = mapped_column(Boolean, default=True)
    # Preferences.SalesFormsPrefs.AllowShipping: may documents use QBO's built-in shipping line?
    allow_shipping: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    facts_refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    shop: Mapped[Shop] = relationship(back_populates="quickbooks_connection")


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


class SyncRun(Model):
    """One execution of a workflow for a shop: trigger, timing, progress and outcome counts."""

    __tablename__ = "sync_runs"
    __table_args__ = (
        Index("ix_sync_runs_shop_started", "shop_id", "started_at"),
        # One run per shop and workflow waits and one runs, whatever triggered it: the database
        # refuses a second, so racing triggers coalesce instead of posting side by side.
        *(
            Index(
                f"uq_sync_runs_one_{status}",
                "shop_id",
                "workflow",
                unique=True,
                postgresql_where=text(f"status = '{status}' AND NOT dry_run"),
                sqlite_where=text(f"status = '{status}' AND NOT dry_run"),
            )
            for status in ("queued", "running")
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    workflow: Mapped[Workflow] = mapped_column(str_enum(Workflow, "workflow"))
    trigger: Mapped[Trigger] = mapped_column(str_enum(Trigger, "trigger"))
    status: Mapped[RunStatus] = mapped_column(
        str_enum(RunStatus, "run_status"), default=RunStatus.QUEUED
    )
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    rq_job_id: Mapped[str | None] = mapped_column(String(64))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    failed_count: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    # What the run covers: {"order_ids": [...]} for named orders, {"full": true} for everything,
    # {} for what changed since the last complete run; "cursor" once a chunk has been done.
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The execution that owns the run now, and until when without a heartbeat (services/runs.py).
    owner: Mapped[str | None] = mapped_column(String(32))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    shop: Mapped[Shop] = relationship()


class LedgerEntry(Timestamped, Model):
    """One Shopify object handled by a workflow: the proof it was posted exactly once, and how."""

    __tablename__ = "sync_ledger"
    __table_args__ = (
        UniqueConstraint("shop_id", "kind", "shopify_id", name="uq_sync_ledger_shop_kind_object"),
        # Rows posted in one QBO batch share its request id; recovery looks them up by it.
        Index("ix_sync_ledger_shop_request_id", "shop_id", "request_id"),
        Index("ix_sync_ledger_shop_status", "shop_id", "status"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    kind: Mapped[LedgerKind] = mapped_column(str_enum(LedgerKind, "ledger_kind"))
    shopify_id: Mapped[str] = mapped_column(String(64))
    # The order a refund or cancellation belongs to; ids only, never personal data.
    parent_shopify_id: Mapped[str | None] = mapped_column(String(64))
    shopify_customer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    shopify_name: Mapped[str | None] = mapped_column(String(64))
    shopify_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    qbo_type: Mapped[str | None] = mapped_column(String(32))
    qbo_id: Mapped[str | None] = mapped_column(String(32))
    qbo_doc_number: Mapped[str | None] = mapped_column(String(21))
    qbo_related: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[LedgerStatus] = mapped_column(
        str_enum(LedgerStatus, "ledger_status"), default=LedgerStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_fix: Mapped[str | None] = mapped_column(Text)
    # Deterministic QBO requestid (<= 50 chars) so a retried POST is replayed, not re-executed.
    request_id: Mapped[str | None] = mapped_column(String(50))
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    shopify_total: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    qbo_total: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("sync_runs.id", ondelete="SET NULL"), index=True
    )
    # The run execution holding an in_progress row, and until when (renewed by its heartbeat):
    # only a row whose lease has run out may be taken over (see services/ledger.py).
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ProcessedWebhook(Model):
    """A webhook delivery already accepted, so Shopify's retries are not processed twice."""

    __tablename__ = "processed_webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[str] = mapped_column(String(255), unique=True)
    shop_id: Mapped[int | None] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), index=True
    )
    shop_domain: Mapped[str] = mapped_column(String(255))
    topic: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    rq_job_id: Mapped[str | None] = mapped_column(String(64))


class PrivacyRequest(Model):
    """A customer privacy request from Shopify and what was done (ids and counts only)."""

    __tablename__ = "privacy_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PrivacyRequestKind] = mapped_column(
        str_enum(PrivacyRequestKind, "privacy_request_kind")
    )
    shopify_request_id: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # For a data request: what Ledgerbridge holds about the customer, for the merchant to send.
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
