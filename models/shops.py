"""Shops that installed the app, and each shop's QuickBooks Online connection."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, select, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from encryption import EncryptedText
from extensions import db
from models.base import Model, Timestamped, UTCDateTime, str_enum, upsert_statement
from models.settings import InventorySettings, ProductSettings, SalesSettings, SyncSettings


class ConnectionStatus(enum.StrEnum):
    CONNECTED = "connected"
    NEEDS_RECONNECT = "needs_reconnect"
    DISCONNECTED = "disconnected"


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
        if self.id is None:  # a shop just added: give it its id before its settings point at it
            db.session.flush()
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
