"""Merchant journeys shared by tests: open the app, consent to QuickBooks (in the same client, as
the callback must come back to the browser that started the flow)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests


def open_app(client, session_token, shop_domain: str):
    """What Shopify's admin requests when the merchant opens the app (installs on first use)."""
    return client.get(f"/app?shop={shop_domain}&embedded=1&id_token={session_token(shop_domain)}")


def intuit_consent_url(client, session_token, shop_domain: str) -> str:
    """Click "Connect": the page's start URL opened at top level in this client (its cookie jar
    is the browser), which redirects to Intuit's consent; that URL."""
    response = client.post(
        "/api/quickbooks/connect", headers={"Authorization": f"Bearer {session_token(shop_domain)}"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    start = urlsplit(response.get_json()["authorize_url"])
    assert start.path == "/quickbooks/start"
    intuit = client.get(f"{start.path}?{start.query}")
    assert intuit.status_code == 302, intuit.get_data(as_text=True)
    return intuit.location


def quickbooks_consent(client, session_token, shop_domain: str, **choices: str) -> dict[str, str]:
    """Start the connection in `client` and consent as the merchant (`realm_id=` picks the
    company on Intuit's screen); the callback's query."""
    url = intuit_consent_url(client, session_token, shop_domain)
    intuit = requests.get(url, params=choices, allow_redirects=False, timeout=10)
    assert intuit.status_code == 302
    back = urlsplit(intuit.headers["Location"])
    assert back.path == "/quickbooks/callback"
    return {k: v[0] for k, v in parse_qs(back.query).items()}


def connect_quickbooks(client, session_token, shop_domain: str) -> None:
    """The whole connect flow, ending back in the embedded app."""
    response = client.get(
        "/quickbooks/callback", query_string=quickbooks_consent(client, session_token, shop_domain)
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.location.startswith("https://admin.shopify.com/store/")
