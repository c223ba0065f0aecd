"""Webhooks declared in shopify.app.toml are delivered, in the toml's [webhooks] api_version.

ref: https://shopify.dev/docs/apps/build/webhooks/subscribe/get-started?deliveryMethod=https
ref: https://shopify.dev/docs/apps/build/cli-for-apps/app-configuration
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.emulators.shopify.builders import create_order

APP_TOML = Path(__file__).resolve().parents[3] / "shopify.app.toml"
SECRET = "toml-app-secret"


def deploy(shop_client, base_url: str) -> str:
    """Register the toml's app, install it on the shop and deploy its configuration."""
    text = APP_TOML.read_text()
    client_id = tomllib.loads(text)["client_id"]
    shop_client.control("POST", "/apps", json={"client_id": client_id, "secret": SECRET})
    token = shop_client.control(
        "POST", "/tokens", json={"shop": shop_client.shop, "client_id": client_id}
    )
    assert token.status_code == 201, token.text
    deployed = shop_client.control(
        "POST", "/app-config", json={"toml": text, "application_url": base_url}
    )
    assert deployed.status_code == 201, deployed.text
    return token.json()["access_token"]


def test_toml_subscription_gets_orders_create_with_its_api_version(shop_client, receiver):
    recv, hooks_url = receiver
    deploy(shop_client, hooks_url.removesuffix("/hooks"))
    create_order(shop_client)
    shop_client.control("GET", "/webhooks/deliveries")
    by_topic = {h["X-Shopify-Topic"]: h for h, _ in recv.received}
    assert "orders/create" in by_topic
    version = tomllib.loads(APP_TOML.read_text())["webhooks"]["api_version"]
    assert by_topic["orders/create"]["X-Shopify-Api-Version"] == version == "2026-10"
    deliveries = shop_client.control("GET", "/webhooks/deliveries").json()["deliveries"]
    assert {d["url"] for d in deliveries} == {hooks_url.replace("/hooks", "/webhooks")}


def test_api_subscription_inherits_the_app_version(shop_client, receiver):
    _, hooks_url = receiver
    token = deploy(shop_client, hooks_url.removesuffix("/hooks"))
    created = shop_client.execute(
        """mutation($url: URL!) { webhookSubscriptionCreate(topic: ORDERS_PAID,
          webhookSubscription: {callbackUrl: $url}) { webhookSubscription { apiVersion {
          handle } } userErrors { message } } }""",
        {"url": hooks_url},
        token=token,
    )["data"]["webhookSubscriptionCreate"]
    assert created["webhookSubscription"]["apiVersion"]["handle"] == "2026-10"


def test_not_installed_app_gets_nothing(shop_client, receiver):
    recv, hooks_url = receiver
    deploy(shop_client, hooks_url.removesuffix("/hooks"))
    shop_client.control(
        "POST",
        "/uninstall",
        json={
            "shop": shop_client.shop,
            "client_id": tomllib.loads(APP_TOML.read_text())["client_id"],
        },
    )
    create_order(shop_client)
    shop_client.control("GET", "/webhooks/deliveries")
    assert [h["X-Shopify-Topic"] for h, _ in recv.received] == []
