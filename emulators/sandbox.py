"""Sandbox mode: both emulators served from this process, the app pointed at them, and a demo
store and a demo QuickBooks company seeded through the emulators' own APIs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import requests
from flask import Flask

from emulators.common.serve import ServerHandle, serve_in_thread

DEMO_SHOP = "ledgerbridge-demo.myshopify.com"
DEFAULT_ORDERS = 300


@dataclass
class Sandbox:
    """Where the sandbox's emulators run and what they hold."""

    shopify: ServerHandle
    quickbooks: ServerHandle
    shop_domain: str
    realm_id: str

    @property
    def browse_url(self) -> str:
        """The read-only page of the demo QuickBooks company."""
        return f"{self.quickbooks.url}/_emulator/browse/{self.realm_id}"

    def stop(self) -> None:
        """Stop both emulators."""
        self.shopify.shutdown()
        self.quickbooks.shutdown()


def _control(handle: ServerHandle, path: str, body: dict) -> dict:
    """POST to an emulator's /_emulator/ test control."""
    response = requests.post(f"{handle.url}/_emulator/{path}", json=body, timeout=30)
    response.raise_for_status()
    return response.json()


def point_app_at(app: Flask, shopify: ServerHandle, quickbooks: ServerHandle) -> None:
    """Send the app's Shopify and Intuit calls to the emulators, and teach them the app."""
    config = app.config
    _control(
        shopify,
        "apps",
        {
            "client_id": config["SHOPIFY_API_KEY"],
            "secret": config["SHOPIFY_API_SECRET"],
            "scopes": config["SHOPIFY_SCOPES"],
        },
    )
    _control(
        quickbooks,
        "apps",
        {
            "client_id": config["QBO_CLIENT_ID"],
            "client_secret": config["QBO_CLIENT_SECRET"],
            "redirect_uris": [f"{config['APP_URL']}/quickbooks/callback"],
        },
    )
    config["SHOPIFY_ADMIN_BASE_URL"] = shopify.url
    config["QBO_ENVIRONMENT"] = f"{quickbooks.url}/.well-known/openid_configuration"
    config["QBO_API_BASE_URL"] = f"{quickbooks.url}/v3"


def start(
    app: Flask,
    *,
    shopify_port: int = 7001,
    quickbooks_port: int = 7002,
    orders: int = DEFAULT_ORDERS,
    say: Callable[[str], None] = print,
) -> Sandbox:
    """Start and seed both emulators for `app`; returns where they are."""
    from emulators.quickbooks import create_app as create_quickbooks
    from emulators.shopify import create_app as create_shopify
    from emulators.shopify.seed import seed_store

    shopify = serve_in_thread(create_shopify(), port=shopify_port)
    quickbooks = serve_in_thread(create_quickbooks(), port=quickbooks_port)
    point_app_at(app, shopify, quickbooks)
    say(f"Shopify emulator on {shopify.url}; QuickBooks emulator on {quickbooks.url}")
    realm_id = _control(quickbooks, "companies", {"template": "us"})["realm_id"]
    token = _control(
        shopify, "shops", {"domain": DEMO_SHOP, "client_id": app.config["SHOPIFY_API_KEY"]}
    )
    say(f"Seeding {DEMO_SHOP} with {orders} orders through the emulator's GraphQL API…")
    seed_store(shopify.url, shopify.port, token["access_token"], orders=orders)
    say(f"Demo QuickBooks company {realm_id} ready.")
    return Sandbox(shopify, quickbooks, DEMO_SHOP, realm_id)
