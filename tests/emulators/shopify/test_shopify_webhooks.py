"""Webhook subscriptions and deliveries: headers, HMAC, REST payloads, retries, triggers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error

import pytest
import shopify

from tests.emulators.shopify.builders import (
    create_order,
    create_paid_order,
    money,
    refund_first_line,
)

SUBSCRIBE = """mutation($topic: WebhookSubscriptionTopic!, $url: URL!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: {callbackUrl: $url,
    format: JSON}) { webhookSubscription { id topic callbackUrl }
    userErrors { field message } } }"""


def subscribe(client, topic, url):
    """webhookSubscriptionCreate; returns the payload."""
    return client.data(SUBSCRIBE, {"topic": topic, "url": url})["webhookSubscriptionCreate"]


def deliveries(client):
    """The emulator's delivery log (after queued deliveries finished)."""
    return client.control("GET", "/webhooks/deliveries").json()["deliveries"]


def test_subscription_create_and_duplicate(shop_client, receiver):
    _, url = receiver
    created = subscribe(shop_client, "ORDERS_CREATE", url)
    assert created["webhookSubscription"]["topic"] == "ORDERS_CREATE"
    again = subscribe(shop_client, "ORDERS_CREATE", url)
    assert again["userErrors"][0]["message"] == "Address for this topic has already been taken"
    listed = shop_client.data("{ webhookSubscriptions(first: 5) { nodes { callbackUrl } } }")
    assert listed["webhookSubscriptions"]["nodes"] == [{"callbackUrl": url}]


def test_order_create_delivers_signed_rest_payload(shop_client, receiver, app_credentials):
    recv, url = receiver
    subscribe(shop_client, "ORDERS_CREATE", url)
    subscribe(shop_client, "ORDERS_PAID", url)
    order = create_order(
        shop_client,
        financialStatus="PAID",
        lineItems=[{"title": "Widget", "sku": "W-1", "priceSet": money("10.00"), "quantity": 2}],
    )
    deliveries(shop_client)
    topics = sorted(h["X-Shopify-Topic"] for h, _ in recv.received)
    assert topics == ["orders/create", "orders/paid"]
    headers, body = recv.received[0]
    secret = app_credentials[1].encode()
    expected = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()
    assert hmac.compare_digest(headers["X-Shopify-Hmac-Sha256"], expected)
    assert headers["X-Shopify-Shop-Domain"] == "test-shop.myshopify.com"
    assert headers["X-Shopify-Api-Version"] == "2025-01"
    for name in ("X-Shopify-Webhook-Id", "X-Shopify-Event-Id", "X-Shopify-Triggered-At"):
        assert headers[name]
    payload = json.loads(body)
    assert payload["admin_graphql_api_id"] == order["id"]
    assert payload["financial_status"] == "paid"
    assert payload["total_price"] == "20.00"
    assert payload["total_price_set"]["shop_money"] == {"amount": "20.00", "currency_code": "USD"}
    assert payload["line_items"][0]["sku"] == "W-1"


def test_refund_and_cancel_deliver_their_topics(shop_client, receiver):
    recv, url = receiver
    for topic in ("REFUNDS_CREATE", "ORDERS_CANCELLED", "ORDERS_UPDATED"):
        subscribe(shop_client, topic, url)
    order = create_paid_order(shop_client)
    shop_client.data(
        """mutation($id: ID!) { orderCancel(orderId: $id, refund: true,
      restock: false, reason: CUSTOMER) { orderCancelUserErrors { message } } }""",
        {"id": order["id"]},
    )
    deliveries(shop_client)
    topics = [h["X-Shopify-Topic"] for h, _ in recv.received]
    assert "refunds/create" in topics and "orders/cancelled" in topics
    refund = next(
        json.loads(b) for h, b in recv.received if h["X-Shopify-Topic"] == "refunds/create"
    )
    assert refund["admin_graphql_api_id"].startswith("gid://shopify/Refund/")
    assert refund["transactions"][0]["kind"] == "refund"


def test_failed_delivery_is_retried(shop_client, receiver):
    recv, url = receiver
    recv.fail_next = 2
    subscribe(shop_client, "ORDERS_CREATE", url)
    create_order(shop_client)
    log = deliveries(shop_client)
    assert log[0]["attempts"] == [500, 500, 200] and log[0]["delivered"] is True
    assert len(recv.received) == 1


def test_trigger_compliance_topic_to_url(shop_client, receiver):
    recv, url = receiver
    resp = shop_client.control(
        "POST",
        "/webhooks/trigger",
        json={"shop": "test-shop.myshopify.com", "topic": "customers/redact", "url": url},
    )
    assert resp.status_code == 202
    deliveries(shop_client)
    headers, body = recv.received[0]
    assert headers["X-Shopify-Topic"] == "customers/redact"
    payload = json.loads(body)
    assert payload["shop_domain"] == "test-shop.myshopify.com"
    assert "orders_to_redact" in payload


def test_trigger_app_uninstalled_to_subscriptions(shop_client, receiver):
    recv, url = receiver
    subscribe(shop_client, "APP_UNINSTALLED", url)
    shop_client.control(
        "POST",
        "/webhooks/trigger",
        json={"shop": "test-shop.myshopify.com", "topic": "app/uninstalled"},
    )
    deliveries(shop_client)
    assert json.loads(recv.received[0][1])["myshopify_domain"] == "test-shop.myshopify.com"


def test_subscription_delete_stops_deliveries(shop_client, receiver):
    recv, url = receiver
    sub = subscribe(shop_client, "ORDERS_CREATE", url)["webhookSubscription"]["id"]
    deleted = shop_client.data(
        """mutation($id: ID!) { webhookSubscriptionDelete(id: $id) {
      deletedWebhookSubscriptionId userErrors { message } } }""",
        {"id": sub},
    )
    assert deleted["webhookSubscriptionDelete"]["deletedWebhookSubscriptionId"] == sub
    create_order(shop_client)
    assert deliveries(shop_client) == [] and recv.received == []


def test_refund_updates_current_totals_in_orders_updated_payload(shop_client, receiver):
    recv, url = receiver
    subscribe(shop_client, "ORDERS_UPDATED", url)
    order = create_paid_order(
        shop_client, lineItems=[{"title": "W", "priceSet": money("10.00"), "quantity": 2}]
    )
    refund_first_line(shop_client, order, "10.00")
    deliveries(shop_client)
    payload = json.loads(recv.received[-1][1])
    assert payload["total_price"] == "20.00" and payload["current_total_price"] == "10.00"
    assert payload["financial_status"] == "partially_refunded"
    assert shop_client.control("DELETE", "/webhooks/deliveries").status_code == 200
    assert deliveries(shop_client) == []


def test_uninstall_revokes_tokens_then_sends_app_uninstalled(shop_client, receiver):
    recv, url = receiver
    subscribe(shop_client, "APP_UNINSTALLED", url)
    subscribe(shop_client, "ORDERS_CREATE", url)
    resp = shop_client.control("POST", "/uninstall", json={"shop": "test-shop.myshopify.com"})
    assert resp.status_code == 202
    deliveries(shop_client)
    assert [h["X-Shopify-Topic"] for h, _ in recv.received] == ["app/uninstalled"]
    with pytest.raises(urllib.error.HTTPError) as err:
        shop_client.execute("{ shop { id } }")
    assert err.value.code == 401
    state = shop_client.handle.server.app.emulator.state
    assert state.shops["test-shop.myshopify.com"].webhooks == {}


def test_sdk_session_settings_are_restored(shop_client):
    before = (shopify.Session.protocol, shopify.Session.myshopify_domain, shopify.Session.port)
    shop_client.execute("{ shop { id } }")
    assert (
        shopify.Session.protocol,
        shopify.Session.myshopify_domain,
        shopify.Session.port,
    ) == before
