"""Mutation root: orderCancel and orderMarkAsPaid.

ref: https://shopify.dev/docs/api/admin-graphql/2025-01/mutations/orderCancel
ref: https://shopify.dev/docs/api/admin-graphql/2025-01/mutations/orderMarkAsPaid
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from emulators.shopify import rest
from emulators.shopify.context import RequestContext
from emulators.shopify.ids import gid, parse_gid
from emulators.shopify.order_model import Order, Transaction
from emulators.shopify.order_totals import display_financial_status, order_totals
from emulators.shopify.order_totals import refundable_quantity as remaining_quantity
from emulators.shopify.resolvers.order_views import order_node
from emulators.shopify.resolvers.refunds import create_refund
from emulators.shopify.resolvers.util import user_error


def order_cancel(
    info: GraphQLResolveInfo,
    orderId: str,
    refund: bool,
    restock: bool,  # noqa: N803
    reason: str,
    **_: Any,
) -> dict[str, Any]:
    """orderCancel: close and cancel; refund=true gives back the net payment (or voids
    authorizations); restock=true returns every remaining unit to stock."""
    ctx: RequestContext = info.context
    order = ctx.shop.orders.get(parse_gid(orderId, "Order"))
    if order is None or order.cancelled_at is not None:
        code, msg = (
            ("NOT_FOUND", "Order does not exist")
            if order is None
            else ("INVALID", "Order has already been cancelled")
        )
        errors = [user_error(["orderId"], msg, code)]
        return {"job": None, "orderCancelUserErrors": errors, "userErrors": errors}
    now = ctx.now()
    order.financial_status_hint = None  # an operation recalculates the status
    order.cancelled_at, order.cancel_reason, order.updated_at = now, reason, now
    order.closed_at = order.closed_at or now
    if refund:
        _cancel_money(ctx, order, restock)
    ctx.emit("orders/cancelled", rest.order_payload(ctx.shop, order))
    job = {"id": gid("Job", ctx.state.next_id()), "done": True, "query": None}
    return {"job": job, "orderCancelUserErrors": [], "userErrors": []}


def _cancel_money(ctx: RequestContext, order: Order, restock: bool) -> None:
    """Refund every remaining line, the shipping and the net payment; void authorizations."""
    net = order_totals(order).net_payment
    sale = next(
        (t for t in order.transactions if t.succeeded and t.kind in ("SALE", "CAPTURE")), None
    )
    txs = []
    if net.shop > 0 and sale is not None:
        txs = [
            {
                "amount": str(net.presentment),
                "gateway": sale.gateway,
                "parentId": gid("OrderTransaction", sale.id),
            }
        ]
    lines = [
        {
            "lineItemId": gid("LineItem", li.id),
            "quantity": remaining_quantity(order, li.id),
            "restockType": "CANCEL" if restock else "NO_RESTOCK",
        }
        for li in order.line_items
        if remaining_quantity(order, li.id) > 0
    ]
    refund = create_refund(
        ctx,
        order,
        {"refundLineItems": lines, "transactions": txs, "shipping": {"fullRefund": True}},
    )
    ctx.emit("refunds/create", rest.refund_payload(order, refund))
    if display_financial_status(order) == "AUTHORIZED":
        _void_authorizations(ctx, order)


def _void_authorizations(ctx: RequestContext, order: Order) -> None:
    """A successful VOID for every successful authorization."""
    for auth in [t for t in order.transactions if t.kind == "AUTHORIZATION" and t.succeeded]:
        order.transactions.append(
            Transaction(
                ctx.state.next_id(),
                "VOID",
                "SUCCESS",
                auth.gateway,
                auth.amount,
                ctx.now(),
                ctx.now(),
                auth.id,
                test=order.test,
            )
        )


def order_mark_as_paid(info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    """orderMarkAsPaid: capture the authorization, else a manual SALE, for the outstanding amount.

    ref: https://shopify.dev/docs/api/admin-graphql/2025-01/mutations/orderMarkAsPaid
    """
    ctx: RequestContext = info.context
    order = ctx.shop.orders.get(parse_gid(input["id"], "Order"))
    if order is None:
        return {"order": None, "userErrors": [user_error(["id"], "Order does not exist")]}
    outstanding = order_totals(order).outstanding
    if outstanding.shop <= 0 or display_financial_status(order) == "PAID":
        return {"order": None, "userErrors": [user_error(["id"], "Order cannot be marked as paid")]}
    auth = next((t for t in order.transactions if t.kind == "AUTHORIZATION" and t.succeeded), None)
    kind, gateway = ("CAPTURE", auth.gateway) if auth else ("SALE", "manual")
    order.financial_status_hint = None  # an operation recalculates the status
    order.transactions.append(
        Transaction(
            ctx.state.next_id(),
            kind,
            "SUCCESS",
            gateway,
            outstanding,
            ctx.now(),
            ctx.now(),
            auth.id if auth else None,
            test=order.test,
        )
    )
    order.updated_at = ctx.now()
    payload = rest.order_payload(ctx.shop, order)
    ctx.emit("orders/paid", payload)
    ctx.emit("orders/updated", payload)
    return {"order": order_node(ctx.shop, order), "userErrors": []}


FIELDS = {"orderCancel": order_cancel, "orderMarkAsPaid": order_mark_as_paid}
