"""The whole life of a merchant's connection, end to end against both emulators:
install → QBO connect → token expiries → refresh → revoke → reconnect → uninstall → redact."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from sqlalchemy import select

from clients.errors import AuthError
from clients.shopify import ShopifyClient
from emulators.common.serve import serve_in_thread
from extensions import db
from models import ConnectionStatus, LedgerEntry, LedgerKind, ProcessedWebhook, Shop, utcnow
from services.quickbooks_connection import refresh_company_facts
from services.shopify_api import client_for

SHOP = "lifecycle.myshopify.com"
SHOP_QUERY = "{ shop { name myshopifyDomain } }"


def deliver(shopify_emulator, app_url: str, topic: str, client_id: str) -> None:
    """Have the Shopify emulator send a signed webhook to the running app and wait for it."""
    emulator = shopify_emulator.url
    requests.post(
        f"{emulator}/_emulator/webhooks/trigger",
        timeout=10,
        json={
            "shop": SHOP,
            "topic": topic,
            "url": f"{app_url}/webhooks",
            "client_id": client_id,
        },
    ).raise_for_status()
    deliveries = requests.get(
        f"{emulator}/_emulator/webhooks/deliveries?wait=10", timeout=20
    ).json()["deliveries"]
    mine = [d for d in deliveries if d["topic"] == topic]
    assert mine and mine[-1]["delivered"] and mine[-1]["attempts"] == [200], mine


def test_whole_connection_lifecycle(app, shopify_emulator, qbo_emulator, worker, merchant) -> None:
    served = serve_in_thread(app)
    try:
        # Install: the first embedded load exchanges the session token; the API answers.
        assert merchant(SHOP).open_app().status_code == 200
        shop = Shop.by_domain(SHOP)
        assert client_for(shop).execute(SHOP_QUERY)["data"]["shop"]["myshopifyDomain"] == SHOP

        # Connect QuickBooks and read the company.
        merchant(SHOP).connect_quickbooks()
        connection = shop.quickbooks_connection
        assert connection.status == ConnectionStatus.CONNECTED and connection.country == "US"

        # Both access tokens near expiry: each is refreshed and keeps working.
        old_shopify, old_qbo = shop.shopify_access_token, connection.access_token
        shop.shopify_access_token_expires_at = utcnow() + timedelta(seconds=10)
        connection.access_token_expires_at = utcnow() + timedelta(seconds=10)
        db.session.commit()
        assert client_for(shop).execute(SHOP_QUERY)["data"]["shop"]["name"]
        assert refresh_company_facts(connection).country == "US"
        assert shop.shopify_access_token != old_shopify
        assert connection.access_token != old_qbo

        # The merchant revokes the app inside QuickBooks: the next refresh marks it.
        requests.post(
            f"{qbo_emulator.url}/oauth2/v1/tokens/revoke",
            timeout=10,
            json={"token": connection.refresh_token},
            auth=(app.config["QBO_CLIENT_ID"], app.config["QBO_CLIENT_SECRET"]),
        )
        connection.access_token_expires_at = utcnow()
        db.session.commit()
        with pytest.raises(AuthError):
            refresh_company_facts(connection)
        assert connection.status == ConnectionStatus.NEEDS_RECONNECT

        # Reconnect.
        merchant(SHOP).connect_quickbooks()
        db.session.expire_all()
        assert shop.quickbooks_connection.status == ConnectionStatus.CONNECTED
        db.session.add(LedgerEntry(shop_id=shop.id, kind=LedgerKind.ORDER, shopify_id="1001"))
        db.session.commit()
        qbo_token = shop.quickbooks_connection.access_token

        # Uninstall: Shopify's webhook reaches the app; a worker discards both sides' tokens.
        deliver(shopify_emulator, served.url, "app/uninstalled", app.config["SHOPIFY_API_KEY"])
        worker.run()
        db.session.expire_all()
        assert not shop.is_installed and shop.shopify_access_token is None
        assert shop.quickbooks_connection.refresh_token is None
        assert db.session.scalars(select(LedgerEntry)).one().shopify_id == "1001"  # kept
        company = requests.get(
            f"{qbo_emulator.url}/v3/company/{qbo_emulator.realm_id}/companyinfo/"
            f"{qbo_emulator.realm_id}",
            timeout=10,
            headers={"Authorization": f"Bearer {qbo_token}", "Accept": "application/json"},
        )
        assert company.status_code == 401  # revoked at Intuit too
        old = ShopifyClient(SHOP, "gone", app.config["SHOPIFY_API_VERSION"], shopify_emulator.url)
        with pytest.raises(AuthError):
            old.execute(SHOP_QUERY)

        # 48 hours later Shopify asks for erasure: nothing of the shop is left.
        deliver(shopify_emulator, served.url, "shop/redact", app.config["SHOPIFY_API_KEY"])
        worker.run()
        db.session.expire_all()
        assert Shop.by_domain(SHOP) is None
        assert db.session.scalars(select(LedgerEntry)).all() == []
        assert db.session.scalars(select(ProcessedWebhook)).all() == []
    finally:
        served.shutdown()
