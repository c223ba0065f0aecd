"""GraphQL shapes of the objects hanging off an Order: lines, shipping, discounts, payments."""

from __future__ import annotations

from typing import Any

from emulators.shopify.ids import gid
from emulators.shopify.money import Bag
from emulators.shopify.order_model import LineItem, Order, ShippingLine, Transaction
from emulators.shopify.order_totals import refundable_quantity
from emulators.shopify.resolvers.views_common import iso, tax_line_node
from emulators.shopify.store import Shop

GATEWAY_NAMES = {
    "shopify_payments": "Shopify Payments",
    "paypal": "PayPal",
    "manual": "Manual",
    "gift_card": "Gift card",
    "cash": "Cash",
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
