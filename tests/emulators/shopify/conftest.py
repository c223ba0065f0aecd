"""Fixtures for the Shopify emulator tests: one server per test session, reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from flask import Flask

from emulators.common.serve import ServerHandle, serve_in_thread
from emulators.shopify import create_app
from emulators.shopify.store import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from tests.emulators.shopify.builders import LOCATION_ADD, PRODUCT_SET, ShopClient

SHOP = "test-shop.myshopify.com"


@pytest.fixture(scope="session")
def emulator_app() -> Flask:
    """The emulator app (shared by the session's tests; reset before each)."""
    return create_app()


@pytest.fixture(scope="session")
def emulator_server(emulator_app: Flask) -> Iterator[ServerHandle]:
    """The emulator served on a free port."""
    handle = serve_in_thread(emulator_app)
    yield handle
    handle.shutdown()


@pytest.fixture
def shop_client(emulator_server: ServerHandle) -> ShopClient:
    """A reset emulator with one shop and an access token for the demo app on it."""
    requests.post(f"{emulator_server.url}/_emulator/reset", timeout=10).raise_for_status()
    resp = requests.post(
        f"{emulator_server.url}/_emulator/shops", json={"domain": SHOP}, timeout=10
    )
    resp.raise_for_status()
    return ShopClient(emulator_server, SHOP, resp.json()["access_token"])


@pytest.fixture
def app_credentials() -> tuple[str, str]:
    """The demo app's client id and secret."""
    return DEMO_CLIENT_ID, DEMO_CLIENT_SECRET


@pytest.fixture
def catalog(shop_client: ShopClient) -> dict[str, str]:
    """A location and a product "Mug" (variant MUG-1 at 12.30, 10 available there)."""
    location = shop_client.data(LOCATION_ADD)["locationAdd"]["location"]["id"]
    product = shop_client.data(
        PRODUCT_SET,
        {
            "input": {
                "title": "Mug",
                "productOptions": [{"name": "Size", "values": [{"name": "M"}]}],
                "variants": [
                    {
                        "optionValues": [{"optionName": "Size", "name": "M"}],
                        "sku": "MUG-1",
                        "price": "12.30",
                        "inventoryQuantities": [
                            {"locationId": location, "name": "available", "quantity": 10}
                        ],
                    }
                ],
            },
        },
    )["productSet"]["product"]
    variant = product["variants"]["nodes"][0]
    return {
        "location": location,
        "product": product["id"],
        "variant": variant["id"],
        "item": variant["inventoryItem"]["id"],
    }


class Receiver:
    """An HTTP endpoint that records webhook deliveries (and can fail the first few)."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.fail_next = 0
        self.app = Flask("webhook-receiver")
        self.app.add_url_rule("/hooks", "hooks", self._hook, methods=["POST"])
        # shopify.app.toml's `uri = "/webhooks"` (test_shopify_app_config.py)
        self.app.add_url_rule("/webhooks", "webhooks", self._hook, methods=["POST"])

    def _hook(self) -> tuple[str, int]:
        """Record one delivery."""
        from flask import request

        if self.fail_next:
            self.fail_next -= 1
            return "try again", 500
        self.received.append((dict(request.headers), request.get_data()))
        return "", 200


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    """A webhook receiver on a free port and its callback URL."""
    recv = Receiver()
    handle = serve_in_thread(recv.app)
    yield recv, f"{handle.url}/hooks"
    handle.shutdown()


@pytest.fixture(autouse=True)
def _restore_shopify_session_settings() -> Iterator[None]:
    """ShopifyAPI's Session settings are class-level: put them back after every test."""
    import shopify

    names = ("api_key", "secret", "protocol", "myshopify_domain", "port")
    saved = {name: getattr(shopify.Session, name) for name in names}
    yield
    shopify.Session.setup(**saved)
