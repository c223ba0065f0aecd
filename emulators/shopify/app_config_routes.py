"""POST /_emulator/app-config: deploy an app's shopify.app.toml (its webhook subscriptions).

A subscription to a topic whose access scope the app does not declare is refused at deploy, as
Shopify refuses to create the app version: "Missing scope for webhook topic: orders/create
(read_orders or read_marketplace_orders)". The scopes checked are the toml's [access_scopes]
scopes (none with use_legacy_install_flow = true), else the scopes the app was registered with.
ref: https://github.com/Shopify/cli/pull/6003 (the deploy error, quoted)
ref: https://shopify.dev/docs/apps/build/webhooks/subscribe ("Each topic you subscribe to
requires a corresponding access scope")
"""

from __future__ import annotations

import tomllib

from flask import Blueprint, Response, jsonify, request

from emulators.shopify import app_toml
from emulators.shopify.context import Emulator
from emulators.shopify.resolvers.webhook_subscriptions import enum_topic
from emulators.shopify.scopes import granted, topic_allowed, topic_requirement


def register(bp: Blueprint, emu: Emulator) -> None:
    """Add the app configuration route to the control blueprint."""

    @bp.post("/app-config")
    def deploy_app_config() -> tuple[Response, int]:
        """Like `shopify app deploy`: {toml, application_url?}; the app must be registered."""
        data = request.get_json(silent=True) or {}
        try:
            client_id, config = app_toml.parse(
                str(data.get("toml", "")), data.get("application_url")
            )
        except tomllib.TOMLDecodeError as exc:
            return jsonify(error=f"invalid TOML: {exc}"), 400
        if client_id not in emu.state.apps:
            return jsonify(error="unknown client_id"), 400
        missing = missing_scopes(config, emu.state.apps[client_id].scopes)
        if missing:
            return jsonify(error="Version couldn't be created.", errors=missing), 422
        emu.webhooks.configure(client_id, config)
        return jsonify(client_id=client_id, api_version=config.api_version), 201


def missing_scopes(config: app_toml.AppWebhookConfig, registered: str) -> list[str]:
    """Shopify's deploy error for each declared topic the app's declared scopes do not cover."""
    declared = "" if config.legacy_install_flow else config.access_scopes
    scopes = granted(registered if declared is None else declared)
    errors: list[str] = []
    for topic in dict.fromkeys(t for t, _ in config.subscriptions):
        if not topic_allowed(enum_topic(topic), scopes):
            need = topic_requirement(enum_topic(topic))
            errors.append(f"Missing scope for webhook topic: {topic} ({need})")
    return errors
