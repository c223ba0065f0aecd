"""Webhook deliveries: Shopify's headers, HMAC-signed REST-shaped bodies, background retries."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import queue
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests

from emulators.shopify.app_toml import AppWebhookConfig
from emulators.shopify.scopes import granted, topic_allowed
from emulators.shopify.store import EmulatorState, Shop

# ref: https://shopify.dev/docs/apps/build/webhooks/verify-deliveries (headers, base64 HMAC).
# X-Shopify-API-Version is the subscription's version, which it inherits from its app (the
# [webhooks] api_version of shopify.app.toml); this is the version of an app without one.
# ref: https://shopify.dev/docs/api/admin-graphql/2025-01/objects/WebhookSubscription#field-apiVersion
API_VERSION_HEADER = "2025-01"
# Shopify retries 8 times over 4 hours with exponential backoff, re-sending the original payload
# and headers (https://shopify.dev/changelog/updates-to-webhook-retry-mechanism); the emulator
# keeps the shape (same body, same X-Shopify-Webhook-Id) but squeezes the schedule into seconds.
RETRY_DELAYS = (0.2, 0.5, 1.0)
# Shopify allows 1 s to connect and 5 s to answer.
TIMEOUT_SECONDS = (1, 5)


def sign(body: bytes, secret: str) -> str:
    """X-Shopify-Hmac-SHA256: base64 HMAC-SHA256 of the raw body keyed with the client secret."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@dataclass
class Delivery:
    """One webhook sent (or being sent) to one subscription."""

    id: str
    topic: str
    shop: str
    url: str
    headers: dict[str, str]
    body: str
    attempts: list[int | str] = field(default_factory=list)
    delivered: bool = False

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form for the control API."""
        return {
            "id": self.id,
            "topic": self.topic,
            "shop": self.shop,
            "url": self.url,
            "headers": self.headers,
            "payload": json.loads(self.body),
            "attempts": self.attempts,
            "delivered": self.delivered,
        }


class WebhookDispatcher:
    """Queues deliveries and sends them from one background thread, retrying failures."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self.deliveries: list[Delivery] = []
        self.app_configs: dict[str, AppWebhookConfig] = {}
        self._queue: queue.Queue[Delivery] = queue.Queue()
        self._idle = threading.Condition()
        self._pending = 0
        self._thread = threading.Thread(target=self._work, name="shopify-webhooks", daemon=True)
        self._thread.start()

    def configure(self, client_id: str, config: AppWebhookConfig) -> None:
        """Deploy an app's shopify.app.toml webhooks (replacing the previous deploy)."""
        self.app_configs[client_id] = config

    def api_version(self, client_id: str) -> str:
        """The webhook API version of an app's subscriptions."""
        config = self.app_configs.get(client_id)
        return config.api_version if config and config.api_version else API_VERSION_HEADER

    def emit(self, shop: Shop, topic: str, payload: dict[str, Any]) -> list[Delivery]:
        """Deliver `payload` for `topic` to every subscription of every app on `shop`: those
        made through the API and those declared in an installed app's shopify.app.toml."""
        targets = self.targets(shop, topic)
        event_id = str(uuid.uuid4())  # one event, one id, however many subscriptions
        return [
            self.send(shop.domain, topic, payload, url, client_id, event_id)
            for client_id, url in targets
        ]

    def targets(self, shop: Shop, topic: str, only: str | None = None) -> list[tuple[str, str]]:
        """(client_id, url) of the subscriptions to `topic` on `shop` (of the app `only`, if
        given): API-made, then declared ones not already among them."""
        found = [
            (s.client_id, s.callback_url)
            for s in shop.webhooks.values()
            if s.topic == topic and only in (None, s.client_id)
        ]
        declared = self._declared(shop.domain, topic)
        return found + [t for t in declared if t not in found and only in (None, t[0])]

    def _declared(self, domain: str, topic: str) -> list[tuple[str, str]]:
        """(client_id, url) of the toml subscriptions to `topic` of apps installed on `domain`
        whose installation holds the topic's access scope (Shopify delivers a topic only to an
        app granted its scope: https://shopify.dev/docs/apps/build/webhooks/subscribe)."""
        granted_to: dict[str, set[str]] = {}
        for token in self.state.tokens.values():
            if token.shop == domain:
                granted_to.setdefault(token.client_id, set()).update(granted(token.scope))
        return [
            (client_id, url)
            for client_id, config in self.app_configs.items()
            if client_id in granted_to
            and topic_allowed(topic.replace("/", "_").upper(), frozenset(granted_to[client_id]))
            for declared, url in config.subscriptions
            if declared == topic
        ]

    def send(
        self,
        shop: str,
        topic: str,
        payload: dict[str, Any],
        url: str,
        client_id: str,
        event_id: str | None = None,
    ) -> Delivery:
        """Queue one delivery to `url`, signed with the app's secret."""
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
        secret = self.state.apps[client_id].secret
        now = self.state.clock.now()
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Shop-Domain": shop,
            "X-Shopify-API-Version": self.api_version(client_id),
            "X-Shopify-Webhook-Id": str(uuid.uuid4()),
            "X-Shopify-Event-Id": event_id or str(uuid.uuid4()),
            "X-Shopify-Triggered-At": now.isoformat().replace("+00:00", "Z"),
            "X-Shopify-Hmac-SHA256": sign(body.encode(), secret),
        }
        delivery = Delivery(headers["X-Shopify-Webhook-Id"], topic, shop, url, headers, body)
        with self._idle:
            self.deliveries.append(delivery)
            self._pending += 1
        self._queue.put(delivery)
        return delivery

    def wait_idle(self, timeout: float = 10) -> bool:
        """Block until every queued delivery finished (delivered or out of retries)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def clear(self) -> None:
        """Forget the delivery log."""
        with self._idle:
            self.deliveries = [d for d in self.deliveries if not d.attempts and not d.delivered]

    def _work(self) -> None:
        """Deliver queued webhooks forever."""
        while True:
            delivery = self._queue.get()
            self._deliver(delivery)
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()

    def _deliver(self, delivery: Delivery) -> None:
        """POST with retries; 2xx counts as delivered (Shopify retries anything else)."""
        for delay in (0.0, *RETRY_DELAYS):
            if delay:
                threading.Event().wait(delay)
            try:
                resp = requests.post(
                    delivery.url,
                    data=delivery.body.encode(),
                    headers=delivery.headers,
                    timeout=TIMEOUT_SECONDS,
                )
            except requests.RequestException as exc:
                delivery.attempts.append(type(exc).__name__)
                continue
            delivery.attempts.append(resp.status_code)
            if 200 <= resp.status_code < 300:
                delivery.delivered = True
                return
