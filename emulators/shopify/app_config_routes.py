"""POST /_emulator/app-config: deploy an app's shopify.app.toml (its webhook subscriptions)."""

from __future__ import annotations

import tomllib

from flask import Blueprint, Response, jsonify, request

from emulators.shopify import app_toml
from emulators.shopify.context import Emulator


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
        emu.webhooks.configure(client_id, config)
        return jsonify(client_id=client_id, api_version=config.api_version), 201
