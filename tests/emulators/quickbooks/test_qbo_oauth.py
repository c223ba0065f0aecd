"""Intuit OAuth through intuit-oauth's AuthClient, and the API's 401/403 bodies."""

from __future__ import annotations

import pytest
import requests
from intuitlib.client import AuthClient
from intuitlib.exceptions import AuthClientError
from quickbooks.exceptions import AuthorizationException
from quickbooks.objects.customer import Customer

from emulators.quickbooks.store import DEMO_CLIENT_ID


def test_discovery_document_serves_auth_client(qbo):
    client = qbo.auth_client()
    assert client.token_endpoint == f"{qbo.url}/oauth2/v1/tokens/bearer"
    assert client.auth_endpoint == f"{qbo.url}/connect/oauth2"
    sandbox = requests.get(f"{qbo.url}/.well-known/openid_sandbox_configuration/", timeout=5)
    assert sandbox.json()["revocation_endpoint"] == f"{qbo.url}/oauth2/v1/tokens/revoke"


def test_authorize_redirects_with_code_realm_and_state(qbo):
    realm = qbo.company()
    client = qbo.auth_client()
    params = qbo.authorize(client, realm)
    assert params["realmId"] == realm and params["state"] == client.state_token
    client.get_bearer_token(params["code"], realm_id=realm)
    assert client.expires_in == 3600 and client.x_refresh_token_expires_in == 8726400
    assert client.access_token and client.refresh_token and client.id_token is None


def test_authorize_denied_by_test_control(qbo):
    qbo.control("POST", "settings", oauth_deny=True)
    params = qbo.authorize(qbo.auth_client(), qbo.company())
    assert params["error"] == "access_denied" and "code" not in params


def test_authorization_code_is_single_use(qbo):
    realm = qbo.company()
    client = qbo.auth_client()
    code = qbo.authorize(client, realm)["code"]
    client.get_bearer_token(code, realm_id=realm)
    with pytest.raises(AuthClientError) as err:
        client.get_bearer_token(code, realm_id=realm)
    assert err.value.status_code == 400 and b"invalid_grant" in err.value.content


def test_strict_setting_rotates_on_every_use(qbo):
    qbo.control("POST", "settings", rotate_refresh_tokens=True)
    client = qbo.connect(qbo.company())
    old_refresh, old_access = client.refresh_token, client.access_token
    client.refresh()
    assert client.refresh_token != old_refresh and client.access_token != old_access
    with pytest.raises(AuthClientError) as err:
        client.refresh(refresh_token=old_refresh)
    assert err.value.status_code == 400 and b'"invalid_grant"' in err.value.content


def test_expired_refresh_token_is_invalid_grant(qbo):
    client = qbo.connect(qbo.company())
    qbo.control("POST", "clock", advance=8726400 + 1)
    with pytest.raises(AuthClientError) as err:
        client.refresh()
    assert b"invalid_grant" in err.value.content


def test_revoke_kills_refresh_and_access_tokens(qbo):
    realm = qbo.company()
    client = qbo.connect(realm)
    qb = qbo.qb(realm, client)
    assert client.revoke(token=client.refresh_token) is True
    with pytest.raises(AuthClientError):
        client.refresh()
    with pytest.raises(AuthorizationException):
        Customer.all(qb=qb)


def test_wrong_client_secret_is_invalid_client(qbo):
    client = qbo.auth_client()
    client.client_secret = "wrong"
    with pytest.raises(AuthClientError) as err:
        client.refresh(refresh_token="RT1-nothing")
    assert err.value.status_code == 401


def test_registered_app_can_connect(qbo):
    qbo.control(
        "POST",
        "apps",
        client_id="app2",
        client_secret="s2",
        redirect_uris=["http://localhost:9/cb"],
    )
    client = AuthClient("app2", "s2", "http://localhost:9/cb", environment=qbo.discovery)
    params = qbo.authorize(client, qbo.company())
    client.get_bearer_token(params["code"], realm_id=params["realmId"])
    assert client.access_token


def test_unregistered_redirect_uri_is_refused(qbo):
    url = f"{qbo.url}/connect/oauth2?client_id={DEMO_CLIENT_ID}&redirect_uri=http://evil/cb"
    assert requests.get(url, allow_redirects=False, timeout=5).status_code == 400


def test_expired_access_token_gets_401_lowercase_fault(qbo, qb):
    qbo.control("POST", "clock", advance=3601)
    resp = qbo.raw(qb, "GET", "preferences")
    assert resp.status_code == 401
    error = resp.json()["fault"]["error"][0]
    assert error["code"] == "3200" and error["message"].startswith("message=AuthenticationFailed")
    with pytest.raises(AuthorizationException) as err:
        Customer.all(qb=qb)
    assert err.value.error_code == 401


def test_forced_token_expiry_fault(qbo, qb):
    qbo.control("POST", "faults", expire_tokens=True)
    assert qbo.raw(qb, "GET", "preferences").status_code == 401


def test_token_for_another_realm_gets_403(qbo, qb):
    other = qbo.company()
    resp = requests.get(
        f"{qbo.url}/v3/company/{other}/preferences",
        timeout=5,
        headers={"Authorization": f"Bearer {qb.auth_client.access_token}"},
    )
    assert resp.status_code == 403
    assert resp.json()["fault"]["error"][0]["code"] == "3100"


def test_missing_token_gets_401(qbo, qb):
    resp = requests.get(f"{qbo.url}/v3/company/{qb.company_id}/preferences", timeout=5)
    assert resp.status_code == 401 and resp.json()["fault"]["type"] == "AUTHENTICATION"


def test_userinfo_with_access_token(qbo):
    client = qbo.connect(qbo.company())
    assert client.get_user_info().json()["email"] == "owner@example.com"
    with pytest.raises(AuthClientError):
        client.get_user_info(access_token="nope")


def test_code_must_be_redeemed_with_the_same_redirect_uri(qbo):
    realm = qbo.company()
    client = qbo.auth_client()
    code = qbo.authorize(client, realm)["code"]
    client.redirect_uri = "http://127.0.0.1:5000/quickbooks/callback"  # registered, but another
    with pytest.raises(AuthClientError) as err:
        client.get_bearer_token(code, realm_id=realm)
    assert b"invalid_grant" in err.value.content


def _refresh_raw(qbo, refresh_token, **headers):
    """POST the refresh grant as intuitlib does, returning the raw response."""
    return requests.post(
        f"{qbo.url}/oauth2/v1/tokens/bearer",
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
        auth=(DEMO_CLIENT_ID, "ledgerbridge-demo-secret"),
        headers=headers,
        timeout=5,
    )


def test_refresh_keeps_the_value_for_24_hours_then_rotates(qbo):
    client = qbo.connect(qbo.company())
    first, first_access = client.refresh_token, client.access_token
    qbo.control("POST", "clock", advance=3600)
    client.refresh()
    assert client.refresh_token == first and client.access_token != first_access
    assert client.x_refresh_token_expires_in == 8726400 - 3600  # counts down, not renewed
    qbo.control("POST", "clock", advance=86400 - 3600)
    client.refresh()
    assert client.refresh_token != first and client.x_refresh_token_expires_in == 8726400
    with pytest.raises(AuthClientError) as err:
        client.refresh(refresh_token=first)
    assert err.value.status_code == 400 and b'"invalid_grant"' in err.value.content


def test_hard_expiry_only_when_asked_and_caps_the_rolling_window(qbo):
    client = qbo.connect(qbo.company())
    plain = _refresh_raw(qbo, client.refresh_token).json()
    assert "x_refresh_token_hard_expires_in" not in plain
    asked = _refresh_raw(
        qbo, client.refresh_token, **{"x-include-refresh-token-hard-expires-in": "true"}
    ).json()
    assert asked["x_refresh_token_hard_expires_in"] == 157680000
    token = client.refresh_token
    for _ in range(5 * 365 // 90):  # refreshed every 90 days: rotates, the limit stays
        qbo.control("POST", "clock", advance=90 * 86400)
        token = _refresh_raw(qbo, token).json()["refresh_token"]
    last = _refresh_raw(qbo, token, **{"x-include-refresh-token-hard-expires-in": "true"}).json()
    left = last["x_refresh_token_hard_expires_in"]
    assert 0 < left < 90 * 86400 and last["x_refresh_token_expires_in"] <= left
    qbo.control("POST", "clock", advance=left + 1)
    assert _refresh_raw(qbo, token).json() == {"error": "invalid_grant"}
