"""GET /api/lookups/<kind>: the choices behind each settings picker, for the token's shop."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from blueprints.session import session_token_required
from services.pickers import QBO_KINDS, qbo_choices, shopify_choices

bp = Blueprint("pickers", __name__, url_prefix="/api/lookups")
SHOPIFY_KINDS = ("taxes", "gateways", "locations")


@bp.get("/<kind>")
@session_token_required
def choices(kind: str):
    """QBO items, accounts?type=, tax_codes, tax_rates, classes, departments, payment_methods;
    Shopify taxes, gateways and locations. QuickBooks or Shopify failures answer through the
    app's SyncError handler (409 reconnect, 503 unavailable)."""
    try:
        if kind in SHOPIFY_KINDS:
            return jsonify(kind=kind, choices=shopify_choices(g.shop, kind))
        if kind == "accounts" or kind in QBO_KINDS:
            return jsonify(kind=kind, choices=qbo_choices(g.shop, kind, request.args.get("type")))
    except ValueError as exc:  # a bad ?type=
        return jsonify(error="invalid", message=str(exc)), 400
    return jsonify(error="not_found", message=f"no lookup called {kind!r}"), 404
