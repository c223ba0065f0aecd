"""In-memory data model of the emulated Shopify: apps, shops, tokens and each shop's records."""

from __future__ import annotations

import itertools
import threading
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from emulators.common.clock import Clock
from emulators.shopify.protected_data import FULL

DEMO_CLIENT_ID = "demo-client-id"
DEMO_CLIENT_SECRET = "demo-client-secret-0123456789abcdef"  # noqa: S105 - sandbox only
DEFAULT_SCOPES = (
    "read_orders,read_all_orders,read_products,write_products,read_inventory,write_inventory"
)

# Restore rate per plan, points per second.
# ref: https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
RESTORE_RATES = {"standard": 100, "advanced": 200, "plus": 1000, "enterprise": 2000}

# Shop-currency units per presentment unit is 1 / rate; rates are "presentment per 1 shop unit".
DEFAULT_EXCHANGE_RATES = {"EUR": Decimal("0.92"), "CAD": Decimal("1.36"), "GBP": Decimal("0.79")}


@dataclass
class AppRegistration:
    """An app the emulator knows (client id and secret, as in the Partner Dashboard)."""

    client_id: str
    secret: str
    scopes: str = DEFAULT_SCOPES
    # Protected customer data approvals (emulators/shopify/protected_data.py); tests' default:
    # level 2 with every field.
    protected: frozenset[str] = FULL


@dataclass
class AccessToken:
    """An Admin API access token for one app on one shop."""

    value: str
    shop: str
    client_id: str
    scope: str
    expires_at: datetime | None = None
    refresh_token: str | None = None
    refresh_expires_at: datetime | None = None
    replaced_by: str | None = None
    protected: frozenset[str] = FULL  # the app's approvals; an owner's token holds every one


@dataclass
class Location:
    """A stock location."""

    id: int
    name: str
    created_at: datetime
    active: bool = True


@dataclass
class InventoryItem:
    """A variant's inventory item; `levels` maps location id → {quantity name → value}."""

    id: int
    sku: str | None
    tracked: bool
    cost: Decimal | None
    created_at: datetime
    updated_at: datetime
    variant_id: int = 0
    levels: dict[int, dict[str, int]] = field(default_factory=dict)


@dataclass
class Variant:
    """A product variant."""

    id: int
    product_id: int
    title: str
    sku: str | None
    price: Decimal
    position: int
    inventory_item_id: int
    created_at: datetime
    updated_at: datetime
    barcode: str | None = None
    taxable: bool = True
    options: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Product:
    """A product with its variant ids in position order."""

    id: int
    title: str
    handle: str
    status: str
    vendor: str
    product_type: str
    created_at: datetime
    updated_at: datetime
    variant_ids: list[int] = field(default_factory=list)
    options: list[tuple[str, list[str]]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class Customer:
    """A customer."""

    id: int
    email: str | None
    first_name: str | None
    last_name: str | None
    created_at: datetime
    updated_at: datetime
    phone: str | None = None
    tax_exempt: bool = False


@dataclass
class WebhookSubscription:
    """An app's subscription to a topic on one shop."""

    id: int
    topic: str
    callback_url: str
    client_id: str
    created_at: datetime
    format: str = "JSON"


@dataclass
class Shop:
    """One store: settings plus every record, keyed by numeric id."""

    domain: str
    name: str
    currency: str = "USD"
    plan: str = "standard"
    email: str = "owner@example.com"
    iana_timezone: str = "UTC"
    taxes_included: bool = False
    exchange_rates: dict[str, Decimal] = field(default_factory=lambda: dict(DEFAULT_EXCHANGE_RATES))
    next_order_number: int = 1001
    locations: dict[int, Location] = field(default_factory=dict)
    products: dict[int, Product] = field(default_factory=dict)
    variants: dict[int, Variant] = field(default_factory=dict)
    inventory_items: dict[int, InventoryItem] = field(default_factory=dict)
    customers: dict[int, Customer] = field(default_factory=dict)
    orders: dict[int, Any] = field(default_factory=dict)
    webhooks: dict[int, WebhookSubscription] = field(default_factory=dict)
    idempotency: dict[tuple[str, str], Any] = field(default_factory=dict)
    # every inventorySetQuantities applied (a replay under a known key is not): the test's view
    # of the stock's history, as the admin's inventory adjustment history shows it
    adjustments: list[dict[str, Any]] = field(default_factory=list)
    bulk_operations: dict[int, Any] = field(default_factory=dict)
    created_at: datetime | None = None

    @property
    def number(self) -> int:
        """The shop's numeric id (stable, derived from its domain)."""
        return zlib.crc32(self.domain.encode())

    @property
    def gid(self) -> str:
        """The shop's node id."""
        return f"gid://shopify/Shop/{self.number}"


class EmulatorState:
    """Everything the emulator holds; one lock serialises all writes."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock or Clock()
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        """Forget every shop, token and app except the demo app."""
        with self.lock:
            self.shops: dict[str, Shop] = {}
            self.tokens: dict[str, AccessToken] = {}
            self.refresh_tokens: dict[str, AccessToken] = {}
            self.auth_codes: dict[str, tuple[str, str, str]] = {}
            self.apps: dict[str, AppRegistration] = {}
            self.oauth_deny = False
            self.buckets: dict[tuple[str, str], Any] = {}
            self.bucket_max = 2000
            self.bulk_delay = 0.0  # seconds a bulk operation stays RUNNING (test knob)
            self._ids = itertools.count(1001)
            self.register_app(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)

    def next_id(self) -> int:
        """A fresh numeric id, unique across all resource kinds."""
        with self.lock:
            return next(self._ids)

    def register_app(
        self,
        client_id: str,
        secret: str,
        scopes: str = DEFAULT_SCOPES,
        protected: frozenset[str] = FULL,
    ) -> None:
        """Make an app known to the emulator."""
        self.apps[client_id] = AppRegistration(client_id, secret, scopes, protected)

    def add_shop(self, domain: str, **settings: Any) -> Shop:
        """Create (or replace) a shop."""
        name = settings.pop("name", domain.split(".")[0].replace("-", " ").title())
        shop = Shop(domain=domain, name=name, created_at=self.clock.now(), **settings)
        with self.lock:
            self.shops[domain] = shop
        return shop

    def add_token(
        self,
        shop: str,
        client_id: str = DEMO_CLIENT_ID,
        value: str | None = None,
        expires_at: datetime | None = None,
        scope: str | None = None,
        owner: bool = False,
    ) -> AccessToken:
        """Issue an access token for an app on a shop (tests may pick the value and scopes); an
        owner's token holds every protected customer data approval, an app's its app's."""
        from secrets import token_hex

        app = self.apps[client_id]
        token = AccessToken(
            value or f"shpat_{token_hex(16)}",
            shop,
            client_id,
            app.scopes if scope is None else scope,
            expires_at=expires_at,
            protected=FULL if owner else app.protected,
        )
        with self.lock:
            self.tokens[token.value] = token
        return token
