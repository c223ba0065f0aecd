"""Webhooks declared in shopify.app.toml are delivered, in the toml's [webhooks] api_version,
to installations holding each topic's scope; app/uninstalled reaches them on uninstall.

ref: https://shopify.dev/docs/apps/build/webhooks/subscribe/get-started?deliveryMethod=https
ref: https://shopify.dev/docs/apps/build/cli-for-apps/app-configuration
ref: https://shopify.dev/docs/apps/build/webhooks/subscribe (a topic needs its access scope)
ref: https://github.com/Shopify/cli/pull/6003 (deploy: "Missing scope for webhook topic: …")
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from emulators.shopify.webhooks import sign
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


def test_uninstall_sends_app_uninstalled_to_the_toml_then_nothing(shop_client, receiver):
    recv, hooks_url = receiver
    deploy(shop_client, hooks_url.removesuffix("/hooks"))
    uninstalled = shop_client.control(
        "POST",
        "/uninstall",
        json={
            "shop": shop_client.shop,
            "client_id": tomllib.loads(APP_TOML.read_text())["client_id"],
        },
    )
    assert uninstalled.status_code == 202 and len(uninstalled.json()["deliveries"]) == 1
    create_order(shop_client)
    shop_client.control("GET", "/webhooks/deliveries")
    # app/uninstalled reaches the toml's `uri = "/webhooks"`, signed and versioned like the
    # rest; once uninstalled, the app gets nothing more.
    [(headers, body)] = recv.received
    assert headers["X-Shopify-Topic"] == "app/uninstalled"
    assert headers["X-Shopify-Api-Version"] == "2026-10"
    assert headers["X-Shopify-Hmac-Sha256"] == sign(body, SECRET)
    assert json.loads(body)["myshopify_domain"] == shop_client.shop


def test_toml_and_api_subscriptions_get_one_app_uninstalled_event(shop_client, receiver):
    recv, hooks_url = receiver
    token = deploy(shop_client, hooks_url.removesuffix("/hooks"))
    created = shop_client.execute(
        """mutation($url: URL!) { webhookSubscriptionCreate(topic: APP_UNINSTALLED,
          webhookSubscription: {callbackUrl: $url}) { userErrors { message } } }""",
        {"url": hooks_url},
        token=token,
    )["data"]["webhookSubscriptionCreate"]
    assert created["userErrors"] == []
    client_id = tomllib.loads(APP_TOML.read_text())["client_id"]
    shop_client.control(
        "POST", "/uninstall", json={"shop": shop_client.shop, "client_id": client_id}
    )
    shop_client.control("GET", "/webhooks/deliveries")
    assert sorted(h["X-Shopify-Topic"] for h, _ in recv.received) == ["app/uninstalled"] * 2
    assert len({h["X-Shopify-Event-Id"] for h, _ in recv.received}) == 1  # one event


def test_uninstall_of_another_app_sends_the_toml_app_nothing(shop_client, receiver):
    recv, hooks_url = receiver
    deploy(shop_client, hooks_url.removesuffix("/hooks"))
    shop_client.control("POST", "/uninstall", json={"shop": shop_client.shop})  # the demo app
    shop_client.control("GET", "/webhooks/deliveries")
    assert recv.received == []


def narrow_toml(scopes: str, topics: str, legacy: bool = False) -> str:
    """A minimal shopify.app.toml for app "narrow" declaring `scopes` and one subscription."""
    return f"""client_id = "narrow"
application_url = "https://narrow.example.com"
[access_scopes]
scopes = "{scopes}"
use_legacy_install_flow = {str(legacy).lower()}
[webhooks]
api_version = "2025-01"
  [[webhooks.subscriptions]]
  topics = [{topics}]
  uri = "/webhooks"
"""


def register_narrow(shop_client, scopes: str = "read_products") -> None:
    """Register app "narrow" with `scopes`."""
    body = {"client_id": "narrow", "secret": "s", "scopes": scopes}
    assert shop_client.control("POST", "/apps", json=body).status_code == 201


def test_deploy_refuses_a_topic_whose_scope_the_toml_does_not_declare(shop_client):
    register_narrow(shop_client, scopes="read_orders")  # the toml's own scopes are what count
    topics = '"app/uninstalled", "orders/create", "products/update", "customers/update"'
    refused = shop_client.control(
        "POST", "/app-config", json={"toml": narrow_toml("read_products", topics)}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        "Missing scope for webhook topic: orders/create (read_orders or read_marketplace_orders)",
        "Missing scope for webhook topic: customers/update (read_customers)",
    ]
    allowed = narrow_toml("write_products,read_orders", '"orders/create", "products/update"')
    assert shop_client.control("POST", "/app-config", json={"toml": allowed}).status_code == 201


def test_deploy_with_legacy_install_flow_allows_only_unscoped_topics(shop_client):
    register_narrow(shop_client)
    toml = narrow_toml("read_orders", '"orders/create"', legacy=True)
    assert shop_client.control("POST", "/app-config", json={"toml": toml}).status_code == 422
    toml = narrow_toml("read_orders", '"app/uninstalled"', legacy=True)
    assert shop_client.control("POST", "/app-config", json={"toml": toml}).status_code == 201


def test_deploy_without_access_scopes_checks_the_registered_scopes(shop_client):
    register_narrow(shop_client, scopes="read_products")
    toml = narrow_toml("x", '"orders/create"').replace('[access_scopes]\nscopes = "x"\n', "")
    toml = toml.replace("use_legacy_install_flow = false\n", "")
    assert "access_scopes" not in toml
    assert shop_client.control("POST", "/app-config", json={"toml": toml}).status_code == 422


def test_toml_topic_is_not_delivered_to_an_installation_without_its_scope(shop_client, receiver):
    recv, hooks_url = receiver
    register_narrow(shop_client, scopes="read_orders,read_products")
    toml = narrow_toml("read_orders,read_products", '"orders/create"')
    deployed = shop_client.control(
        "POST",
        "/app-config",
        json={"toml": toml, "application_url": hooks_url.removesuffix("/hooks")},
    )
    assert deployed.status_code == 201
    # The merchant granted this installation read_products only (optional scopes).
    grant = {"shop": shop_client.shop, "client_id": "narrow", "scopes": "read_products"}
    assert shop_client.control("POST", "/tokens", json=grant).status_code == 201
    create_order(shop_client)
    shop_client.control("GET", "/webhooks/deliveries")
    assert recv.received == []
    grant["scopes"] = "read_orders"
    shop_client.control("POST", "/tokens", json=grant)
    create_order(shop_client)
    shop_client.control("GET", "/webhooks/deliveries")
    assert [h["X-Shopify-Topic"] for h, _ in recv.received] == ["orders/create"]
