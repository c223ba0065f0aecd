"""Shopify orders as typed, frozen data, parsed from the GraphQL JSON of ORDER_FIELDS.

Field meanings: Admin GraphQL 2025-01 Order (https://shopify.dev/docs/api/admin-graphql/2025-01/objects/Order);
every amount is a MoneyBag: shopMoney in the shop's currency, presentmentMoney in the buyer's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from rules.money import ZERO, to_decimal

RECEIVING_KINDS = frozenset({"SALE", "CAPTURE"})


@dataclass(frozen=True)
class Money:
    """One amount in the shop's currency and in the order's presentment currency."""

    shop: Decimal = ZERO
    presentment: Decimal = ZERO

    def side(self, presentment: bool) -> Decimal:
        """The presentment amount when `presentment`, else the shop amount."""
        return self.presentment if presentment else self.shop

    def __add__(self, other: Money) -> Money:
        return Money(self.shop + other.shop, self.presentment + other.presentment)


@dataclass(frozen=True)
class TaxLine:
    """A tax charged on a line item or shipping line (rate is a fraction: 0.05 for 5%)."""

    title: str
    rate: Decimal
    amount: Money


@dataclass(frozen=True)
class LineItem:
    """An order line; `discount` is the sum of its discount allocations (line and order level)."""

    id: str
    name: str
    title: str
    sku: str | None
    quantity: int
    current_quantity: int
    unit_price: Money
    discount: Money
    tax_lines: tuple[TaxLine, ...]
    taxable: bool = True
    is_gift_card: bool = False
    requires_shipping: bool = True
    variant_id: str | None = None


@dataclass(frozen=True)
class ShippingLine:
    """A shipping charge (price before discounts; gross when the order's taxes are included)."""

    title: str
    code: str | None
    price: Money
    discount: Money
    tax_lines: tuple[TaxLine, ...]
    is_removed: bool = False


@dataclass(frozen=True)
class Transaction:
    """A payment transaction."""

    id: str
    kind: str
    status: str
    gateway: str
    amount: Money
    processed_at: datetime | None
    test: bool = False

    @property
    def received(self) -> bool:
        """True for money that came in (successful SALE or CAPTURE)."""
        return self.status == "SUCCESS" and self.kind in RECEIVING_KINDS

    @property
    def refunded(self) -> bool:
        """True for money that went back (successful REFUND)."""
        return self.status == "SUCCESS" and self.kind == "REFUND"


@dataclass(frozen=True)
class Customer:
    """The Shopify customer of an order."""

    id: str
    email: str | None
    first_name: str | None
    last_name: str | None
    display_name: str | None


@dataclass(frozen=True)
class Address:
    """The parts of an address the rules use."""

    company: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    country_code: str | None = None
    province_code: str | None = None


@dataclass(frozen=True)
class ShopifyOrder:
    """An order with every field the accounting rules read."""

    id: str
    name: str
    created_at: datetime
    processed_at: datetime
    updated_at: datetime | None
    cancelled_at: datetime | None
    test: bool
    taxes_included: bool
    currency: str
    presentment_currency: str
    financial_status: str
    customer: Customer | None
    billing_address: Address | None
    shipping_address: Address | None
    line_items: tuple[LineItem, ...]
    shipping_lines: tuple[ShippingLine, ...]
    transactions: tuple[Transaction, ...]
    current_total: Money
    current_tax: Money
    current_shipping: Money | None = None
    total_tip: Money = Money()
    current_duties: Money = Money()
    email: str | None = None  # the order's contact email (a guest checkout's only one)
    unread: str | None = None  # why the order could not be read whole (it is not posted)
    malformed: bool = False  # its data could not be parsed: `unread` says why; it fails, unposted

    @property
    def legacy_id(self) -> str:
        """The numeric id of the order's gid (what admin URLs use)."""
        return self.id.rsplit("/", 1)[-1]

    @property
    def number(self) -> str:
        """The order name without its leading '#' (e.g. '1001')."""
        return self.name.lstrip("#")

    @property
    def country_code(self) -> str | None:
        """Where the goods went (shipping address, else billing): the tax jurisdiction."""
        for address in (self.shipping_address, self.billing_address):
            if address and address.country_code:
                return address.country_code
        return None


def parse_money(bag: dict[str, Any] | None) -> Money:
    """A Money from a MoneyBag {shopMoney{amount} presentmentMoney{amount}}."""
    if not bag:
        return Money()
    shop = to_decimal((bag.get("shopMoney") or {}).get("amount"))
    presentment = (bag.get("presentmentMoney") or {}).get("amount")
    return Money(shop, shop if presentment is None else to_decimal(presentment))


def parse_time(value: str | None) -> datetime | None:
    """A DateTime scalar ('2025-02-01T10:00:00Z') as an aware datetime."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _nodes(conn: Any) -> list[dict[str, Any]]:
    """Nodes of a connection ({nodes} or {edges{node}}) or a plain list."""
    if isinstance(conn, list):
        return conn
    if not conn:
        return []
    return conn.get("nodes") or [e["node"] for e in conn.get("edges") or []]


def _tax_lines(raw: list[dict[str, Any]] | None) -> tuple[TaxLine, ...]:
    """TaxLines (rate is a Float in the schema: str() keeps its short decimal form)."""
    return tuple(
        TaxLine(t.get("title") or "", to_decimal(t.get("rate")), parse_money(t.get("priceSet")))
        for t in raw or []
    )


def _allocated(raw: list[dict[str, Any]] | None) -> Money:
    """The sum of discount allocations."""
    total = Money()
    for allocation in raw or []:
        total = total + parse_money(allocation.get("allocatedAmountSet"))
    return total


def _line_item(node: dict[str, Any]) -> LineItem:
    """One LineItem node."""
    variant = node.get("variant") or {}
    quantity = int(node.get("quantity") or 0)
    current = node.get("currentQuantity")
    return LineItem(
        id=node["id"],
        name=node.get("name") or node.get("title") or "",
        title=node.get("title") or node.get("name") or "",
        sku=node.get("sku") or variant.get("sku") or None,
        quantity=quantity,
        current_quantity=quantity if current is None else int(current),
        unit_price=parse_money(node.get("originalUnitPriceSet")),
        discount=_allocated(node.get("discountAllocations")),
        tax_lines=_tax_lines(node.get("taxLines")),
        taxable=node.get("taxable") is not False,
        is_gift_card=bool(node.get("isGiftCard")),
        requires_shipping=node.get("requiresShipping") is not False,
        variant_id=variant.get("id"),
    )


def _shipping_line(node: dict[str, Any]) -> ShippingLine:
    """One ShippingLine node."""
    return ShippingLine(
        title=node.get("title") or "Shipping",
        code=node.get("code"),
        price=parse_money(node.get("originalPriceSet")),
        discount=_allocated(node.get("discountAllocations")),
        tax_lines=_tax_lines(node.get("taxLines")),
        is_removed=bool(node.get("isRemoved")),
    )


def _transaction(node: dict[str, Any]) -> Transaction:
    """One OrderTransaction."""
    return Transaction(
        id=node["id"],
        kind=node.get("kind") or "",
        status=node.get("status") or "",
        gateway=node.get("gateway") or "manual",
        amount=parse_money(node.get("amountSet")),
        processed_at=parse_time(node.get("processedAt")),
        test=bool(node.get("test")),
    )


def _address(raw: dict[str, Any] | None) -> Address | None:
    """An address, or None."""
    if not raw:
        return None
    return Address(
        company=raw.get("company"),
        first_name=raw.get("firstName"),
        last_name=raw.get("lastName"),
        country_code=raw.get("countryCodeV2"),
        province_code=raw.get("provinceCode"),
    )


def _customer(raw: dict[str, Any] | None) -> Customer | None:
    """The order's customer, or None (guest checkout without a customer record)."""
    if not raw:
        return None
    return Customer(
        id=raw["id"],
        email=raw.get("email"),
        first_name=raw.get("firstName"),
        last_name=raw.get("lastName"),
        display_name=raw.get("displayName"),
    )


def parse_order(node: dict[str, Any]) -> ShopifyOrder:
    """A ShopifyOrder from an Order node of ORDER_QUERY / ORDERS_QUERY."""
    created = parse_time(node.get("createdAt"))
    processed = parse_time(node.get("processedAt")) or created
    if created is None or processed is None:
        raise ValueError(f"order {node.get('id')} has no createdAt")
    return ShopifyOrder(
        id=node["id"],
        name=node.get("name") or "",
        created_at=created,
        processed_at=processed,
        updated_at=parse_time(node.get("updatedAt")),
        cancelled_at=parse_time(node.get("cancelledAt")),
        test=bool(node.get("test")),
        taxes_included=bool(node.get("taxesIncluded")),
        currency=node.get("currencyCode") or "USD",
        presentment_currency=node.get("presentmentCurrencyCode")
        or node.get("currencyCode")
        or "USD",
        financial_status=node.get("displayFinancialStatus") or "PENDING",
        customer=_customer(node.get("customer")),
        billing_address=_address(node.get("billingAddress")),
        shipping_address=_address(node.get("shippingAddress")),
        line_items=tuple(_line_item(n) for n in _nodes(node.get("lineItems"))),
        shipping_lines=tuple(_shipping_line(n) for n in _nodes(node.get("shippingLines"))),
        transactions=tuple(_transaction(n) for n in _nodes(node.get("transactions"))),
        current_total=parse_money(node.get("currentTotalPriceSet")),
        current_tax=parse_money(node.get("currentTotalTaxSet")),
        current_shipping=(
            parse_money(node["currentShippingPriceSet"])
            if node.get("currentShippingPriceSet")
            else None
        ),
        total_tip=parse_money(node.get("totalTipReceivedSet")),
        current_duties=parse_money(node.get("currentTotalDutiesSet")),
        email=node.get("email") or None,
        unread=node.get("unreadReason"),
    )


# What bad data in one order node raises while it is parsed (Decimal's InvalidOperation is an
# ArithmeticError; a string where an object belongs raises AttributeError).
PARSE_ERRORS = (ValueError, KeyError, TypeError, AttributeError, ArithmeticError)
MALFORMED = "Shopify sent this order with data Ledgerbridge cannot read ({why})"


def parse_order_or_malformed(node: dict[str, Any]) -> ShopifyOrder | None:
    """`parse_order`, or for a node whose data cannot be parsed an order carrying only its ids,
    name and dates, marked `malformed` with the reason (it fails alone, never its batch).
    None when the node has not even an id to record that against."""
    try:
        return parse_order(node)
    except PARSE_ERRORS as exc:
        order_id = node.get("id") if isinstance(node, dict) else None
        if not isinstance(order_id, str) or not order_id:
            return None
        why = f"{type(exc).__name__}: {str(exc)[:200]}" if str(exc) else type(exc).__name__
        return _malformed(node, order_id, MALFORMED.format(why=why))


def _malformed(node: dict[str, Any], order_id: str, reason: str) -> ShopifyOrder:
    """The order's ids, name and dates as far as they parse; nothing to book."""

    def when(key: str) -> datetime | None:
        try:
            return parse_time(node.get(key))
        except PARSE_ERRORS:
            return None

    updated = when("updatedAt")
    created = when("createdAt") or when("processedAt") or updated or datetime.now(UTC)
    name = node.get("name")
    return ShopifyOrder(
        id=order_id,
        name=name if isinstance(name, str) else "",
        created_at=created,
        processed_at=when("processedAt") or created,
        updated_at=updated,
        cancelled_at=None,
        test=False,
        taxes_included=False,
        currency="USD",
        presentment_currency="USD",
        financial_status="",
        customer=None,
        billing_address=None,
        shipping_address=None,
        line_items=(),
        shipping_lines=(),
        transactions=(),
        current_total=Money(),
        current_tax=Money(),
        unread=reason,
        malformed=True,
    )
