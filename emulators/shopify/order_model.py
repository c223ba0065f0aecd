"""Orders as the emulator stores them: lines, shipping, discounts, transactions, refunds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from emulators.shopify.money import Bag, Currencies


@dataclass
class TaxLine:
    """A tax charged on a line item or shipping line."""

    title: str
    rate: Decimal
    price: Bag
    channel_liable: bool = False


@dataclass
class LineItem:
    """An order line; `discount` is its share of the order's discount application."""

    id: int
    title: str
    quantity: int
    unit_price: Bag
    discount: Bag
    sku: str | None = None
    variant_title: str | None = None
    variant_id: int | None = None
    product_id: int | None = None
    vendor: str | None = None
    taxable: bool = True
    requires_shipping: bool = False
    tax_lines: list[TaxLine] = field(default_factory=list)

    def original_total(self, cur: Currencies) -> Bag:
        """Unit price × quantity, before discounts."""
        return cur.times(self.unit_price, self.quantity)

    def discounted_total(self, cur: Currencies) -> Bag:
        """Unit price × quantity minus this line's discount allocation."""
        return self.original_total(cur) - self.discount


@dataclass
class ShippingLine:
    """A shipping charge; `discount` comes from a free-shipping code."""

    id: int
    title: str
    price: Bag
    discount: Bag
    code: str | None = None
    source: str | None = None
    tax_lines: list[TaxLine] = field(default_factory=list)


@dataclass
class DiscountApplication:
    """The order's discount code: percentage or fixed amount on lines, or free shipping."""

    code: str
    kind: str  # "percentage" | "fixed_amount" | "free_shipping"
    percentage: Decimal | None = None
    amount: Bag | None = None

    @property
    def target_type(self) -> str:
        """LINE_ITEM or SHIPPING_LINE."""
        return "SHIPPING_LINE" if self.kind == "free_shipping" else "LINE_ITEM"


@dataclass
class Transaction:
    """A payment transaction (sale, authorization, capture, void, refund)."""

    id: int
    kind: str
    status: str
    gateway: str
    amount: Bag
    processed_at: datetime
    created_at: datetime
    parent_id: int | None = None
    test: bool = False

    @property
    def succeeded(self) -> bool:
        """True for SUCCESS transactions."""
        return self.status == "SUCCESS"


@dataclass
class RefundLine:
    """Quantity of one line item given back, with its money."""

    id: int
    line_item_id: int
    quantity: int
    restock_type: str
    subtotal: Bag
    total_tax: Bag
    discount: Bag
    location_id: int | None = None


@dataclass
class Refund:
    """A refund: returned lines, refunded shipping, and the refund transactions."""

    id: int
    created_at: datetime
    note: str | None
    lines: list[RefundLine]
    shipping: Bag
    shipping_tax: Bag
    transaction_ids: list[int]


@dataclass
class Order:
    """An order with everything Shopify computes totals from."""

    id: int
    number: int
    name: str
    currencies: Currencies
    created_at: datetime
    updated_at: datetime
    processed_at: datetime
    taxes_included: bool
    test: bool
    line_items: list[LineItem]
    shipping_lines: list[ShippingLine]
    discount: DiscountApplication | None = None
    transactions: list[Transaction] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)
    financial_status_hint: str | None = None
    email: str | None = None
    phone: str | None = None
    customer_id: int | None = None
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    source_name: str = "shopify_draft_order"
    closed_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    billing_address: dict | None = None
    shipping_address: dict | None = None
