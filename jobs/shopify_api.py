"""A ready ShopifyClient for a shop: fresh token, configured version and endpoint."""

from __future__ import annotations

from flask import current_app

from clients.shopify import ShopifyClient
from jobs.shopify_tokens import access_token
from models import Shop


def client_for(shop: Shop) -> ShopifyClient:
    """The shop's Admin API client, refreshing its expiring token first when due."""
    return ShopifyClient(
        shop.shop_domain,
        access_token(shop),
        str(current_app.config["SHOPIFY_API_VERSION"]),
        current_app.config.get("SHOPIFY_ADMIN_BASE_URL"),
    )
