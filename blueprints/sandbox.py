"""Sandbox-only pages standing in for the Shopify admin: they frame the embedded app and hand it
session tokens as App Bridge would. Registered only when SANDBOX is on."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from shopify.utils.shop_url import sanitize_shop_domain

from emulators.shopify.session_tokens import mint_session_token

bp = Blueprint("sandbox", __name__, url_prefix="/sandbox")


def _token(shop_domain: str) -> str:
    """A one-minute session token for the shop, signed with the app secret like App Bridge's."""
    config = current_app.config
    return mint_session_token(
        shop_domain, str(config["SHOPIFY_API_KEY"]), str(config["SHOPIFY_API_SECRET"])
    )


@bp.get("/")
def admin():
    """The demo store's admin with Ledgerbridge opened in its frame."""
    sandbox = current_app.extensions.get("sandbox")
    if sandbox is None:
        abort(503, "The sandbox emulators are not running: start with `flask sandbox`.")
    query = urlencode(
        {"shop": sandbox.shop_domain, "embedded": "1", "id_token": _token(sandbox.shop_domain)}
    )
    return render_template("sandbox_admin.html", sandbox=sandbox, app_src=f"/app?{query}")


@bp.get("/session-token")
def session_token():
    """What `shopify.idToken()` returns inside the admin, for the sandbox's App Bridge stand-in."""
    shop_domain = sanitize_shop_domain(request.args.get("shop", ""))
    if not shop_domain:
        abort(400, "shop must be a *.myshopify.com domain")
    return jsonify(token=_token(shop_domain))
