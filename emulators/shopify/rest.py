"""REST-shaped JSON (snake_case, money as strings, *_set bags) for webhook payloads.

Shape follows the REST Order/Refund resources (newer
versions add admin_graphql_api_id and the *_set money bags).
ref: https://shopify.dev/docs/api/admin-rest/2025-01/resources/order
"""

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
from emulators.shopify.order_totals import Totals, display_financial_status, order_totals
from emulators.shopify.resolvers.views_common import aggregate_tax_lines, iso, rest_address
from emulators.shopify.store import Shop


def money_set(cur: Currencies, bag: Bag) -> dict[str, Any]:
    """A REST money bag: {"shop_money": {...}, "presentment_money": {...}}."""
    bag = cur.round(bag)
    return {
        "shop_money": {"amount": str(bag.shop), "currency_code": cur.shop},
        "presentment_money": {"amount": str(bag.presentment), "currency_code": cur.presentment},
    }


def _tax(cur: Currencies, t: TaxLine) -> dict[str, Any]:
    """A REST tax line."""
    return {
        "title": t.title,
        "rate": float(t.rate),
        "price": str(cur.round(t.price).shop),
        "price_set": money_set(cur, t.price),
        "channel_liable": t.channel_liable,
    }


def _line(cur: Currencies, li: LineItem) -> dict[str, Any]:
    """A REST line item."""
    return {
        "id": li.id,
        "admin_graphql_api_id": gid("LineItem", li.id),
        "title": li.title,
        "name": f"{li.title} - {li.variant_title}" if li.variant_title else li.title,
        "variant_title": li.variant_title,
        "sku": li.sku,
        "vendor": li.vendor,
        "quantity": li.quantity,
        "price": str(li.unit_price.shop),
        "price_set": money_set(cur, li.unit_price),
        "variant_id": li.variant_id,
        "product_id": li.product_id,
        "taxable": li.taxable,
        "requires_shipping": li.requires_shipping,
        "gift_card": False,
        "total_discount": str(cur.round(li.discount).shop),
        "total_discount_set": money_set(cur, li.discount),
        "tax_lines": [_tax(cur, t) for t in li.tax_lines],
        "fulfillment_status": None,
        "discount_allocations": []
        if li.discount.is_zero()
        else [
            {
                "amount": str(li.discount.shop),
                "amount_set": money_set(cur, li.discount),
                "discount_application_index": 0,
            }
        ],
    }


def transaction_payload(order: Order, t: Transaction) -> dict[str, Any]:
    """A REST transaction."""
    return {
        "id": t.id,
        "admin_graphql_api_id": gid("OrderTransaction", t.id),
        "order_id": order.id,
        "kind": t.kind.lower(),
        "status": t.status.lower(),
        "gateway": t.gateway,
        "amount": str(t.amount.presentment),
        "currency": order.currencies.presentment,
        "parent_id": t.parent_id,
        "test": t.test,
        "processed_at": iso(t.processed_at),
        "created_at": iso(t.created_at),
    }


def order_payload(shop: Shop, order: Order) -> dict[str, Any]:
    """The REST Order, as orders/* webhooks carry it."""
    totals = order_totals(order)
    body = _order_fields(order, totals)
    body.update(_order_lists(shop, order, totals))
    body.update(_order_amounts(order.currencies, totals))
    return body


def _order_fields(order: Order, t: Totals) -> dict[str, Any]:
    """The order's own scalar fields."""
    cur = order.currencies
    return {
        "id": order.id,
        "admin_graphql_api_id": gid("Order", order.id),
        "name": order.name,
        "order_number": order.number,
        "number": order.number - 1000,
        "email": order.email,
        "created_at": iso(order.created_at),
        "updated_at": iso(order.updated_at),
        "processed_at": iso(order.processed_at),
        "cancelled_at": iso(order.cancelled_at),
        "cancel_reason": order.cancel_reason.lower() if order.cancel_reason else None,
        "closed_at": iso(order.closed_at),
        "test": order.test,
        "taxes_included": order.taxes_included,
        "currency": cur.shop,
        "presentment_currency": cur.presentment,
        "financial_status": display_financial_status(order, t).lower(),
        "fulfillment_status": None,
        "source_name": order.source_name,
        "note": order.note,
        "tags": ", ".join(order.tags),
        "confirmed": True,
        "payment_gateway_names": sorted({tx.gateway for tx in order.transactions}),
        "billing_address": rest_address(order.billing_address),
        "shipping_address": rest_address(order.shipping_address),
    }


def _order_lists(shop: Shop, order: Order, t: Totals) -> dict[str, Any]:
    """Lines, shipping, tax lines, discount codes, refunds and the customer."""
    cur, d = order.currencies, order.discount
    codes = [{"code": d.code, "amount": str(t.discounts.shop), "type": d.kind}] if d else []
    return {
        "discount_codes": codes,
        "tax_lines": [_tax(cur, x) for x in aggregate_tax_lines(order)],
        "line_items": [_line(cur, li) for li in order.line_items],
        "shipping_lines": [_shipping(cur, s) for s in order.shipping_lines],
        "refunds": [refund_payload(order, r) for r in order.refunds],
        "customer": _customer(shop, order.customer_id),
    }


def _shipping(cur: Currencies, s: ShippingLine) -> dict[str, Any]:
    """A REST shipping line."""
    return {
        "id": s.id,
        "title": s.title,
        "code": s.code,
        "source": s.source,
        "price": str(s.price.shop),
        "price_set": money_set(cur, s.price),
        "discounted_price": str((s.price - s.discount).shop),
        "discounted_price_set": money_set(cur, s.price - s.discount),
        "tax_lines": [_tax(cur, x) for x in s.tax_lines],
    }


def _order_amounts(cur: Currencies, t: Totals) -> dict[str, Any]:
    """Every money field as a string plus its *_set bag."""
    amounts = {
        "total_line_items_price": t.line_items,
        "subtotal_price": t.subtotal,
        "total_discounts": t.discounts,
        "total_tax": t.tax,
        "total_price": t.total,
        "current_subtotal_price": t.current_subtotal,
        "current_total_tax": t.current_tax,
        "current_total_discounts": t.current_discounts,
        "current_total_price": t.current_total,
        "total_shipping_price": t.shipping,
        "total_outstanding": t.outstanding,
    }
    body: dict[str, Any] = {}
    for name, bag in amounts.items():
        body[name] = str(cur.round(bag).shop)
        body[f"{name}_set"] = money_set(cur, bag)
    return body


def refund_payload(order: Order, r: Refund) -> dict[str, Any]:
    """The REST Refund, as refunds/create carries it."""
    cur = order.currencies
    lines = {li.id: li for li in order.line_items}
    return {
        "id": r.id,
        "admin_graphql_api_id": gid("Refund", r.id),
        "order_id": order.id,
        "created_at": iso(r.created_at),
        "processed_at": iso(r.created_at),
        "note": r.note,
        "restock": any(rl.restock_type != "NO_RESTOCK" for rl in r.lines),
        "refund_line_items": [
            {
                "id": rl.id,
                "quantity": rl.quantity,
                "line_item_id": rl.line_item_id,
                "restock_type": rl.restock_type.lower(),
                "location_id": rl.location_id,
                "subtotal": str(rl.subtotal.shop),
                "subtotal_set": money_set(cur, rl.subtotal),
                "total_tax": str(rl.total_tax.shop),
                "total_tax_set": money_set(cur, rl.total_tax),
                "line_item": _line(cur, lines[rl.line_item_id]),
            }
            for rl in r.lines
        ],
        "transactions": [
            transaction_payload(order, t) for t in order.transactions if t.id in r.transaction_ids
        ],
        "order_adjustments": [],
    }


def _customer(shop: Shop, customer_id: int | None) -> dict[str, Any] | None:
    """A REST customer (the fields an order payload embeds)."""
    c = shop.customers.get(customer_id) if customer_id else None
    if c is None:
        return None
    return {
        "id": c.id,
        "admin_graphql_api_id": gid("Customer", c.id),
        "email": c.email,
        "first_name": c.first_name,
        "last_name": c.last_name,
        "phone": c.phone,
        "tax_exempt": c.tax_exempt,
        "created_at": iso(c.created_at),
        "updated_at": iso(c.updated_at),
    }
