"""Connect to QuickBooks: Intuit's consent runs at top level (Intuit cannot be framed), bound to
the shop by a single-use state; the merchant's Intuit login never passes through the app."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, request

from blueprints.auth import embedded_app_url
from blueprints.oauth_state import consume_state, issue_state
from blueprints.session import session_token_required
from clients.errors import AuthError, RetryableError
from jobs.quickbooks_connection import connect, disconnect, quickbooks_auth
from models import Shop

bp = Blueprint("quickbooks", __name__)
log = logging.getLogger(__name__)


@bp.post("/api/quickbooks/connect")
@session_token_required
def start_connect():  # noqa: ANN201
    """The Intuit consent URL for this shop; the page opens it in the top window."""
    try:
        url = quickbooks_auth().authorization_url(issue_state("quickbooks", g.shop.shop_domain))
    except RetryableError as exc:
        return jsonify(error="unavailable", message=exc.reason), 503
    return jsonify(authorize_url=url)


@bp.get("/quickbooks/callback")
def callback():  # noqa: ANN201
    """Intuit sends the merchant back here with code, realmId and state (or an error)."""
    shop = Shop.by_domain(consume_state("quickbooks", request.args.get("state")) or "")
    if shop is None or not shop.is_installed:
        abort(403, "This QuickBooks connection request expired or was already used; start again.")
    g.shop_domain = shop.shop_domain
    if request.args.get("error") or not request.args.get("code"):
        return render_template(
            "quickbooks_result.html",
            connected=False,
            shop=shop,
            reason="QuickBooks was not connected: the consent was declined.",
        )
    try:
        connect(shop, request.args["code"], request.args.get("realmId", ""))
    except (AuthError, RetryableError) as exc:
        log.warning("QuickBooks connect failed for %s: %s", shop.shop_domain, exc.reason)
        return render_template(
            "quickbooks_result.html", connected=False, shop=shop, reason=exc.reason
        ), 502
    if current_app.config["SANDBOX"]:  # the sandbox has no Shopify admin to return to
        return render_template("quickbooks_result.html", connected=True, shop=shop, reason=None)
    return redirect(embedded_app_url(shop.shop_domain))


@bp.post("/api/quickbooks/disconnect")
@session_token_required
def stop():  # noqa: ANN201
    """Revoke the QuickBooks tokens and stop posting (one click)."""
    connection = g.shop.quickbooks_connection
    if connection is None:
        return jsonify(status="disconnected")
    try:
        disconnect(connection)
    except RetryableError as exc:
        return jsonify(error="unavailable", message=exc.reason), 503
    return jsonify(status=connection.status.value)
