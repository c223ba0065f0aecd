"""Mutation root: refundCreate and orderCancel.

ref: https://shopify.dev/docs/api/admin-graphql/2025-01/mutations/refundCreate
ref: https://shopify.dev/docs/api/admin-graphql/2025-01/mutations/orderCancel
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from graphql import GraphQLResolveInfo

from emulators.shopify import rest
from emulators.shopify.context import RequestContext
from emulators.shopify.ids import parse_gid
from emulators.shopify.money import Bag, total
from emulators.shopify.order_build import InputError
from emulators.shopify.order_model import LineItem, Order, Refund, RefundLine, Transaction
from emulators.shopify.order_totals import order_totals
from emulators.shopify.order_totals import refundable_quantity as remaining_quantity
from emulators.shopify.resolvers.order_views import order_node, refund_node
from emulators.shopify.resolvers.util import decimal, idempotent, user_error


def _refund_line(
    order: Order, line: LineItem, quantity: int, restock: str, location_id: int | None, new_id: int
) -> RefundLine:
    """Money of `quantity` units of a line; the last units take the rounding remainder."""
    cur = order.currencies
    done = [rl for r in order.refunds for rl in r.lines if rl.line_item_id == line.id]
    tax = total(t.price for t in line.tax_lines)
    if quantity == remaining_quantity(order, line.id):
        subtotal = line.discounted_total(cur) - total(rl.subtotal for rl in done)
        line_tax = tax - total(rl.total_tax for rl in done)
        discount = line.discount - total(rl.discount for rl in done)
    else:
        share = Decimal(quantity) / Decimal(line.quantity)
        subtotal = cur.scale(line.discounted_total(cur), share)
        line_tax, discount = cur.scale(tax, share), cur.scale(line.discount, share)
    return RefundLine(new_id, line.id, quantity, restock, subtotal, line_tax, discount, location_id)


def _shipping_refund(order: Order, data: dict[str, Any] | None) -> tuple[Bag, Bag]:
    """(shipping amount, shipping tax) refunded: the rest of it, or a given amount."""
    if not data:
        return Bag.zero(), Bag.zero()
    cur, totals = order.currencies, order_totals(order)
    remaining = totals.current_shipping
    ship_tax = total(t.price for s in order.shipping_lines for t in s.tax_lines)
    ship_tax = ship_tax - total(r.shipping_tax for r in order.refunds)
    if data.get("fullRefund"):
        return remaining, ship_tax
    if data.get("amount") is None:
        return Bag.zero(), Bag.zero()
    # ShippingRefundInput.amount is in the presentment currency, like refund transactions.
    amount = _in_order_currency(order, decimal(data["amount"]), cur.presentment)
    if amount.shop > remaining.shop:
        raise InputError(["shipping"], "Shipping refund amount is greater than refundable")
    share = amount.shop / remaining.shop if remaining.shop else Decimal(0)
    return amount, cur.scale(ship_tax, share)


def _in_order_currency(order: Order, amount: Decimal, currency: str | None) -> Bag:
    """An amount given in the presentment (or shop) currency as a Bag."""
    cur = order.currencies
    if currency == cur.shop or cur.shop == cur.presentment:
        return cur.from_shop(amount)
    return cur.round(Bag(amount / cur.rate, amount))


def _refund_transactions(
    ctx: RequestContext, order: Order, inputs: list[dict[str, Any]]
) -> list[Transaction]:
    """REFUND transactions (amounts in the presentment currency), within the net payment."""
    net = order_totals(order).net_payment
    txs = []
    for t in inputs:
        amount = decimal(t["amount"])
        # Refunding the whole presentment remainder refunds the whole shop remainder too.
        bag = (
            net
            if amount == net.presentment
            else _in_order_currency(order, amount, order.currencies.presentment)
        )
        parent = parse_gid(t.get("parentId") or "", "OrderTransaction")
        txs.append(
            Transaction(
                ctx.state.next_id(),
                "REFUND",
                "SUCCESS",
                t["gateway"],
                bag,
                ctx.now(),
                ctx.now(),
                parent,
                test=order.test,
            )
        )
    asked = total(t.amount for t in txs)
    if asked.shop > net.shop:
        raise InputError(
            ["transactions"],
            f"Refund amount {asked.shop} is greater than net payment received {net.shop}",
        )
    return txs


def create_refund(ctx: RequestContext, order: Order, data: dict[str, Any]) -> Refund:
    """Validate and record a refund on `order` (raises InputError)."""
    order.financial_status_hint = None  # an operation recalculates the status
    lines = {li.id: li for li in order.line_items}
    refund_lines = []
    for i, item in enumerate(data.get("refundLineItems") or []):
        line = lines.get(parse_gid(item["lineItemId"], "LineItem"))
        if line is None:
            raise InputError(["refundLineItems", i, "lineItemId"], "Line item does not exist")
        if not 0 < item["quantity"] <= remaining_quantity(order, line.id):
            raise InputError(
                ["refundLineItems", i, "quantity"],
                "Quantity cannot refund more items than were purchased",
            )
        location = parse_gid(item.get("locationId") or "", "Location")
        refund_lines.append(
            _refund_line(
                order,
                line,
                item["quantity"],
                item.get("restockType") or "NO_RESTOCK",
                location,
                ctx.state.next_id(),
            )
        )
    shipping, shipping_tax = _shipping_refund(order, data.get("shipping"))
    txs = _refund_transactions(ctx, order, data.get("transactions") or [])
    refund = Refund(
        ctx.state.next_id(),
        ctx.now(),
        data.get("note"),
        [],
        shipping,
        shipping_tax,
        [t.id for t in txs],
    )
    for rl in refund_lines:  # one at a time, so remainders see earlier lines of this refund
        refund.lines.append(rl)
    order.refunds.append(refund)
    order.transactions.extend(txs)
    order.updated_at = ctx.now()
    _restock(ctx, order, refund)
    return refund


def _restock(ctx: RequestContext, order: Order, refund: Refund) -> None:
    """Put RETURN/CANCEL quantities back at the given (or first) location."""
    shop = ctx.shop
    lines = {li.id: li for li in order.line_items}
    for rl in refund.lines:
        variant = shop.variants.get(lines[rl.line_item_id].variant_id or 0)
        item = shop.inventory_items.get(variant.inventory_item_id) if variant else None
        if rl.restock_type not in ("RETURN", "CANCEL") or item is None or not item.levels:
            continue
        level = item.levels.get(rl.location_id or min(item.levels), item.levels[min(item.levels)])
        for name in ("available", "on_hand"):
            level[name] = level.get(name, 0) + rl.quantity


@idempotent
def refund_create(info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    """refundCreate(input: RefundInput!)."""
    ctx: RequestContext = info.context
    order = ctx.shop.orders.get(parse_gid(input["orderId"], "Order"))
    if order is None:
        return {
            "refund": None,
            "order": None,
            "userErrors": [user_error(["orderId"], "Order does not exist")],
        }
    try:
        refund = create_refund(ctx, order, input)
    except InputError as exc:
        return {"refund": None, "order": None, "userErrors": [user_error(exc.field, exc.message)]}
    ctx.emit("refunds/create", rest.refund_payload(order, refund))
    ctx.emit("orders/updated", rest.order_payload(ctx.shop, order))
    return {
        "refund": refund_node(ctx.shop, order, refund),
        "order": order_node(ctx.shop, order),
        "userErrors": [],
    }


FIELDS = {"refundCreate": refund_create}
