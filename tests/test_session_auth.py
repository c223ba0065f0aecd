"""Every API request is resolved to its shop by the session token alone; shops never mix."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from extensions import db
from models import QuickBooksConnection, Shop

ALPHA, BETA = "alpha.myshopify.com", "beta.myshopify.com"


@pytest.fixture
def two_shops(app) -> None:
    """Two installed shops, each with its own QuickBooks company."""
    for domain, company in ((ALPHA, "Alpha Books"), (BETA, "Beta Books")):
        shop = Shop(
            shop_domain=domain,
            installed_at=datetime.now(UTC),
            shopify_access_token=f"token-{domain}",
        )
        shop.quickbooks_connection = QuickBooksConnection(realm_id=domain[:4], company_name=company)
        db.session.add(shop)
    db.session.commit()


def get_status(client, token: str, query: str = ""):
    """GET /api/status with a session token."""
    return client.get(f"/api/status{query}", headers={"Authorization": f"Bearer {token}"})


def test_status_answers_for_the_tokens_shop(client, two_shops, session_token) -> None:
    body = get_status(client, session_token(ALPHA)).get_json()
    assert body["shop"] == ALPHA and body["quickbooks"]["company_name"] == "Alpha Books"


def test_a_shop_parameter_cannot_reach_another_shop(client, two_shops, session_token) -> None:
    body = get_status(client, session_token(ALPHA), f"?shop={BETA}").get_json()
    assert body["shop"] == ALPHA and "Beta" not in str(body)


@pytest.mark.parametrize(
    "forge",
    [
        {"secret": "another-secret-of-the-same-length-0123456789"},
        {"exp": -60},
        {"aud": "another-app"},
        {"dest": f"https://{BETA}"},
    ],
    ids=["forged", "expired", "wrong-audience", "wrong-destination"],
)
def test_bad_session_tokens_are_refused(client, two_shops, session_token, forge) -> None:
    secret = forge.pop("secret", None)
    # Times are offsets from now, taken when the test runs (not when it was collected).
    forge = {k: int(time.time()) + v if k in ("exp", "nbf") else v for k, v in forge.items()}
    response = get_status(client, session_token(ALPHA, secret=secret, **forge))
    assert response.status_code == 401
    assert response.headers["X-Shopify-Retry-Invalid-Session-Request"] == "1"
    assert "Books" not in response.get_data(as_text=True)


def test_missing_or_malformed_authorization_is_refused(client, two_shops) -> None:
    assert client.get("/api/status").status_code == 401
    assert client.get("/api/status", headers={"Authorization": "Token abc"}).status_code == 401


def test_unknown_shop_gets_a_clean_error(client, two_shops, session_token) -> None:
    response = get_status(client, session_token("gamma.myshopify.com"))
    assert response.status_code == 401
    assert response.get_json()["message"] == "gamma.myshopify.com has not installed Ledgerbridge"


def test_uninstalled_shop_is_refused(client, two_shops, session_token) -> None:
    shop = Shop.by_domain(BETA)
    shop.uninstalled_at = datetime.now(UTC)
    db.session.commit()
    assert get_status(client, session_token(BETA)).status_code == 401
