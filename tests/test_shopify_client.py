"""The Shopify client translates every failure into the error the jobs act on."""

from __future__ import annotations

import pytest
import requests

from clients.errors import AuthError, DataError, RetryableError, RetryReason
from clients.shopify import ShopifyClient

SHOP = "client.myshopify.com"


@pytest.fixture
def shopify(app, shopify_emulator) -> ShopifyClient:
    """A client with a valid token for a shop on the emulator."""
    created = requests.post(
        f"{shopify_emulator.url}/_emulator/shops",
        timeout=10,
        json={"domain": SHOP, "client_id": app.config["SHOPIFY_API_KEY"]},
    )
    created.raise_for_status()
    return ShopifyClient(SHOP, created.json()["access_token"], "2026-10", shopify_emulator.url)


def faults(emulator, **settings: object) -> None:
    """Configure the emulator's fault injection."""
    requests.post(f"{emulator.url}/_emulator/faults", json=settings, timeout=10).raise_for_status()


def test_a_query_returns_data_and_cost(shopify) -> None:
    result = shopify.execute("{ shop { myshopifyDomain } }")
    assert result["data"]["shop"]["myshopifyDomain"] == SHOP
    assert result["extensions"]["cost"]["throttleStatus"]["restoreRate"] > 0


def test_throttled_is_retryable(shopify, shopify_emulator) -> None:
    faults(shopify_emulator, throttle_burst=1)
    with pytest.raises(RetryableError, match="throttled") as raised:
        shopify.execute("{ shop { name } }")
    assert raised.value.why is RetryReason.THROTTLED
    assert shopify.execute("{ shop { name } }")["data"]["shop"]["name"]


def test_server_errors_are_retryable(shopify, shopify_emulator) -> None:
    faults(shopify_emulator, error_rate=1.0, error_status=503)
    with pytest.raises(RetryableError, match="503") as raised:
        shopify.execute("{ shop { name } }")
    assert raised.value.why is RetryReason.SERVER_ERROR


def test_invalid_document_is_a_data_error(shopify) -> None:
    with pytest.raises(DataError, match="noSuchField"):
        shopify.execute("{ shop { noSuchField } }")


def test_unknown_token_needs_the_merchant(app, shopify_emulator) -> None:
    stranger = ShopifyClient(SHOP, "shpat_unknown", "2026-10", shopify_emulator.url)
    with pytest.raises(AuthError):
        stranger.execute("{ shop { name } }")


def test_unreachable_shopify_is_retryable(app) -> None:
    down = ShopifyClient(SHOP, "t", "2026-10", "http://127.0.0.1:9")
    with pytest.raises(RetryableError, match="could not be reached") as raised:
        down.execute("{ shop { name } }")
    assert raised.value.why is RetryReason.NETWORK
