"""The shop's Shopify offline token: install by token exchange or code, refresh before expiry."""

from __future__ import annotations

import logging

from flask import current_app

from clients.errors import AuthError, RetryableError, RetryReason
from clients.shopify_auth import ShopifyAuthClient, ShopifyTokens
from extensions import db
from models import Shop, utcnow
from services.tokens import compare_and_set, needs_refresh, refresh_lock

log = logging.getLogger(__name__)


def auth_client() -> ShopifyAuthClient:
    """A token-endpoint client with the app's credentials (and the emulator in sandbox)."""
    config = current_app.config
    return ShopifyAuthClient(
        str(config["SHOPIFY_API_KEY"]),
        str(config["SHOPIFY_API_SECRET"]),
        admin_base_url=config.get("SHOPIFY_ADMIN_BASE_URL") or None,
    )


def _token_columns(tokens: ShopifyTokens) -> dict:
    """The Shop columns a token set writes."""
    return {
        "shopify_access_token": tokens.access_token,
        "shopify_access_token_expires_at": tokens.expires_at,
        "shopify_refresh_token": tokens.refresh_token,
        "shopify_refresh_token_expires_at": tokens.refresh_token_expires_at,
        "shopify_scopes": tokens.scope,
    }


def install(shop_domain: str, tokens: ShopifyTokens) -> Shop:
    """Create or reinstate the shop with fresh tokens."""
    shop = Shop.by_domain(shop_domain) or Shop(shop_domain=shop_domain)
    for name, value in _token_columns(tokens).items():
        setattr(shop, name, value)
    shop.token_version = (shop.token_version or 0) + 1
    if shop.installed_at is None or shop.uninstalled_at is not None:
        shop.installed_at, shop.uninstalled_at = utcnow(), None
        log.info("installed on %s", shop_domain)
    db.session.add(shop)
    db.session.commit()
    return shop


def install_with_session_token(shop_domain: str, session_token: str) -> Shop:
    """Managed install: exchange the App Bridge session token for an expiring offline token."""
    return install(
        shop_domain, auth_client().exchange_session_token(shop_domain, session_token, utcnow())
    )


def install_with_code(shop_domain: str, code: str) -> Shop:
    """Authorization-code fallback: exchange the code for an expiring offline token."""
    return install(shop_domain, auth_client().exchange_code(shop_domain, code, utcnow()))


def access_token(shop: Shop, force: bool = False) -> str:
    """A Shopify access token valid for at least the refresh margin, refreshing if needed.

    `force` refreshes even a fresh token, so a refresh token nearing its end is renewed.
    """
    if not shop.shopify_access_token:
        raise AuthError(
            f"{shop.shop_domain} has no Shopify token",
            "Open Ledgerbridge from the Shopify admin to reinstall it.",
        )
    version = shop.token_version
    if not force and not needs_refresh(shop.shopify_access_token_expires_at, utcnow()):
        return shop.shopify_access_token
    with refresh_lock(f"shopify-{shop.id}"):
        db.session.refresh(shop)  # another process may have refreshed while we waited
        renewed = shop.token_version != version
        if (
            renewed
            or not needs_refresh(shop.shopify_access_token_expires_at, utcnow())
            and not force
        ):
            return shop.shopify_access_token
        if not shop.shopify_refresh_token:
            raise AuthError(
                f"{shop.shop_domain}'s Shopify token expired and cannot be refreshed",
                "Open Ledgerbridge from the Shopify admin to reauthorise it.",
            )
        tokens = auth_client().refresh(shop.shop_domain, shop.shopify_refresh_token, utcnow())
        if not compare_and_set(Shop, shop.id, shop.token_version, _token_columns(tokens)):
            raise RetryableError(
                "Shopify tokens changed during the refresh; retrying.", why=RetryReason.BUSY
            )
        db.session.refresh(shop)
        return shop.shopify_access_token
