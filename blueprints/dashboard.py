"""The merchant's status API: both connections and what the app knows of the shop."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

from blueprints.session import session_token_required
from clients.shopify_protected import missing_approval

bp = Blueprint("dashboard", __name__, url_prefix="/api")


def _iso(value) -> str | None:
    """ISO 8601 or None."""
    return value.isoformat() if value else None


@bp.get("/status")
@session_token_required
def status():
    """Connection status of both sides for the authenticated shop only."""
    shop = g.shop
    connection = shop.quickbooks_connection
    quickbooks = None
    if connection is not None:
        quickbooks = {
            "status": connection.status.value,
            "reason": connection.status_reason,
            "company_name": connection.company_name,
            "country": connection.country,
            "home_currency": connection.home_currency,
            "connected_at": _iso(connection.connected_at),
        }
    return jsonify(
        shop=shop.shop_domain,
        shopify={
            "installed": shop.is_installed,
            "installed_at": _iso(shop.installed_at),
            "token_expires_at": _iso(shop.shopify_access_token_expires_at),
            # Protected customer data Shopify has not approved, in plain words (None: all).
            # ref: https://shopify.dev/docs/apps/launch/protected-customer-data
            "customer_data_level": shop.shopify_customer_data,
            "missing_approval": missing_approval(shop.shopify_customer_data),
        },
        quickbooks=quickbooks,
    )
