"""Connect to QuickBooks: Intuit's consent runs at top level (Intuit cannot be framed), bound to
the shop and to the browser that started it by a single-use state (see quickbooks_flow); the
merchant's Intuit login never passes through the app."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request

from blueprints.auth import embedded_app_url
from blueprints.quickbooks_flow import FlowRefused, begin, connect_or_keep, finish, issue_ticket
from blueprints.session import session_token_required
from clients.errors import RetryableError, SyncError
from models import Shop
from services.quickbooks_connection import disconnect, quickbooks_auth

bp = Blueprint("quickbooks", __name__)
log = logging.getLogger(__name__)
REALM_ID_LENGTH = 32  # quickbooks_connections.realm_id


@bp.post("/api/quickbooks/connect")
@session_token_required
def start_connect():
    """Where the page sends the top window: this app's start page, with a one-minute ticket."""
    ticket = issue_ticket(g.shop.shop_domain)
    return jsonify(
        authorize_url=f"{current_app.config['APP_URL']}/quickbooks/start?ticket={ticket}"
    )


@bp.get("/quickbooks/start")
def start():
    """Bind a new flow to this browser (session cookie) and send it to Intuit's consent."""
    try:
        _, state = begin(request.args.get("ticket"))
        return redirect(quickbooks_auth().authorization_url(state))
    except FlowRefused as exc:
        return _result(None, str(exc), 403)
    except RetryableError as exc:
        return _result(None, f"QuickBooks could not be reached: {exc.reason}", 503)


def _result(shop: Shop | None, reason: str | None, status: int = 200):
    """The top-level page that ends a flow: connected, or why not."""
    page = render_template(
        "quickbooks_result.html", connected=reason is None, shop=shop, reason=reason
    )
    return page, status


@bp.get("/quickbooks/callback")
def callback():
    """Intuit sends the merchant back here with code, realmId and state (or an error). Any
    failure answers 4xx and leaves the shop's connection as it was."""
    try:
        shop = Shop.by_domain(finish(request.args.get("state")))
    except FlowRefused as exc:
        return _result(None, str(exc), 403)
    if shop is None or not shop.is_installed:
        return _result(None, "This shop no longer has Ledgerbridge installed.", 403)
    g.shop_domain = shop.shop_domain
    if request.args.get("error") or not request.args.get("code"):
        return _result(shop, "QuickBooks was not connected: the consent was declined.")
    realm_id = request.args.get("realmId", "")
    if not (realm_id.isascii() and realm_id.isdigit() and len(realm_id) <= REALM_ID_LENGTH):
        return _result(shop, "QuickBooks sent back no valid company id; nothing was changed.", 400)
    try:
        connect_or_keep(shop, request.args["code"], realm_id)
    except SyncError as exc:
        log.warning("QuickBooks connect failed for %s: %s", shop.shop_domain, exc.reason)
        return _result(shop, f"QuickBooks was not connected: {exc.reason}", 400)
    if current_app.config["SANDBOX"]:  # the sandbox has no Shopify admin to return to
        return _result(shop, None)
    return redirect(embedded_app_url(shop.shop_domain))


@bp.post("/api/quickbooks/disconnect")
@session_token_required
def stop():
    """Revoke the QuickBooks tokens and stop posting (one click); Intuit out of reach answers
    503 through the app's SyncError handler."""
    connection = g.shop.quickbooks_connection
    if connection is None:
        return jsonify(status="disconnected")
    disconnect(connection)
    return jsonify(status=connection.status.value)
