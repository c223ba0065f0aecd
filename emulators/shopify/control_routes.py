"""Shopify-specific /_emulator/ routes: shops, apps, settings, webhook deliveries and triggers,
stock adjustments."""

from __future__ import annotations

import uuid
import zlib
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, jsonify, request

from emulators.shopify.context import Emulator
from emulators.shopify.protected_data import approvals
from emulators.shopify.scopes import ALL_SCOPES
from emulators.shopify.store import DEMO_CLIENT_ID, RESTORE_RATES


def register(bp: Blueprint, emu: Emulator) -> None:
    """Add the Shopify routes to the shared control blueprint."""
    _add_shop_routes(bp, emu)
    _add_uninstall_route(bp, emu)
    _add_webhook_routes(bp, emu)
    _add_inventory_routes(bp, emu)


def _add_shop_routes(bp: Blueprint, emu: Emulator) -> None:
    """POST /shops, POST /apps, GET/POST /settings."""
    state = emu.state

    @bp.post("/shops")
    def create_shop() -> tuple[Response, int]:
        """Create a shop and an owner's (every scope, unless `scopes`) token for an app on it."""
        data = request.get_json(silent=True) or {}
        domain = str(data.get("domain") or "")
        if not domain.endswith(".myshopify.com"):
            return jsonify(error="domain must end with .myshopify.com"), 400
        if data.get("plan", "standard") not in RESTORE_RATES:
            return jsonify(error=f"plan must be one of {sorted(RESTORE_RATES)}"), 400
        settings = {k: data[k] for k in ("name", "currency", "plan", "email") if k in data}
        if "taxes_included" in data:
            settings["taxes_included"] = bool(data["taxes_included"])
        state.add_shop(domain, **settings)
        scope = str(data.get("scopes") or ALL_SCOPES)
        client_id = data.get("client_id", DEMO_CLIENT_ID)
        token = state.add_token(domain, client_id, data.get("token"), scope=scope, owner=True)
        return jsonify(domain=domain, access_token=token.value, scope=token.scope), 201

    @bp.post("/tokens")
    def create_token() -> tuple[Response, int]:
        """Issue another token on a known shop: the owner's (every scope) unless `scopes`."""
        data = request.get_json(silent=True) or {}
        if str(data.get("shop")) not in state.shops:
            return jsonify(error="unknown shop"), 400
        client_id = str(data.get("client_id") or DEMO_CLIENT_ID)
        if client_id not in state.apps:
            return jsonify(error="unknown client_id"), 400
        scope = str(data["scopes"]) if "scopes" in data else ALL_SCOPES
        token = state.add_token(str(data["shop"]), client_id, scope=scope, owner=True)
        return jsonify(access_token=token.value, scope=token.scope), 201

    @bp.post("/apps")
    def register_app() -> tuple[Response, int]:
        """Register an app (client id and secret) the emulator will accept, with its protected
        customer data approval: `protected_customer_data` 0, 1 or 2 (default 2) and, at level 2,
        `protected_customer_fields` among name, email, phone, address (default all).
        ref: https://shopify.dev/docs/apps/launch/protected-customer-data"""
        data = request.get_json(silent=True) or {}
        if not data.get("client_id") or not data.get("secret"):
            return jsonify(error="client_id and secret are required"), 400
        try:
            protected = approvals(
                int(data.get("protected_customer_data", 2)), data.get("protected_customer_fields")
            )
        except (TypeError, ValueError) as exc:
            return jsonify(error=str(exc)), 400
        state.register_app(
            str(data["client_id"]),
            str(data["secret"]),
            str(data.get("scopes") or state.apps[DEMO_CLIENT_ID].scopes),
            protected,
        )
        return jsonify(client_id=data["client_id"], protected=sorted(protected)), 201

    @bp.route("/settings", methods=["GET", "POST"])
    def settings() -> Response:
        """Knobs: bucket_max, throttle_http_status, oauth_deny, exchange rates of a shop."""
        data = (request.get_json(silent=True) or {}) if request.method == "POST" else {}
        _apply_settings(emu, data)
        return jsonify(
            bucket_max=state.bucket_max,
            throttle_http_status=emu.throttle_http_status,
            oauth_deny=state.oauth_deny,
            bulk_delay=state.bulk_delay,
        )


def _add_uninstall_route(bp: Blueprint, emu: Emulator) -> None:
    """POST /uninstall."""
    state = emu.state

    @bp.post("/uninstall")
    def uninstall() -> tuple[Response, int]:
        """The merchant uninstalls an app: its tokens stop working, app/uninstalled is sent to
        its subscriptions (API-made and declared in its deployed shopify.app.toml alike, as one
        event), then its API-made subscriptions are removed."""
        data = request.get_json(silent=True) or {}
        shop = state.shops.get(str(data.get("shop")))
        client_id = str(data.get("client_id") or DEMO_CLIENT_ID)
        if shop is None:
            return jsonify(error="unknown shop"), 400
        # The toml's subscriptions reach installed apps only: list them before the tokens go.
        targets = emu.webhooks.targets(shop, "app/uninstalled", only=client_id)
        _revoke_tokens(emu, shop.domain, client_id)
        payload = _default_payload(shop.domain, "app/uninstalled")
        event_id = str(uuid.uuid4())
        sent = [
            emu.webhooks.send(shop.domain, "app/uninstalled", payload, url, client_id, event_id)
            for _, url in targets
        ]
        for sub in [s for s in shop.webhooks.values() if s.client_id == client_id]:
            del shop.webhooks[sub.id]
        return jsonify(deliveries=[d.id for d in sent]), 202


def _add_webhook_routes(bp: Blueprint, emu: Emulator) -> None:
    """Webhook delivery log and triggers."""
    state = emu.state

    @bp.get("/webhooks/deliveries")
    def deliveries() -> Response:
        """Every webhook delivery so far (waits briefly for queued ones to finish)."""
        emu.webhooks.wait_idle(timeout=float(request.args.get("wait", 5)))
        return jsonify(deliveries=[d.to_json() for d in emu.webhooks.deliveries])

    @bp.delete("/webhooks/deliveries")
    def clear_deliveries() -> Response:
        """Forget finished deliveries."""
        emu.webhooks.clear()
        return jsonify(ok=True)

    @bp.post("/webhooks/trigger")
    def trigger() -> tuple[Response, int]:
        """Send a topic now: to `url` (compliance topics) or to the shop's subscriptions."""
        data = request.get_json(silent=True) or {}
        shop = state.shops.get(str(data.get("shop")))
        if shop is None or not data.get("topic"):
            return jsonify(error="known shop and topic are required"), 400
        payload = data.get("payload") or _default_payload(shop.domain, str(data["topic"]))
        if data.get("url"):
            client_id = str(data.get("client_id") or DEMO_CLIENT_ID)
            sent = [emu.webhooks.send(shop.domain, data["topic"], payload, data["url"], client_id)]
        else:
            sent = emu.webhooks.emit(shop, str(data["topic"]), payload)
        return jsonify(deliveries=[d.id for d in sent]), 202


def _add_inventory_routes(bp: Blueprint, emu: Emulator) -> None:
    """GET /inventory/adjustments."""
    state = emu.state

    @bp.get("/inventory/adjustments")
    def adjustments() -> tuple[Response, int] | Response:
        """The shop's applied inventorySetQuantities, oldest first: key, reason, reference,
        inventory item ids, time (a request answered from its idempotency key is not listed)."""
        shop = state.shops.get(str(request.args.get("shop")))
        if shop is None:
            return jsonify(error="unknown shop"), 400
        with state.lock:
            return jsonify(adjustments=list(shop.adjustments))


def _revoke_tokens(emu: Emulator, shop: str, client_id: str) -> None:
    """Forget every access and refresh token of an app on a shop."""
    state = emu.state
    with state.lock:
        for table in (state.tokens, state.refresh_tokens):
            for value, token in list(table.items()):
                if token.shop == shop and token.client_id == client_id:
                    del table[value]


def _apply_settings(emu: Emulator, data: dict[str, Any]) -> None:
    """Apply posted settings."""
    state = emu.state
    if "bucket_max" in data:
        state.bucket_max = int(data["bucket_max"])
        state.buckets.clear()
    if "throttle_http_status" in data:
        emu.throttle_http_status = int(data["throttle_http_status"])
    if "oauth_deny" in data:
        state.oauth_deny = bool(data["oauth_deny"])
    if "bulk_delay" in data:
        state.bulk_delay = float(data["bulk_delay"])
    for domain, rates in (data.get("exchange_rates") or {}).items():
        state.shops[domain].exchange_rates.update({k: Decimal(str(v)) for k, v in rates.items()})


def _default_payload(domain: str, topic: str) -> dict[str, Any]:
    """A payload shaped like Shopify's for the app and compliance topics.

    ref: https://shopify.dev/docs/apps/build/privacy-law-compliance (compliance payloads)
    """
    shop_id = zlib.crc32(domain.encode())
    if topic == "app/uninstalled":
        return {
            "id": shop_id,
            "name": domain.split(".")[0],
            "domain": domain,
            "myshopify_domain": domain,
        }
    base: dict[str, Any] = {"shop_id": shop_id, "shop_domain": domain}
    if topic in ("customers/redact", "customers/data_request"):
        base["customer"] = {"id": 1, "email": "customer@example.com", "phone": None}
        base["orders_to_redact" if topic == "customers/redact" else "orders_requested"] = []
    if topic == "customers/data_request":
        base["data_request"] = {"id": 1}
    return base
