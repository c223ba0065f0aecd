"""Merchant journeys shared by tests: open the app, consent to QuickBooks."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests


def open_app(client, session_token, shop_domain: str):  # noqa: ANN001, ANN201
    """What Shopify's admin requests when the merchant opens the app (installs on first use)."""
    return client.get(f"/app?shop={shop_domain}&embedded=1&id_token={session_token(shop_domain)}")


def quickbooks_consent(client, session_token, shop_domain: str) -> dict[str, str]:  # noqa: ANN001
    """Ask the app for Intuit's URL and consent as the merchant; the callback's query."""
    response = client.post(
        "/api/quickbooks/connect", headers={"Authorization": f"Bearer {session_token(shop_domain)}"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    intuit = requests.get(response.get_json()["authorize_url"], allow_redirects=False, timeout=10)
    assert intuit.status_code == 302
    back = urlsplit(intuit.headers["Location"])
    assert back.path == "/quickbooks/callback"
    return {k: v[0] for k, v in parse_qs(back.query).items()}


def connect_quickbooks(client, session_token, shop_domain: str) -> None:  # noqa: ANN001
    """The whole connect flow, ending back in the embedded app."""
    response = client.get(
        "/quickbooks/callback", query_string=quickbooks_consent(client, session_token, shop_domain)
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.location.startswith("https://admin.shopify.com/store/")
