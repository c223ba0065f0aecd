"""Connecting QuickBooks through Intuit's OAuth (intuit-oauth against the QBO emulator), keeping
the token fresh, and telling the merchant plainly when the connection needs them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import text

from extensions import db
from models import ConnectionStatus, Shop, utcnow
from services.quickbooks_connection import access_token
from tests.support import race

SHOP = "alpha.myshopify.com"
TOKEN_ENDPOINT = "POST /oauth2/v1/tokens/bearer"


@pytest.fixture
def shop(app) -> Shop:
    """An installed shop."""
    shop = Shop(shop_domain=SHOP, installed_at=datetime.now(UTC), shopify_access_token="t")
    db.session.add(shop)
    db.session.commit()
    return shop


def consent(merchant) -> dict[str, str]:
    """Consent for the test shop."""
    return merchant(SHOP).quickbooks_consent()


def connect(merchant) -> None:
    """Connect the test shop."""
    merchant(SHOP).connect_quickbooks()


def test_connect_stores_encrypted_tokens_and_company_facts(shop, qbo_emulator, merchant) -> None:
    connect(merchant)
    connection = shop.quickbooks_connection
    assert connection.status == ConnectionStatus.CONNECTED
    assert connection.realm_id == qbo_emulator.realm_id
    assert connection.access_token and connection.refresh_token
    raw = db.session.execute(
        text("SELECT access_token, refresh_token FROM quickbooks_connections")
    ).one()
    assert connection.access_token not in raw[0] and connection.refresh_token not in raw[1]
    assert connection.country == "US" and connection.home_currency == "USD"
    assert connection.company_name and connection.facts_refreshed_at is not None
    assert connection.access_token_expires_at - utcnow() > timedelta(minutes=55)


def test_state_is_single_use_and_required(client, shop, qbo_emulator, merchant) -> None:
    params = consent(merchant)
    assert client.get("/quickbooks/callback", query_string=params).status_code == 302
    assert client.get("/quickbooks/callback", query_string=params).status_code == 403
    assert (
        client.get("/quickbooks/callback", query_string=params | {"state": "guessed"}).status_code
        == 403
    )


def test_declined_consent_connects_nothing(client, shop, qbo_emulator, merchant) -> None:
    qbo_emulator.control("POST", "settings", oauth_deny=True)
    response = client.get("/quickbooks/callback", query_string=consent(merchant))
    assert "declined" in response.get_data(as_text=True)
    assert shop.quickbooks_connection is None


def expire_soon(shop: Shop) -> None:
    """Move the QBO access token within the refresh margin."""
    shop.quickbooks_connection.access_token_expires_at = utcnow() + timedelta(seconds=30)
    db.session.commit()


def test_access_token_is_refreshed_before_expiry_and_rotation_is_kept(
    shop, qbo_emulator, merchant
) -> None:
    qbo_emulator.control("POST", "settings", rotate_refresh_tokens=True)  # strict: every use
    connect(merchant)
    connection = shop.quickbooks_connection
    old_access, old_refresh = connection.access_token, connection.refresh_token
    expire_soon(shop)
    assert access_token(connection) != old_access
    assert connection.refresh_token != old_refresh
    db.session.expire_all()
    assert shop.quickbooks_connection.refresh_token != old_refresh  # saved, not just in memory


def test_refresh_token_kept_for_a_day_then_the_new_one_is_stored(
    shop, qbo_emulator, merchant
) -> None:
    connect(merchant)
    connection = shop.quickbooks_connection
    first, first_expiry = connection.refresh_token, connection.refresh_token_expires_at
    qbo_emulator.control("POST", "clock", advance=3600)
    expire_soon(shop)
    assert access_token(connection) and connection.refresh_token == first
    assert connection.refresh_token_expires_at < first_expiry - timedelta(minutes=50)
    qbo_emulator.control("POST", "clock", advance=86400)  # past 24 h: Intuit issues a new value
    expire_soon(shop)
    assert access_token(connection) and connection.refresh_token != first
    db.session.expire_all()
    connection = Shop.by_domain(SHOP).quickbooks_connection
    assert connection.refresh_token != first and connection.refresh_token_expires_at > first_expiry
    qbo_emulator.control("POST", "clock", advance=3600)
    expire_soon(Shop.by_domain(SHOP))
    assert access_token(connection)  # the stored (new) refresh token is the live one


def test_two_concurrent_refreshes_never_lose_the_refresh_token(
    app, shop, qbo_emulator, merchant
) -> None:
    connect(merchant)
    expire_soon(shop)
    before = qbo_emulator.request_count(TOKEN_ENDPOINT)
    results = race(app, lambda: access_token(Shop.by_domain(SHOP).quickbooks_connection))
    assert len(results) == 2 and results[0] == results[1]
    assert qbo_emulator.request_count(TOKEN_ENDPOINT) == before + 1
    db.session.expire_all()
    connection = Shop.by_domain(SHOP).quickbooks_connection
    expire_soon(Shop.by_domain(SHOP))
    assert access_token(connection)  # the stored refresh token is the live one


def status(client, session_token) -> dict:
    """The merchant's status API."""
    return client.get(
        "/api/status", headers={"Authorization": f"Bearer {session_token(SHOP)}"}
    ).get_json()


def test_revoked_connection_is_marked_for_reconnect_and_shown(
    client, shop, qbo_emulator, session_token, merchant
) -> None:
    connect(merchant)
    connection = shop.quickbooks_connection
    # The merchant disconnects the app from inside QuickBooks: Intuit revokes its tokens.
    requests.post(
        f"{qbo_emulator.url}/oauth2/v1/tokens/revoke",
        json={"token": connection.refresh_token},
        auth=("test-qbo-client", "test-qbo-secret"),
        timeout=10,
    ).raise_for_status()
    expire_soon(shop)
    from clients.errors import AuthError

    with pytest.raises(AuthError):
        access_token(connection)
    assert connection.status == ConnectionStatus.NEEDS_RECONNECT
    body = status(client, session_token)
    assert body["quickbooks"]["status"] == "needs_reconnect"
    assert "revoked or expired" in body["quickbooks"]["reason"]
    connect(merchant)  # reconnecting restores it
    db.session.expire_all()
    assert shop.quickbooks_connection.status == ConnectionStatus.CONNECTED


def test_disconnect_revokes_the_tokens(client, shop, qbo_emulator, session_token, merchant) -> None:
    connect(merchant)
    old_access = shop.quickbooks_connection.access_token
    response = client.post(
        "/api/quickbooks/disconnect", headers={"Authorization": f"Bearer {session_token(SHOP)}"}
    )
    assert response.get_json() == {"status": "disconnected"}
    db.session.expire_all()
    connection = shop.quickbooks_connection
    assert connection.access_token is None and connection.refresh_token is None
    company = requests.get(
        f"{qbo_emulator.url}/v3/company/{qbo_emulator.realm_id}/companyinfo/"
        f"{qbo_emulator.realm_id}",
        headers={"Authorization": f"Bearer {old_access}", "Accept": "application/json"},
        timeout=10,
    )
    assert company.status_code == 401  # Intuit no longer accepts the old token


def test_refresh_tokens_near_their_end_are_renewed_daily(
    app, shop, qbo_emulator, worker, merchant
) -> None:
    from jobs import enqueue

    connect(merchant)
    connection = shop.quickbooks_connection
    old_refresh = connection.refresh_token
    connection.refresh_token_expires_at = utcnow() + timedelta(days=3)
    db.session.commit()
    qbo_emulator.control("POST", "clock", advance=86400)  # a day on, Intuit issues a new value
    job = enqueue("maintenance", "jobs.maintenance.keep_connections_alive")
    worker.run()
    job.refresh()
    assert job.return_value() == {"renewed": 1, "failed": 0}
    db.session.expire_all()
    connection = Shop.by_domain(SHOP).quickbooks_connection
    assert connection.refresh_token != old_refresh
    assert connection.refresh_token_expires_at - utcnow() > timedelta(days=90)
