"""GraphQL shapes of Order and the objects hanging off it (lines, shipping, refunds, …)."""

from __future__ import annotations

from typing import Any

from emulators.shopify.ids import gid
from emulators.shopify.money import Bag, Currencies
from emulators.shopify.order_model import (
    LineItem,
    Order,
    Refund,
    ShippingLine,
    TaxLine,
    Transaction,
)
from emulators.shopify.order_totals import (
    Totals,
    display_financial_status,
    order_totals,
    refundable_quantity,
)
from emulators.shopify.resolvers.pagination import connection
from emulators.shopify.store import Shop

# Gateway handles → the names Shopify shows (formattedGateway).
GATEWAY_NAMES = {
    "shopify_payments": "Shopify Payments",
    "paypal": "PayPal",
    "manual": "Manual",
    "gift_card": "Gift card",
    "cash": "Cash",
}


def iso(value: Any) -> str | None:
    """ISO 8601 with Z, as Shopify's DateTime scalar."""
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _record_id(item: Any) -> Any:
    """Default pagination key: the record's id."""
    return item.id


def lazy_connection(items: list[Any], to_node: Any, key: Any = _record_id) -> Any:
    """A resolver for a connection field over a list of records."""

    def resolve(info: Any, **args: Any) -> dict[str, Any]:
        page = {k: args.get(k) for k in ("first", "after", "last", "before")}
        ordered = list(reversed(items)) if args.get("reverse") else items
        return connection(ordered, to_node, key, **page)

    return resolve


def order_node(shop: Shop, order: Order) -> dict[str, Any]:
    """The Order object."""
    cur, totals = order.currencies, order_totals(order)
    status = display_financial_status(order, totals)
    node = {
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
        "createdAt": iso(order.created_at),
        "updatedAt": iso(order.updated_at),
        "processedAt": iso(order.processed_at),
        "closedAt": iso(order.closed_at),
        "closed": order.closed_at is not None,
        "cancelledAt": iso(order.cancelled_at),
        "cancelReason": order.cancel_reason,
        "confirmed": True,
        "taxesIncluded": order.taxes_included,
        "dutiesIncluded": False,
        "currencyCode": cur.shop,
        "presentmentCurrencyCode": cur.presentment,
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
        "taxLines": [tax_line_node(cur, t) for t in aggregate_tax_lines(order)],
        "billingAddress": order.billing_address,
        "shippingAddress": order.shipping_address,
        "customer": (lambda info: customer_node(shop, order.customer_id))
        if order.customer_id
        else None,
        "lineItems": lazy_connection(order.line_items, lambda li: line_item_node(shop, order, li)),
        "shippingLines": lazy_connection(
            order.shipping_lines, lambda s: shipping_line_node(order, s)
        ),
        "discountApplications": lazy_connection(
            [order.discount] if order.discount else [],
            lambda d: discount_application_node(order),
            key=lambda d: 0,
        ),
        "transactions": lambda info, first=None, **_: [
            transaction_node(order, t) for t in order.transactions[:first]
        ],
        "refunds": lambda info, first=None, **_: [
            refund_node(shop, order, r) for r in order.refunds[:first]
        ],
    }
    node.update(_money_fields(cur, totals))
    return node


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


def aggregate_tax_lines(order: Order) -> list[TaxLine]:
    """Order-level tax lines: line and shipping taxes summed by (title, rate)."""
    merged: dict[tuple[str, Any], TaxLine] = {}
    sources = [li.tax_lines for li in order.line_items] + [
        s.tax_lines for s in order.shipping_lines
    ]
    for tax_lines in sources:
        for t in tax_lines:
            key = (t.title, t.rate)
            prev = merged.get(key)
            merged[key] = TaxLine(
                t.title, t.rate, t.price + prev.price if prev else t.price, t.channel_liable
            )
    return list(merged.values())


def tax_line_node(cur: Currencies, t: TaxLine) -> dict[str, Any]:
    """The TaxLine object (rate is a Float in the schema)."""
    return {
        "title": t.title,
        "rate": float(t.rate),
        "ratePercentage": float(t.rate * 100),
        "priceSet": cur.money_bag(t.price),
        "price": str(cur.round(t.price).shop),
        "channelLiable": t.channel_liable,
        "source": "Merchant",
    }


def line_item_node(shop: Shop, order: Order, li: LineItem) -> dict[str, Any]:
    """The LineItem object."""
    cur = order.currencies
    remaining = refundable_quantity(order, li.id)
    unit_discounted = Bag(
        li.discounted_total(cur).shop / li.quantity,
        li.discounted_total(cur).presentment / li.quantity,
    )
    variant = shop.variants.get(li.variant_id) if li.variant_id else None
    return {
        "__typename": "LineItem",
        "id": gid("LineItem", li.id),
        "title": li.title,
        "name": f"{li.title} - {li.variant_title}" if li.variant_title else li.title,
        "variantTitle": li.variant_title,
        "sku": li.sku,
        "vendor": li.vendor,
        "quantity": li.quantity,
        "currentQuantity": remaining,
        "refundableQuantity": remaining,
        "unfulfilledQuantity": remaining,
        "taxable": li.taxable,
        "requiresShipping": li.requires_shipping,
        "isGiftCard": False,
        "originalUnitPriceSet": cur.money_bag(li.unit_price),
        "discountedUnitPriceSet": cur.money_bag(unit_discounted),
        "originalTotalSet": cur.money_bag(li.original_total(cur)),
        "discountedTotalSet": lambda info, **_: cur.money_bag(li.discounted_total(cur)),
        "totalDiscountSet": cur.money_bag(li.discount),
        "discountAllocations": []
        if li.discount.is_zero()
        else [
            {
                "allocatedAmountSet": cur.money_bag(li.discount),
                "discountApplication": discount_application_node(order),
            }
        ],
        "taxLines": lambda info, first=None, **_: [
            tax_line_node(cur, t) for t in li.tax_lines[:first]
        ],
        "variant": _variant_resolver(shop, variant),
        "product": _product_resolver(shop, variant.product_id if variant else None),
    }


def _variant_resolver(shop: Shop, variant: Any) -> Any:
    """Lazy ProductVariant (None when the line has no variant)."""
    if variant is None:
        return None
    from emulators.shopify.resolvers.catalog_views import variant_node

    return lambda info: variant_node(shop, variant)


def _product_resolver(shop: Shop, product_id: int | None) -> Any:
    """Lazy Product."""
    if product_id is None or product_id not in shop.products:
        return None
    from emulators.shopify.resolvers.catalog_views import product_node

    return lambda info: product_node(shop, shop.products[product_id])


def shipping_line_node(order: Order, s: ShippingLine) -> dict[str, Any]:
    """The ShippingLine object."""
    cur = order.currencies
    discounted = s.price - s.discount
    return {
        "id": gid("ShippingLine", s.id),
        "title": s.title,
        "code": s.code,
        "source": s.source,
        "custom": s.source is None,
        "isRemoved": False,
        "originalPriceSet": cur.money_bag(s.price),
        "discountedPriceSet": cur.money_bag(discounted),
        "currentDiscountedPriceSet": cur.money_bag(discounted),
        "taxLines": [tax_line_node(cur, t) for t in s.tax_lines],
        "discountAllocations": []
        if s.discount.is_zero()
        else [
            {
                "allocatedAmountSet": cur.money_bag(s.discount),
                "discountApplication": discount_application_node(order),
            }
        ],
    }


def discount_application_node(order: Order) -> dict[str, Any] | None:
    """The order's DiscountCodeApplication (index 0)."""
    d = order.discount
    if d is None:
        return None
    if d.kind == "fixed_amount" and d.amount is not None:
        value: dict[str, Any] = {
            "__typename": "MoneyV2",
            "amount": str(d.amount.presentment),
            "currencyCode": order.currencies.presentment,
        }
    else:
        pct = d.percentage if d.percentage is not None else 100
        value = {"__typename": "PricingPercentageValue", "percentage": float(pct)}
    return {
        "__typename": "DiscountCodeApplication",
        "code": d.code,
        "index": 0,
        "allocationMethod": "ACROSS",
        "targetSelection": "ALL",
        "targetType": d.target_type,
        "value": value,
    }


def transaction_node(order: Order, t: Transaction) -> dict[str, Any]:
    """The OrderTransaction object."""
    parent = next((p for p in order.transactions if p.id == t.parent_id), None)
    return {
        "__typename": "OrderTransaction",
        "id": gid("OrderTransaction", t.id),
        "kind": t.kind,
        "status": t.status,
        "gateway": t.gateway,
        "test": t.test,
        "formattedGateway": GATEWAY_NAMES.get(t.gateway, t.gateway.replace("_", " ").title()),
        "amountSet": order.currencies.money_bag(t.amount),
        "processedAt": iso(t.processed_at),
        "createdAt": iso(t.created_at),
        "authorizationCode": None,
        "errorCode": None,
        "parentTransaction": (lambda info: transaction_node(order, parent)) if parent else None,
    }


def refund_node(shop: Shop, order: Order, r: Refund) -> dict[str, Any]:
    """The Refund object."""
    cur = order.currencies
    txs = [t for t in order.transactions if t.id in r.transaction_ids]
    lines_by_id = {li.id: li for li in order.line_items}
    refunded = Bag.zero()
    for t in txs:
        refunded = refunded + t.amount
    return {
        "__typename": "Refund",
        "id": gid("Refund", r.id),
        "legacyResourceId": str(r.id),
        "createdAt": iso(r.created_at),
        "updatedAt": iso(r.created_at),
        "note": r.note,
        "totalRefundedSet": cur.money_bag(refunded),
        "duties": [],
        "order": lambda info: order_node(shop, order),
        "transactions": lazy_connection(txs, lambda t: transaction_node(order, t)),
        "refundLineItems": lazy_connection(
            r.lines,
            lambda rl: {
                "id": gid("RefundLineItem", rl.id),
                "quantity": rl.quantity,
                "restockType": rl.restock_type,
                "restocked": rl.restock_type in ("RETURN", "CANCEL"),
                "priceSet": cur.money_bag(lines_by_id[rl.line_item_id].unit_price),
                "subtotalSet": cur.money_bag(rl.subtotal),
                "totalTaxSet": cur.money_bag(rl.total_tax),
                "lineItem": line_item_node(shop, order, lines_by_id[rl.line_item_id]),
            },
        ),
        "refundShippingLines": lazy_connection([], dict, key=id),
        "orderAdjustments": lazy_connection([], dict, key=id),
    }


def customer_node(shop: Shop, customer_id: int | None) -> dict[str, Any] | None:
    """The Customer object."""
    c = shop.customers.get(customer_id) if customer_id else None
    if c is None:
        return None
    name = " ".join(p for p in (c.first_name, c.last_name) if p) or c.email or ""
    orders = sum(1 for o in shop.orders.values() if o.customer_id == c.id)
    return {
        "__typename": "Customer",
        "id": gid("Customer", c.id),
        "email": c.email,
        "firstName": c.first_name,
        "lastName": c.last_name,
        "displayName": name,
        "phone": c.phone,
        "taxExempt": c.tax_exempt,
        "createdAt": iso(c.created_at),
        "updatedAt": iso(c.updated_at),
        "numberOfOrders": str(orders),
        "legacyResourceId": str(c.id),
        "defaultAddress": None,
    }
