"""GET /api/orders/<shopify_order_id>: one order beside the QBO documents posted for it."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

from blueprints.session import session_token_required
from blueprints.sync import ORDER_ID
from sync.order_view import order_view

bp = Blueprint("orders", __name__, url_prefix="/api/orders")


def not_found(order_id: str):
    """The app's error envelope for an order this shop does not have."""
    message = f"This store has no order {order_id} that Ledgerbridge knows of."
    return jsonify(error="not_found", message=message), 404


@bp.get("/<path:order_id>")
@session_token_required
def order(order_id: str):
    """The Shopify order, its ledger rows and its QBO documents read back, with `reconciles`."""
    if not ORDER_ID.fullmatch(order_id):
        return not_found(order_id)
    view = order_view(g.shop, order_id)
    return jsonify(view) if view is not None else not_found(order_id)
