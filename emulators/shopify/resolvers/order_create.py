"""Mutation root: orderCreate (2025-01 shape: order: OrderCreateOrderInput!, options:)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from graphql import GraphQLResolveInfo

from emulators.shopify import rest
from emulators.shopify.context import RequestContext
from emulators.shopify.ids import parse_gid
from emulators.shopify.money import Currencies
from emulators.shopify.order_build import InputError, build_discount, build_lines, build_shipping
from emulators.shopify.order_model import Order, Transaction
from emulators.shopify.order_totals import display_financial_status
from emulators.shopify.resolvers.order_views import order_node
from emulators.shopify.resolvers.util import user_error
from emulators.shopify.store import Customer, Shop


def parse_datetime(value: str | None, default: datetime) -> datetime:
    """A DateTime input (ISO 8601) or the default."""
    if not value:
        return default
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=default.tzinfo)


def order_create(
    info: GraphQLResolveInfo, order: dict[str, Any], options: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Create an order as a developer does on a dev store; money is computed by the emulator."""
    ctx: RequestContext = info.context
    try:
        record = build_order(ctx, order)
    except InputError as exc:
        return {"order": None, "userErrors": [user_error(exc.field, exc.message, exc.code)]}
    ctx.shop.orders[record.id] = record
    ctx.shop.next_order_number = max(ctx.shop.next_order_number, record.number + 1)
    if (options or {}).get("inventoryBehaviour", "BYPASS") != "BYPASS":
        decrement_inventory(ctx.shop, record)
    emit_order_events(ctx, record, created=True, was_paid=False)
    return {"order": order_node(ctx.shop, record), "userErrors": []}


def build_order(ctx: RequestContext, data: dict[str, Any]) -> Order:
    """The Order for an OrderCreateOrderInput (raises InputError for userErrors)."""
    shop, now = ctx.shop, ctx.now()
    cur = currencies_for(shop, data)
    included = bool(data.get("taxesIncluded"))
    discount = build_discount(cur, data.get("discountCode"))
    lines = build_lines(cur, shop, data, included, discount, ctx.state.next_id)
    free = discount is not None and discount.kind == "free_shipping"
    shipping = build_shipping(cur, data.get("shippingLines"), free, included, ctx.state.next_id)
    processed = parse_datetime(data.get("processedAt"), now)
    if processed > now:
        raise InputError(
            ["order", "processedAt"],
            "Processed at must not be in the future",
            "PROCESSED_AT_INVALID",
        )
    number = shop.next_order_number
    record = Order(
        id=ctx.state.next_id(),
        number=number,
        name=data.get("name") or f"#{number}",
        currencies=cur,
        created_at=now,
        updated_at=now,
        processed_at=processed,
        taxes_included=included,
        test=bool(data.get("test")),
        line_items=lines,
        shipping_lines=shipping,
        discount=discount,
        email=data.get("email"),
        phone=data.get("phone"),
        note=data.get("note"),
        tags=list(data.get("tags") or []),
        source_name=data.get("sourceName") or "shopify_draft_order",
        billing_address=data.get("billingAddress"),
        shipping_address=data.get("shippingAddress"),
        closed_at=parse_datetime(data["closedAt"], now) if data.get("closedAt") else None,
    )
    record.customer_id = resolve_customer(ctx, data.get("customer"), data.get("email"))
    add_transactions(ctx, record, data.get("transactions") or [], data.get("financialStatus"))
    return record


def currencies_for(shop: Shop, data: dict[str, Any]) -> Currencies:
    """The order's shop-facing currency (default: the shop's) and presentment currency, with
    the rate between them from the shop's exchange rates (per unit of the shop currency)."""
    rates = {**shop.exchange_rates, shop.currency: Decimal(1)}
    shop_side = data.get("currency") or shop.currency
    presentment = data.get("presentmentCurrency") or shop_side
    for field, code in (("currency", shop_side), ("presentmentCurrency", presentment)):
        if code not in rates:
            raise InputError(["order", field], f"Currency {code} is not enabled for this shop")
    return Currencies(shop_side, presentment, rates[presentment] / rates[shop_side])


def add_transactions(
    ctx: RequestContext, order: Order, inputs: list[dict[str, Any]], financial_status: str | None
) -> None:
    """The given transactions; a given financialStatus is kept as is (see order_totals)."""
    cur, now = order.currencies, ctx.now()
    for t in inputs:
        order.transactions.append(
            Transaction(
                id=ctx.state.next_id(),
                kind=t.get("kind") or "SALE",
                status=t.get("status") or "SUCCESS",
                gateway=t.get("gateway") or "manual",
                amount=cur.from_input(t["amountSet"]),
                processed_at=parse_datetime(t.get("processedAt"), order.processed_at),
                created_at=now,
                test=bool(t.get("test") or order.test),
            )
        )
    order.financial_status_hint = financial_status


def resolve_customer(
    ctx: RequestContext, data: dict[str, Any] | None, email: str | None
) -> int | None:
    """toAssociate an existing customer, or toUpsert one (matched by id, then email)."""
    if not data:
        return None
    shop, now = ctx.shop, ctx.now()
    attrs = data.get("toAssociate") or data.get("toUpsert") or {}
    found = _find_customer(shop, attrs.get("id"), attrs.get("email") or email)
    if data.get("toAssociate"):
        if found is None:
            raise InputError(["order", "customer", "toAssociate"], "Customer does not exist")
        return found.id
    if found is None:
        found = Customer(ctx.state.next_id(), attrs.get("email") or email, None, None, now, now)
        shop.customers[found.id] = found
    found.first_name = attrs.get("firstName") or found.first_name
    found.last_name = attrs.get("lastName") or found.last_name
    found.phone = attrs.get("phone") or found.phone
    found.tax_exempt = bool(attrs.get("taxExempt", found.tax_exempt))
    found.updated_at = now
    return found.id


def _find_customer(shop: Shop, customer_gid: str | None, email: str | None) -> Customer | None:
    """A customer by gid, then by email (case-insensitive)."""
    if customer_gid:
        return shop.customers.get(parse_gid(customer_gid, "Customer"))
    if email:
        return next(
            (c for c in shop.customers.values() if (c.email or "").lower() == email.lower()), None
        )
    return None


def decrement_inventory(shop: Shop, order: Order) -> None:
    """Take sold quantities from the first location that stocks each variant."""
    for li in order.line_items:
        variant = shop.variants.get(li.variant_id) if li.variant_id else None
        item = shop.inventory_items.get(variant.inventory_item_id) if variant else None
        if item is None or not item.tracked or not item.levels:
            continue
        quantities = item.levels[min(item.levels)]
        for name in ("available", "on_hand"):
            quantities[name] = quantities.get(name, 0) - li.quantity


def emit_order_events(ctx: RequestContext, order: Order, *, created: bool, was_paid: bool) -> None:
    """orders/create or orders/updated, plus orders/paid when the order just became paid.

    ref: https://shopify.dev/docs/api/webhooks/2025-01 (orders/create, orders/updated, orders/paid)
    """
    payload = rest.order_payload(ctx.shop, order)
    ctx.emit("orders/create" if created else "orders/updated", payload)
    if not was_paid and display_financial_status(order) == "PAID":
        ctx.emit("orders/paid", payload)


FIELDS = {"orderCreate": order_create}
