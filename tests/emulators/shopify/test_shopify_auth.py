"""OAuth (authorize, authorization code, token exchange, refresh rotation) and session tokens."""

from __future__ import annotations

import time
import urllib.error
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import shopify
from shopify.session_token import SessionTokenError, decode_from_header

from emulators.shopify.session_tokens import mint_session_token

SHOP = "test-shop.myshopify.com"
EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
OFFLINE = "urn:shopify:params:oauth:token-type:offline-access-token"
ONLINE = "urn:shopify:params:oauth:token-type:online-access-token"
SHOP_QUERY = "{ shop { myshopifyDomain } }"


def authorize(client, creds, **params):
    """GET /admin/oauth/authorize without following the redirect."""
    query = {
        "client_id": creds[0],
        "scope": "read_orders",
        "shop": SHOP,
        "redirect_uri": "https://app.example.com/auth/callback",
        "state": "nonce-1",
        **params,
    }
    return requests.get(
        f"{client.url}/admin/oauth/authorize", params=query, allow_redirects=False, timeout=10
    )


def token_request(client, creds, **form):
    """POST /admin/oauth/access_token."""
    data = {"client_id": creds[0], "client_secret": creds[1], **form}
    return requests.post(f"{client.url}/admin/oauth/access_token", data=data, timeout=10)


def exchange(client, creds, **extra):
    """Token exchange with a freshly minted session token."""
    token = mint_session_token(SHOP, creds[0], creds[1])
    return token_request(
        client,
        creds,
        grant_type=EXCHANGE,
        subject_token=token,
        subject_token_type="urn:ietf:params:oauth:token-type:id_token",
        requested_token_type=OFFLINE,
        **extra,
    )


def works(client, token) -> bool:
    """True when the access token is accepted by the GraphQL API."""
    try:
        return client.execute(SHOP_QUERY, token=token)["data"]["shop"]["myshopifyDomain"] == SHOP
    except urllib.error.HTTPError as exc:
        assert exc.code == 401
        return False


def test_authorize_redirects_with_hmac_the_sdk_accepts(shop_client, app_credentials):
    resp = authorize(shop_client, app_credentials)
    assert resp.status_code == 302
    location = urlsplit(resp.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        "https://app.example.com/auth/callback"
    )
    params = dict(parse_qsl(location.query))
    assert {"code", "shop", "state", "timestamp", "hmac", "host"} <= set(params)
    assert params["state"] == "nonce-1" and params["shop"] == SHOP
    shopify.Session.setup(api_key=app_credentials[0], secret=app_credentials[1])
    assert shopify.Session.validate_params(params)
    tampered = dict(params, shop="evil.myshopify.com")
    assert not shopify.Session.validate_hmac(tampered)


def test_authorization_code_grant_is_single_use(shop_client, app_credentials):
    params = dict(
        parse_qsl(urlsplit(authorize(shop_client, app_credentials).headers["Location"]).query)
    )
    resp = token_request(shop_client, app_credentials, code=params["code"])
    assert resp.status_code == 200
    body = resp.json()
    assert body["scope"] == "read_orders" and "expires_in" not in body
    assert works(shop_client, body["access_token"])
    again = token_request(shop_client, app_credentials, code=params["code"])
    assert again.status_code == 400 and again.json()["error"] == "invalid_request"


def test_authorize_can_be_denied_by_test_control(shop_client, app_credentials):
    shop_client.control("POST", "/settings", json={"oauth_deny": True})
    assert authorize(shop_client, app_credentials).status_code == 403


def test_unknown_client_and_wrong_secret_are_rejected(shop_client, app_credentials):
    assert authorize(shop_client, ("nope", "x")).status_code == 400
    resp = token_request(shop_client, (app_credentials[0], "wrong"), code="x")
    assert resp.status_code == 401 and resp.json()["error"] == "invalid_client"


def test_registered_app_can_install(shop_client):
    shop_client.control(
        "POST",
        "/apps",
        json={"client_id": "my-app", "secret": "s3cret-s3cret-s3cret-s3cret-s3cret"},
    )
    resp = authorize(shop_client, ("my-app", "s3cret-s3cret-s3cret-s3cret-s3cret"))
    params = dict(parse_qsl(urlsplit(resp.headers["Location"]).query))
    shopify.Session.setup(api_key="my-app", secret="s3cret-s3cret-s3cret-s3cret-s3cret")
    assert shopify.Session.validate_hmac(params)


def test_token_exchange_gives_non_expiring_offline_token(shop_client, app_credentials):
    body = exchange(shop_client, app_credentials).json()
    assert set(body) == {"access_token", "scope"}
    assert works(shop_client, body["access_token"])


def test_expiring_offline_token_expires_after_an_hour(shop_client, app_credentials):
    body = exchange(shop_client, app_credentials, expiring="1").json()
    assert body["expires_in"] == 3600
    assert body["refresh_token"] and body["refresh_token_expires_in"] > 0
    assert works(shop_client, body["access_token"])
    shop_client.control("POST", "/clock", json={"advance": 3601})
    assert not works(shop_client, body["access_token"])


def test_refresh_rotates_and_retires_previous_refresh_token(shop_client, app_credentials):
    first = exchange(shop_client, app_credentials, expiring="1").json()
    second = token_request(
        shop_client,
        app_credentials,
        grant_type="refresh_token",
        refresh_token=first["refresh_token"],
    ).json()
    assert second["refresh_token"] != first["refresh_token"]
    assert works(shop_client, second["access_token"])
    # The used refresh token survives until its replacement is used (lost-response recovery).
    retry = token_request(
        shop_client,
        app_credentials,
        grant_type="refresh_token",
        refresh_token=first["refresh_token"],
    )
    assert retry.status_code == 200
    token_request(
        shop_client,
        app_credentials,
        grant_type="refresh_token",
        refresh_token=retry.json()["refresh_token"],
    )
    stale = token_request(
        shop_client,
        app_credentials,
        grant_type="refresh_token",
        refresh_token=first["refresh_token"],
    )
    assert stale.status_code == 400 and stale.json()["error"] == "invalid_grant"


def test_token_exchange_rejects_bad_session_tokens(shop_client, app_credentials):
    cases = [
        mint_session_token(SHOP, app_credentials[0], app_credentials[1], now=time.time() - 600),
        mint_session_token(SHOP, app_credentials[0], "not-the-secret-not-the-secret-not-it"),
        mint_session_token(SHOP, "other-app", app_credentials[1]),
    ]
    for token in cases:
        resp = token_request(
            shop_client,
            app_credentials,
            grant_type=EXCHANGE,
            subject_token=token,
            requested_token_type=OFFLINE,
        )
        assert resp.status_code == 400 and resp.json()["error"] == "invalid_subject_token"


def test_online_token_exchange_expires_in_a_day(shop_client, app_credentials):
    token = mint_session_token(SHOP, *app_credentials)
    body = token_request(
        shop_client,
        app_credentials,
        grant_type=EXCHANGE,
        subject_token=token,
        requested_token_type=ONLINE,
    ).json()
    assert body["expires_in"] == 86399 and body["associated_user"]["id"] == 1


def test_minted_session_token_is_accepted_by_the_sdk(app_credentials):
    token = mint_session_token(SHOP, *app_credentials, sub="42")
    claims = decode_from_header(f"Bearer {token}", *app_credentials)
    assert claims["iss"] == f"https://{SHOP}/admin" and claims["dest"] == f"https://{SHOP}"
    assert claims["aud"] == app_credentials[0] and claims["sub"] == "42"
    assert claims["exp"] - claims["iat"] == 60
    assert {"jti", "sid", "nbf"} <= set(claims)


@pytest.mark.parametrize(
    "overrides",
    [
        {"now": time.time() - 120},
        {"dest": "https://other-shop.myshopify.com"},
        {"iss": "https://evil.example.com/admin"},
    ],
)
def test_sdk_rejects_broken_session_tokens(app_credentials, overrides):
    token = mint_session_token(SHOP, *app_credentials, **overrides)
    with pytest.raises(SessionTokenError):
        decode_from_header(f"Bearer {token}", *app_credentials)
