"""The QuickBooks consent belongs to the browser that started it: single use, short-lived, for
the realm Intuit consented to; a failed callback answers 4xx and leaves a working connection be."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from extensions import db
from models import ConnectionStatus, QuickBooksConnection, Shop
from services.quickbooks_connection import access_token

SHOP, ATTACKER = "alpha.myshopify.com", "mallory.myshopify.com"


@pytest.fixture
def shop(app) -> Shop:
    """The merchant's installed shop, and the attacker's."""
    for domain in (SHOP, ATTACKER):
        db.session.add(
            Shop(shop_domain=domain, installed_at=datetime.now(UTC), shopify_access_token="t")
        )
    db.session.commit()
    return Shop.by_domain(SHOP)


def saved(shop: Shop) -> dict[str, object]:
    """What the shop's connection holds now, read from the database."""
    db.session.expire_all()
    connection = db.session.scalar(
        db.select(QuickBooksConnection).where(QuickBooksConnection.shop_id == shop.id)
    )
    if connection is None:
        return {}
    return {
        "realm": connection.realm_id,
        "status": connection.status,
        "access": connection.access_token,
        "refresh": connection.refresh_token,
        "company": connection.company_name,
    }


def callback(client, params: dict[str, str]):
    """Intuit's redirect back, followed in `client` (a browser)."""
    return client.get("/quickbooks/callback", query_string=params)


def test_a_wrong_realm_keeps_the_working_connection(client, shop, qbo_emulator, merchant):
    merchant(SHOP).connect_quickbooks()
    before = saved(shop)
    other = qbo_emulator.control("POST", "companies", template="us").json()["realm_id"]
    params = merchant(SHOP).quickbooks_consent()
    response = callback(client, params | {"realmId": other})
    assert response.status_code == 400
    assert "not connected" in response.get_data(as_text=True)
    assert saved(shop) == before and before["status"] == ConnectionStatus.CONNECTED
    assert access_token(Shop.by_domain(SHOP).quickbooks_connection, force=True)


def test_a_failed_first_connection_leaves_none(client, shop, qbo_emulator, merchant):
    params = merchant(SHOP).quickbooks_consent()
    assert callback(client, params | {"realmId": "999999"}).status_code == 400
    assert saved(shop) == {}


def test_a_refused_code_keeps_the_working_connection(client, shop, qbo_emulator, merchant):
    merchant(SHOP).connect_quickbooks()
    before = saved(shop)
    params = merchant(SHOP).quickbooks_consent()
    response = callback(client, params | {"code": "forged"})
    assert response.status_code == 400
    assert saved(shop) == before


@pytest.mark.parametrize("realm", ["", "abc", "1" * 33, "١٢"])
def test_a_malformed_realm_is_a_400(client, shop, qbo_emulator, realm, merchant):
    params = merchant(SHOP).quickbooks_consent()
    assert callback(client, params | {"realmId": realm}).status_code == 400
    assert saved(shop) == {}


def test_an_attackers_callback_opened_in_the_merchants_browser_is_refused(
    app, client, shop, qbo_emulator, merchant
):
    """Account-linking CSRF: Mallory consents for her own shop in her browser, stops before
    the callback and gets the merchant's browser to open it."""
    mallory = app.test_client()
    link = merchant(ATTACKER, client=mallory).quickbooks_consent()
    response = callback(client, link)  # the merchant's browser never started a flow
    assert response.status_code == 403
    assert "not started in this browser" in response.get_data(as_text=True)
    assert saved(Shop.by_domain(ATTACKER)) == {} and saved(shop) == {}
    # The merchant mid-way through their own flow: their browser's nonce is not Mallory's.
    link = merchant(ATTACKER, client=mallory).quickbooks_consent()
    mine = merchant(SHOP).quickbooks_consent()
    assert callback(client, link).status_code == 403
    assert saved(Shop.by_domain(ATTACKER)) == {}
    assert callback(client, mine).status_code == 403  # that browser's flow was spent by the try
    merchant(SHOP).connect_quickbooks()
    assert saved(shop)["status"] == ConnectionStatus.CONNECTED


def test_state_and_start_link_are_single_use_and_expire(
    app, client, shop, qbo_emulator, session_token, redis, merchant
):
    response = client.post(
        "/api/quickbooks/connect", headers={"Authorization": f"Bearer {session_token(SHOP)}"}
    )
    start = urlsplit(response.get_json()["authorize_url"])
    ticket = parse_qs(start.query)["ticket"][0]
    assert 0 < redis.ttl(f"ledgerbridge-oauth-state:quickbooks-start:{ticket}") <= 60
    assert client.get(f"{start.path}?{start.query}").status_code == 302
    assert client.get(f"{start.path}?{start.query}").status_code == 403  # the ticket is spent
    url = merchant(SHOP).intuit_consent_url()
    state = parse_qs(urlsplit(url).query)["state"][0]
    assert 0 < redis.ttl(f"ledgerbridge-oauth-state:quickbooks:{state}") <= 600
    redis.delete(f"ledgerbridge-oauth-state:quickbooks:{state}")  # as if ten minutes passed
    params = merchant(SHOP).quickbooks_consent()
    params["state"] = state
    response = callback(client, params)
    assert response.status_code == 403 and "expired" in response.get_data(as_text=True)
    assert saved(shop) == {}
