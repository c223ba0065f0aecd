"""GraphQL shapes of Order and Refund."""

from __future__ import annotations

from typing import Any

from emulators.shopify.ids import gid
from emulators.shopify.money import Bag, Currencies, total
from emulators.shopify.order_model import Order, Refund, RefundLine
from emulators.shopify.order_totals import (
    Totals,
    display_financial_status,
    order_totals,
    refundable_quantity,
)
from emulators.shopify.resolvers.line_views import (
    customer_node,
    discount_application_node,
    line_item_node,
    shipping_line_node,
    transaction_node,
)
from emulators.shopify.resolvers.views_common import (
    address_node,
    aggregate_tax_lines,
    iso,
    lazy_connection,
    tax_line_node,
)
from emulators.shopify.store import Shop


def order_node(shop: Shop, order: Order) -> dict[str, Any]:
    """The Order object."""
    totals = order_totals(order)
    node = _order_scalars(order, totals)
    node.update(_order_children(shop, order))
    node.update(_money_fields(order.currencies, totals))
    return node


def _order_scalars(order: Order, totals: Totals) -> dict[str, Any]:
    """Order's scalar and enum fields."""
    status = display_financial_status(order, totals)
    return {
        "__typename": "Order",
        "id": gid("Order", order.id),
        "legacyResourceId": str(order.id),
        "name": order.name,
        "number": order.number,
        "email": order.email,
        "phone": order.phone,
        "note": order.note,
        "tags": order.tags,
        "test": order.test,
        "sourceName": order.source_name,
        "confirmed": True,
        "dutiesIncluded": False,
        "createdAt": iso(order.created_at),
        "updatedAt": iso(order.updated_at),
        "processedAt": iso(order.processed_at),
        "closedAt": iso(order.closed_at),
        "closed": order.closed_at is not None,
        "cancelledAt": iso(order.cancelled_at),
        "cancelReason": order.cancel_reason,
        "taxesIncluded": order.taxes_included,
        "currencyCode": order.currencies.shop,
        "presentmentCurrencyCode": order.currencies.presentment,
        "displayFinancialStatus": status,
        "displayFulfillmentStatus": "UNFULFILLED",
        "fullyPaid": totals.outstanding.shop <= 0,
        "unpaid": status in ("PENDING", "AUTHORIZED"),
        "paymentGatewayNames": sorted({t.gateway for t in order.transactions}),
        "discountCode": order.discount.code if order.discount else None,
        "discountCodes": [order.discount.code] if order.discount else [],
        "subtotalLineItemsQuantity": sum(li.quantity for li in order.line_items),
        "currentSubtotalLineItemsQuantity": sum(
            refundable_quantity(order, li.id) for li in order.line_items
        ),
        "billingAddress": address_node(order.billing_address),
        "shippingAddress": address_node(order.shipping_address),
    }


def _order_children(shop: Shop, order: Order) -> dict[str, Any]:
    """Order's object, list and connection fields (resolved lazily)."""
    discounts = [order.discount] if order.discount else []
    return {
        "taxLines": [tax_line_node(order.currencies, t) for t in aggregate_tax_lines(order)],
        "customer": (lambda info: customer_node(shop, order.customer_id))
        if order.customer_id
        else None,
        "lineItems": lazy_connection(order.line_items, lambda li: line_item_node(shop, order, li)),
        "shippingLines": lazy_connection(
            order.shipping_lines, lambda s: shipping_line_node(order, s)
        ),
        "discountApplications": lazy_connection(
            discounts, lambda d: discount_application_node(order), key=lambda d: 0
        ),
        "transactions": lambda info, first=None, **_: [
            transaction_node(order, t) for t in order.transactions[:first]
        ],
        "refunds": lambda info, first=None, **_: [
            refund_node(shop, order, r) for r in order.refunds[:first]
        ],
    }


def _money_fields(cur: Currencies, t: Totals) -> dict[str, Any]:
    """Every *Set MoneyBag field of Order."""
    bags = {
        "totalLineItemsPriceSet": t.line_items,
        "subtotalPriceSet": t.subtotal,
        "currentSubtotalPriceSet": t.current_subtotal,
        "totalDiscountsSet": t.discounts,
        "currentTotalDiscountsSet": t.current_discounts,
        "totalShippingPriceSet": t.shipping,
        "currentShippingPriceSet": t.current_shipping,
        "totalTaxSet": t.tax,
        "currentTotalTaxSet": t.current_tax,
        "totalPriceSet": t.total,
        "originalTotalPriceSet": t.total,
        "currentTotalPriceSet": t.current_total,
        "totalReceivedSet": t.received,
        "totalRefundedSet": t.refunded,
        "netPaymentSet": t.net_payment,
        "totalOutstandingSet": t.outstanding,
        "totalCapturableSet": Bag.zero(),
        "totalTipReceivedSet": Bag.zero(),
    }
    return {name: cur.money_bag(bag) for name, bag in bags.items()}


def refund_node(shop: Shop, order: Order, r: Refund) -> dict[str, Any]:
    """The Refund object."""
    txs = [t for t in order.transactions if t.id in r.transaction_ids]
    return {
        "__typename": "Refund",
        "id": gid("Refund", r.id),
        "legacyResourceId": str(r.id),
        "createdAt": iso(r.created_at),
        "updatedAt": iso(r.created_at),
        "note": r.note,
        "totalRefundedSet": order.currencies.money_bag(total(t.amount for t in txs)),
        "duties": [],
        "order": lambda info: order_node(shop, order),
        "transactions": lazy_connection(txs, lambda t: transaction_node(order, t)),
        "refundLineItems": lazy_connection(r.lines, lambda rl: refund_line_node(shop, order, rl)),
        "refundShippingLines": lazy_connection([], dict, key=id),
        "orderAdjustments": lazy_connection([], dict, key=id),
    }


def refund_line_node(shop: Shop, order: Order, rl: RefundLine) -> dict[str, Any]:
    """The RefundLineItem object."""
    cur = order.currencies
    line = next(li for li in order.line_items if li.id == rl.line_item_id)
    return {
        "id": gid("RefundLineItem", rl.id),
        "quantity": rl.quantity,
        "restockType": rl.restock_type,
        "restocked": rl.restock_type in ("RETURN", "CANCEL"),
        "priceSet": cur.money_bag(line.unit_price),
        "subtotalSet": cur.money_bag(rl.subtotal),
        "totalTaxSet": cur.money_bag(rl.total_tax),
        "lineItem": line_item_node(shop, order, line),
    }
