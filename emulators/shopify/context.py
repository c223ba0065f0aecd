"""The per-request context resolvers receive as info.context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from emulators.shopify.protected_data import FULL
from emulators.shopify.scopes import ALL_SCOPES, granted
from emulators.shopify.store import EmulatorState, Shop

if TYPE_CHECKING:
    from emulators.shopify.webhooks import WebhookDispatcher


@dataclass
class RequestContext:
    """State, the calling shop and app, and the API version of one GraphQL request."""

    state: EmulatorState
    shop: Shop
    client_id: str
    api_version: str
    webhooks: WebhookDispatcher | None = None
    # The token's scopes, write_X implying read_X (emulators/shopify/scopes.py); in-process
    # callers that give none hold every scope (and see every order).
    scopes: frozenset[str] = granted(ALL_SCOPES)
    # The app's protected customer data approvals (emulators/shopify/protected_data.py).
    protected: frozenset[str] = FULL

    def now(self) -> datetime:
        """The emulated current time."""
        return self.state.clock.now()

    def emit(self, topic: str, payload: dict[str, Any]) -> None:
        """Queue a webhook delivery for this shop (no-op without a dispatcher)."""
        if self.webhooks is not None:
            self.webhooks.emit(self.shop, topic, payload)


@dataclass
class Emulator:
    """What the Flask app holds: state, test control and the webhook dispatcher."""

    state: EmulatorState
    control: Any
    webhooks: WebhookDispatcher
    throttle_http_status: int = 200
    app: Any = None  # the Flask app, so templates can serve it while seeding
