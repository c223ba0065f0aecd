"""Shopify's order arithmetic: subtotal, discounts, shipping, tax, totals, current totals after
refunds, money received and refunded, and the display financial status.

Field meanings follow the 2025-01 schema descriptions of Order
(https://shopify.dev/docs/api/admin-graphql/2025-01/objects/Order), e.g.
subtotalPriceSet "after discounts and before returns … includes tax if taxesIncluded",
totalShippingPriceSet "before discounts and returns", currentTotalPriceSet "after returns".
"""

from __future__ import annotations

from dataclasses import dataclass

from emulators.shopify.money import Bag, total
from emulators.shopify.order_model import Order

RECEIVING_KINDS = {"SALE", "CAPTURE"}


@dataclass(frozen=True)
class Totals:
    """Every order-level amount, before and after refunds."""

    line_items: Bag
    subtotal: Bag
    discounts: Bag
    shipping: Bag
    tax: Bag
    total: Bag
    current_subtotal: Bag
    current_discounts: Bag
    current_shipping: Bag
    current_tax: Bag
    current_total: Bag
    received: Bag
    refunded: Bag
    net_payment: Bag
    outstanding: Bag


def order_totals(order: Order) -> Totals:
    """Compute every total of an order from its lines, shipping, transactions and refunds."""
    cur = order.currencies
    lines = order.line_items
    line_items = total(li.original_total(cur) for li in lines)
    subtotal = total(li.discounted_total(cur) for li in lines)
    line_discounts = total(li.discount for li in lines)
    shipping = total(s.price for s in order.shipping_lines)
    shipping_discounts = total(s.discount for s in order.shipping_lines)
    tax = total(t.price for li in lines for t in li.tax_lines)
    tax = tax + total(t.price for s in order.shipping_lines for t in s.tax_lines)
    refund_lines = [rl for r in order.refunds for rl in r.lines]
    current_subtotal = subtotal - total(rl.subtotal for rl in refund_lines)
    current_tax = tax - total(rl.total_tax for rl in refund_lines)
    current_tax = current_tax - total(r.shipping_tax for r in order.refunds)
    current_shipping = shipping - shipping_discounts - total(r.shipping for r in order.refunds)
    received = total(
        t.amount for t in order.transactions if t.succeeded and t.kind in RECEIVING_KINDS
    )
    refunded = total(t.amount for t in order.transactions if t.succeeded and t.kind == "REFUND")
    grand = subtotal + shipping - shipping_discounts
    current = current_subtotal + current_shipping
    if not order.taxes_included:
        grand, current = grand + tax, current + current_tax
    return Totals(
        line_items=line_items,
        subtotal=subtotal,
        discounts=line_discounts + shipping_discounts,
        shipping=shipping,
        tax=tax,
        total=grand,
        current_subtotal=current_subtotal,
        current_discounts=line_discounts
        + shipping_discounts
        - total(rl.discount for rl in refund_lines),
        current_shipping=current_shipping,
        current_tax=current_tax,
        current_total=current,
        received=received,
        refunded=refunded,
        net_payment=received - refunded,
        outstanding=current - (received - refunded),
    )


def display_financial_status(order: Order, totals: Totals | None = None) -> str:
    """OrderDisplayFinancialStatus.

    A financialStatus given to orderCreate persists, even if the transactions disagree, until a
    later operation on the order (refund, cancel, mark as paid) recalculates it (schema
    description of OrderCreateOrderInput.financialStatus). Otherwise it is derived: refund
    transactions win (REFUNDED when everything received went back), then captured money
    (PAID / PARTIALLY_PAID), then authorizations (AUTHORIZED, or VOIDED once voided), else
    PENDING (PAID for a zero total).
    """
    if order.financial_status_hint:
        return order.financial_status_hint
    totals = totals or order_totals(order)
    ok = [t for t in order.transactions if t.succeeded]
    if any(t.kind == "REFUND" for t in ok):
        return "REFUNDED" if totals.refunded.shop >= totals.received.shop else "PARTIALLY_REFUNDED"
    if totals.received.shop > 0:
        return "PAID" if totals.received.shop >= totals.total.shop else "PARTIALLY_PAID"
    auths = [t for t in ok if t.kind == "AUTHORIZATION"]
    if auths:
        voided = {t.parent_id for t in ok if t.kind == "VOID"}
        return "VOIDED" if all(a.id in voided for a in auths) else "AUTHORIZED"
    return "PAID" if totals.total.shop == 0 else "PENDING"


def refundable_quantity(order: Order, line_item_id: int) -> int:
    """How many units of a line item can still be refunded."""
    line = next(li for li in order.line_items if li.id == line_item_id)
    returned = sum(
        rl.quantity for r in order.refunds for rl in r.lines if rl.line_item_id == line_item_id
    )
    return line.quantity - returned
