"""Installing on Shopify: token exchange on first embedded load, the code-flow fallback, and
expiring offline tokens refreshed before expiry — against the Shopify emulator."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import text

from extensions import db
from models import Shop, utcnow
from services.shopify_tokens import access_token
from tests.support import API_KEY, API_SECRET, race

SHOP = "alpha.myshopify.com"


def load_app(client, token: str):
    """The request Shopify's admin makes when the merchant opens the app, with a given token."""
    return client.get(f"/app?shop={SHOP}&embedded=1&id_token={token}")


def token_requests(emulator) -> int:
    """How many times the app called the emulator's token endpoint."""
    log = requests.get(f"{emulator.url}/_emulator/requests", timeout=10).json()
    return log["counts"].get("POST /admin/oauth/access_token", 0)


def test_first_embedded_load_installs_with_an_expiring_offline_token(
    app, client, shopify_emulator, session_token
) -> None:
    response = load_app(client, session_token(SHOP))
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert csp == f"frame-ancestors https://{SHOP} https://admin.shopify.com;"
    shop = Shop.by_domain(SHOP)
    assert shop.is_installed and shop.shopify_access_token and shop.shopify_refresh_token
    lifetime = shop.shopify_access_token_expires_at - utcnow()
    assert timedelta(minutes=55) < lifetime <= timedelta(hours=1)
    stored = db.session.execute(text("SELECT shopify_access_token FROM shops")).scalar_one()
    assert shop.shopify_access_token not in stored  # encrypted at rest
    load_app(client, session_token(SHOP))
    assert token_requests(shopify_emulator) == 1  # later loads reuse the stored token


@pytest.mark.parametrize(
    "forge",
    [
        {"secret": "not-the-app-secret-but-just-as-long-0123456789"},
        {"exp": -120},
        {"nbf": 120},
        {"aud": "another-app"},
        {"dest": "https://beta.myshopify.com"},
        {"iss": "https://evil.example.com/admin", "dest": "https://evil.example.com"},
    ],
    ids=["forged", "expired", "not-yet-valid", "wrong-audience", "wrong-destination", "not-a-shop"],
)
def test_bad_session_tokens_install_nothing(
    app, client, shopify_emulator, session_token, forge
) -> None:
    secret = forge.pop("secret", None)
    # Times are offsets from now, taken when the test runs (not when it was collected).
    forge = {k: int(time.time()) + v if k in ("exp", "nbf") else v for k, v in forge.items()}
    response = load_app(client, session_token(SHOP, secret=secret, **forge))
    assert response.status_code == 401
    assert db.session.query(Shop).count() == 0
    assert token_requests(shopify_emulator) == 0


def test_opening_outside_the_admin_redirects_into_it(app, client) -> None:
    response = client.get(f"/app?shop={SHOP}")
    assert response.status_code == 302
    assert response.location == "https://admin.shopify.com/store/alpha/apps/test-api-key"
    assert client.get("/app?shop=evil.example.com").status_code == 400


def authorize(client, shop: str = SHOP) -> dict[str, str]:
    """Run /auth/install and the emulator's consent; return the callback's query."""
    start = client.get(f"/auth/install?shop={shop}")
    assert start.status_code == 302
    consent = requests.get(start.location, allow_redirects=False, timeout=10)
    assert consent.status_code == 302
    callback = urlsplit(consent.headers["Location"])
    assert callback.path == "/auth/callback"
    return {k: v[0] for k, v in parse_qs(callback.query).items()}


def test_authorization_code_flow_installs(app, client, shopify_emulator) -> None:
    params = authorize(client)
    response = client.get("/auth/callback", query_string=params)
    assert response.status_code == 302
    shop = Shop.by_domain(SHOP)
    assert shop.is_installed and shop.shopify_refresh_token


def test_callback_state_is_single_use(app, client, shopify_emulator) -> None:
    params = authorize(client)
    assert client.get("/auth/callback", query_string=params).status_code == 302
    replay = client.get("/auth/callback", query_string=params)
    assert replay.status_code in {401, 403}  # the code and the state are both spent


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"hmac": "0" * 64}, 401),
        ({"timestamp": str(int(time.time()) - 3 * 86400)}, 401),
        ({"state": "guessed"}, 401),  # changing a signed value breaks the HMAC first
        ({"shop": "evil.example.com"}, 400),
    ],
    ids=["bad-hmac", "stale-timestamp", "tampered-state", "foreign-shop"],
)
def test_callback_refuses_tampering(app, client, shopify_emulator, change, status) -> None:
    params = authorize(client) | change
    assert client.get("/auth/callback", query_string=params).status_code == status
    assert db.session.query(Shop).count() == 0


def test_callback_refuses_a_state_issued_for_another_shop(app, client, shopify_emulator):
    other = authorize(client, "beta.myshopify.com")
    mine = authorize(client)
    # A validly signed callback for alpha carrying beta's state: the state is bound to beta.
    import shopify

    forged = mine | {"state": other["state"]}
    forged.pop("hmac")
    shopify.Session.setup(api_key=API_KEY, secret=API_SECRET)
    forged["hmac"] = shopify.Session.calculate_hmac(forged)
    assert client.get("/auth/callback", query_string=forged).status_code == 403


def expire_soon(shop: Shop) -> None:
    """Move the stored access token to within the refresh margin."""
    shop.shopify_access_token_expires_at = utcnow() + timedelta(minutes=1)
    db.session.commit()


def test_expiring_token_is_refreshed_and_rotated(
    app, client, shopify_emulator, session_token
) -> None:
    load_app(client, session_token(SHOP))
    shop = Shop.by_domain(SHOP)
    old_access, old_refresh, version = (
        shop.shopify_access_token,
        shop.shopify_refresh_token,
        shop.token_version,
    )
    expire_soon(shop)
    new_access = access_token(shop)
    assert new_access != old_access
    assert shop.shopify_refresh_token != old_refresh and shop.token_version == version + 1
    assert shop.shopify_access_token_expires_at - utcnow() > timedelta(minutes=55)
    assert access_token(shop) == new_access  # fresh now: no second refresh


def test_two_concurrent_refreshes_keep_one_token(
    app, client, shopify_emulator, session_token
) -> None:
    load_app(client, session_token(SHOP))
    expire_soon(Shop.by_domain(SHOP))
    before = token_requests(shopify_emulator)
    results = race(app, lambda: access_token(Shop.by_domain(SHOP)))
    assert len(results) == 2 and results[0] == results[1]
    assert token_requests(shopify_emulator) == before + 1
    db.session.expire_all()
    assert Shop.by_domain(SHOP).shopify_access_token == results[0]


def test_a_token_that_cannot_be_refreshed_is_replaced_on_the_next_load(
    app, client, shopify_emulator, session_token
) -> None:
    load_app(client, session_token(SHOP))
    shop = Shop.by_domain(SHOP)
    shop.shopify_refresh_token = "revoked-refresh-token"
    expire_soon(shop)
    assert load_app(client, session_token(SHOP)).status_code == 200
    db.session.expire_all()
    shop = Shop.by_domain(SHOP)
    assert shop.shopify_refresh_token != "revoked-refresh-token"
    assert shop.shopify_access_token_expires_at - utcnow() > timedelta(minutes=55)
