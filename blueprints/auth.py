"""Shopify install: managed install by token exchange (`installed_shop`, called by the embedded
pages in blueprints/pages.py), and the authorization-code flow as a fallback (HMAC, timestamp,
single-use state, *.myshopify.com)."""

from __future__ import annotations

from urllib.parse import urlencode

import shopify
from flask import Blueprint, abort, current_app, redirect, request
from shopify.utils.shop_url import sanitize_shop_domain

from blueprints.oauth_state import consume_state, issue_state
from clients.errors import AuthError, RetryableError
from models import Shop
from services.shopify_tokens import access_token, install_with_code, install_with_session_token

bp = Blueprint("auth", __name__)


def admin_base(shop_domain: str) -> str:
    """https://{shop}, or the emulator's base URL in sandbox mode and tests."""
    return current_app.config.get("SHOPIFY_ADMIN_BASE_URL") or f"https://{shop_domain}"


def embedded_app_url(shop_domain: str) -> str:
    """Where the merchant sees the app inside their Shopify admin."""
    store = shop_domain.removesuffix(".myshopify.com")
    return f"https://admin.shopify.com/store/{store}/apps/{current_app.config['SHOPIFY_API_KEY']}"


def installed_shop(domain: str, id_token: str) -> Shop:
    """The shop with a working token: exchange the session token when there is none, or when the
    stored one can no longer be refreshed (its refresh token expired or was revoked)."""
    shop = Shop.by_domain(domain)
    try:
        if shop is not None and shop.is_installed and shop.shopify_access_token:
            try:
                access_token(shop)
                return shop
            except AuthError:
                pass  # fall through: a fresh exchange restores the connection
        return install_with_session_token(domain, id_token)
    except (AuthError, RetryableError) as exc:
        abort(502, f"Shopify did not complete the install: {exc.reason}")


@bp.get("/auth/install")
def install():
    """Start the authorization-code flow for a shop (fallback to managed install)."""
    shop_domain = sanitize_shop_domain(request.args.get("shop", ""))
    if not shop_domain:
        abort(400, "shop must be a *.myshopify.com domain")
    params = {
        "client_id": current_app.config["SHOPIFY_API_KEY"],
        "scope": current_app.config["SHOPIFY_SCOPES"],
        "redirect_uri": f"{current_app.config['APP_URL']}/auth/callback",
        "state": issue_state("shopify", shop_domain),
    }
    if current_app.config.get("SHOPIFY_ADMIN_BASE_URL"):
        params["shop"] = shop_domain  # one emulator serves every shop: name it, as the host would

    return redirect(f"{admin_base(shop_domain)}/admin/oauth/authorize?{urlencode(params)}")


def _signed_and_recent(params: dict[str, str]) -> bool:
    """ShopifyAPI's check of the HMAC and a timestamp under 24 h old; a timestamp that is not a
    number (its int() raises) is simply invalid."""
    try:
        return bool(shopify.Session.validate_params(params))
    except (ValueError, TypeError, OverflowError):
        return False


@bp.get("/auth/callback")
def callback():
    """Finish the authorization-code flow: verify everything before exchanging the code."""
    params = request.args.to_dict()
    shop_domain = sanitize_shop_domain(params.get("shop", ""))
    if not shop_domain or not params.get("code"):
        abort(400, "shop must be a *.myshopify.com domain and code is required")
    shopify.Session.setup(
        api_key=current_app.config["SHOPIFY_API_KEY"],
        secret=current_app.config["SHOPIFY_API_SECRET"],
    )
    if not _signed_and_recent(params):
        abort(401, "The install link's signature is invalid or too old.")
    if consume_state("shopify", params.get("state")) != shop_domain:
        abort(403, "The install request expired or was already used; start it again.")
    try:
        install_with_code(shop_domain, params["code"])
    except (AuthError, RetryableError) as exc:
        abort(502, f"Shopify did not complete the install: {exc.reason}")
    if current_app.config["SANDBOX"]:
        return redirect(f"/?installed={shop_domain}")  # the sandbox has no Shopify admin
    return redirect(embedded_app_url(shop_domain))
