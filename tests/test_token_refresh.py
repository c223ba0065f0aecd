"""A token refused before its expiry is refreshed once and the call retried; only a refused
refresh (or a second refusal) asks the merchant to reconnect — QuickBooks and Shopify alike."""

from __future__ import annotations

import requests

from extensions import db
from models import ConnectionStatus, Shop
from services.quickbooks_connection import call_with_refresh
from services.shopify_api import call_with_refresh as call_with_shopify
from tests.support import race

SHOP = "tokens.myshopify.com"
SHOP_NAME = "{ shop { name } }"


def lookup(client, session_token, path: str):
    """GET a lookup as the settings page does."""
    return client.get(
        f"/api/lookups/{path}", headers={"Authorization": f"Bearer {session_token(SHOP)}"}
    )


QBO_BEARER = "POST /oauth2/v1/tokens/bearer"
SHOPIFY_TOKEN = "POST /admin/oauth/access_token"


def token_grants(emulator, endpoint: str) -> int:
    """How many times the app called an emulator's token endpoint."""
    log = requests.get(f"{emulator.url}/_emulator/requests", timeout=10).json()
    return log["counts"].get(endpoint, 0)


def connected(merchant) -> Shop:
    """The shop installed and connected to QuickBooks."""
    assert merchant(SHOP).open_app().status_code == 200
    merchant(SHOP).connect_quickbooks()
    return Shop.by_domain(SHOP)


def test_a_lookup_refused_before_expiry_refreshes_and_answers(
    app, client, shopify_emulator, qbo_emulator, session_token, merchant
) -> None:
    shop = connected(merchant)
    old_token = shop.quickbooks_connection.access_token
    qbo_emulator.control("POST", "clock", advance=7200).raise_for_status()  # Intuit's clock
    response = lookup(client, session_token, "items")
    assert response.status_code == 200 and response.get_json()["choices"]
    db.session.expire_all()
    connection = Shop.by_domain(SHOP).quickbooks_connection
    assert connection.status == ConnectionStatus.CONNECTED
    assert connection.access_token != old_token


def test_a_revoked_connection_asks_for_reconnecting(
    app, client, shopify_emulator, qbo_emulator, session_token, merchant
) -> None:
    connection = connected(merchant).quickbooks_connection
    requests.post(  # the merchant disconnects the app inside QuickBooks
        f"{qbo_emulator.url}/oauth2/v1/tokens/revoke",
        timeout=10,
        json={"token": connection.refresh_token},
        auth=(app.config["QBO_CLIENT_ID"], app.config["QBO_CLIENT_SECRET"]),
    ).raise_for_status()
    response = lookup(client, session_token, "tax_codes")
    body = response.get_json()
    assert response.status_code == 409 and body["error"] == "reconnect"
    assert "invalid_grant" in body["message"] and "Reconnect QuickBooks" in body["fix"]
    status = client.get("/api/status", headers={"Authorization": f"Bearer {session_token(SHOP)}"})
    assert status.get_json()["quickbooks"]["status"] == "needs_reconnect"
    db.session.expire_all()
    assert Shop.by_domain(SHOP).quickbooks_connection.status == ConnectionStatus.NEEDS_RECONNECT


def test_two_processes_refused_at_once_refresh_once(
    app, shopify_emulator, qbo_emulator, merchant
) -> None:
    connected(merchant)
    qbo_emulator.control("POST", "clock", advance=7200).raise_for_status()
    before = token_grants(qbo_emulator, QBO_BEARER)

    def read_company() -> str:
        connection = Shop.by_domain(SHOP).quickbooks_connection
        return call_with_refresh(connection, lambda qb: qb.company_id)

    def read_items() -> int:
        from quickbooks.objects.item import Item

        connection = Shop.by_domain(SHOP).quickbooks_connection
        return call_with_refresh(connection, lambda qb: len(Item.all(max_results=5, qb=qb)))

    assert read_company()  # no request: nothing refused, nothing refreshed
    results = race(app, read_items)
    assert len(results) == 2 and all(results)
    assert token_grants(qbo_emulator, QBO_BEARER) == before + 1
    db.session.expire_all()
    assert Shop.by_domain(SHOP).quickbooks_connection.status == ConnectionStatus.CONNECTED


def test_shopify_refusing_an_unexpired_token_is_refreshed_once(
    app, shopify_emulator, merchant
) -> None:
    assert merchant(SHOP).open_app().status_code == 200
    old_token = Shop.by_domain(SHOP).shopify_access_token
    requests.post(
        f"{shopify_emulator.url}/_emulator/clock", json={"advance": 7200}, timeout=10
    ).raise_for_status()
    before = token_grants(shopify_emulator, SHOPIFY_TOKEN)
    results = race(
        app, lambda: call_with_shopify(Shop.by_domain(SHOP), lambda c: c.execute(SHOP_NAME))
    )
    assert all(r["data"]["shop"]["name"] for r in results)
    assert token_grants(shopify_emulator, SHOPIFY_TOKEN) == before + 1
    db.session.expire_all()
    assert Shop.by_domain(SHOP).shopify_access_token != old_token


def test_a_token_refused_again_after_its_refresh_asks_for_reconnecting(
    app, client, shopify_emulator, qbo_emulator, session_token, merchant
) -> None:
    connected(merchant)
    qbo_emulator.control("POST", "faults", expire_tokens=True).raise_for_status()
    before = token_grants(qbo_emulator, QBO_BEARER)
    response = lookup(client, session_token, "classes")
    assert response.status_code == 409 and response.get_json()["error"] == "reconnect"
    assert token_grants(qbo_emulator, QBO_BEARER) == before + 1  # one refresh, then no more
    db.session.expire_all()
    connection = Shop.by_domain(SHOP).quickbooks_connection
    assert connection.status == ConnectionStatus.NEEDS_RECONNECT
    assert "refused the access token again" in connection.status_reason
