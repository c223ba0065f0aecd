"""A ready ShopifyClient for a shop: fresh token, configured version and endpoint."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app

from clients.errors import AuthError
from clients.shopify import REINSTALL_FIX, ShopifyClient
from extensions import db
from models import Shop
from services.shopify_tokens import access_token

T = TypeVar("T")
REFUSED_AGAIN = "Shopify refused the access token again right after it was refreshed"


def client_for(shop: Shop) -> ShopifyClient:
    """The shop's Admin API client, refreshing its expiring token first when due."""
    return ShopifyClient(
        shop.shop_domain,
        access_token(shop),
        str(current_app.config["SHOPIFY_API_VERSION"]),
        current_app.config.get("SHOPIFY_ADMIN_BASE_URL"),
        shop.shopify_customer_data,
        lambda level: remember_customer_data(shop, level),
    )


def remember_customer_data(shop: Shop, level: int | None) -> None:
    """Keep the protected customer data level Shopify approved, learnt from a refusal.
    ref: https://shopify.dev/docs/apps/launch/protected-customer-data"""
    shop.shopify_customer_data = level
    db.session.commit()


def call_with_refresh(shop: Shop, fn: Callable[[ShopifyClient], T]) -> T:
    """Run `fn(client)`; on a 401 refresh the expiring token once (lock + compare-and-set) and
    run it again. A refused refresh or a second 401 raises AuthError (reopening the app from the
    admin installs a new token). ref: https://shopify.dev/docs/apps/build/authentication-authorization/access-token-types/offline-access-tokens
    """
    version = shop.token_version
    try:
        return fn(client_for(shop))
    except AuthError as exc:
        if exc.code != "401" or not shop.shopify_refresh_token:
            raise
    db.session.refresh(shop)
    if shop.token_version == version:  # nobody refreshed since our call: refresh now
        access_token(shop, force=True)
    try:
        return fn(client_for(shop))
    except AuthError as exc:
        if exc.code != "401":
            raise
        raise AuthError(REFUSED_AGAIN, REINSTALL_FIX, code="401") from exc
