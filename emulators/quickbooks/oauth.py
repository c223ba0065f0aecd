"""Intuit OAuth 2.0: discovery document, authorize, bearer-token and revoke endpoints.

ref: https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0
Token lifetimes (access 3600 s, refresh 8726400 s):
https://blogs.intuit.com/2024/06/03/oauth-token-management-done-the-right-way/
A refresh answers the same refresh-token value for 24 hours (its x_refresh_token_expires_in
counting down), then a new value, and the old one stops working:
https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/faq
Every refresh token ends 5 years after the user authorized the app; the header
x-include-refresh-token-hard-expires-in: true asks for x_refresh_token_hard_expires_in:
https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, redirect, request

from emulators.quickbooks.context import emu
from emulators.quickbooks.store import App, Grant

ACCESS_TTL = 3600
REFRESH_TTL = 8726400
REFRESH_VALUE_TTL = 86400  # the same refresh-token value is answered for 24 hours
HARD_TTL = 5 * 365 * 86400  # 157680000 s: the five-year limit
CODE_TTL = 300
bp = Blueprint("qbo_oauth", __name__)


@bp.get("/.well-known/openid_configuration")
@bp.get("/.well-known/openid_configuration/")
@bp.get("/.well-known/openid_sandbox_configuration")
@bp.get("/.well-known/openid_sandbox_configuration/")
def discovery() -> Response:
    """The discovery document intuitlib's AuthClient GETs in its constructor."""
    base = request.host_url.rstrip("/")
    return jsonify(
        issuer="https://oauth.platform.intuit.com/op/v1",
        authorization_endpoint=f"{base}/connect/oauth2",
        token_endpoint=f"{base}/oauth2/v1/tokens/bearer",
        userinfo_endpoint=f"{base}/v1/openid_connect/userinfo",
        revocation_endpoint=f"{base}/oauth2/v1/tokens/revoke",
        jwks_uri=f"{base}/op/v1/jwks",
        response_types_supported=["code"],
        grant_types_supported=["authorization_code", "refresh_token"],
        scopes_supported=[
            "openid",
            "email",
            "profile",
            "address",
            "phone",
            "com.intuit.quickbooks.accounting",
            "com.intuit.quickbooks.payment",
        ],
        token_endpoint_auth_methods_supported=["client_secret_post", "client_secret_basic"],
    )


@bp.get("/connect/oauth2")
def authorize() -> Response | tuple[Response, int]:
    """Consent at once and redirect back with code, realmId and state (or access_denied)."""
    state = emu().state
    app = state.apps.get(request.args.get("client_id", ""))
    redirect_uri = request.args.get("redirect_uri", "")
    if app is None or redirect_uri not in app.redirect_uris:
        return jsonify(
            error="invalid_request",
            error_description="unknown client or redirect_uri not registered",
        ), 400
    params = {"state": request.args.get("state", "")}
    if state.oauth_deny:
        params["error"] = "access_denied"
    else:
        realm = request.args.get("realm_id") or _default_realm()
        params["code"] = state.issue(
            "code", app.client_id, realm, CODE_TTL, redirect_uri=redirect_uri
        )
        params["realmId"] = realm
    sep = "&" if "?" in redirect_uri else "?"
    return redirect(redirect_uri + sep + urlencode(params), 302)


def _default_realm() -> str:
    """The company a user picks on the consent screen: the first one (a US one if none)."""
    state = emu().state
    if not state.companies:
        from emulators.quickbooks import templates

        return templates.create(state, "us").realm_id
    return next(iter(state.companies))


def _client() -> App | None:
    """The app authenticated by HTTP Basic client_id:client_secret."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    app = emu().state.apps.get(client_id)
    return app if app is not None and app.secret == secret else None


def _error(error: str, status: int = 400) -> tuple[Response, int]:
    """An OAuth error body."""
    return jsonify(error=error), status


@bp.post("/oauth2/v1/tokens/bearer")
def bearer() -> Response | tuple[Response, int]:
    """authorization_code and refresh_token grants (refresh values kept for 24 h, see above)."""
    app, state = _client(), emu().state
    if app is None:
        return _error("invalid_client", 401)
    grant_type = request.form.get("grant_type")
    with state.lock:
        if grant_type == "authorization_code":
            grant = state.valid(request.form.get("code", ""), "code")
            if grant is None or grant.redirect_uri != request.form.get("redirect_uri"):
                return _error("invalid_grant")
        elif grant_type == "refresh_token":
            grant = state.valid(request.form.get("refresh_token", ""), "refresh")
        else:
            return _error("unsupported_grant_type")
        if grant is None or grant.client_id != app.client_id:
            return _error("invalid_grant")
        access = state.issue("access", app.client_id, grant.realm_id, ACCESS_TTL)
        refresh = _refresh_for(request.form.get("refresh_token", ""), grant)
    return jsonify(token_response(access, refresh))


def _refresh_for(value: str, grant: Grant) -> str:
    """The refresh token a grant's use answers: the same one within 24 h unless strict."""
    state = emu().state
    if grant.kind == "refresh" and not state.rotate_refresh_tokens:
        now = state.clock.timestamp()
        if now - grant.issued_at < REFRESH_VALUE_TTL:
            return value
    grant.spent = True
    hard = grant.hard_expires_at if grant.kind == "refresh" else 0.0
    return issue_refresh(grant.client_id, grant.realm_id, hard)


def issue_refresh(client_id: str, realm_id: str, hard_expires_at: float = 0.0) -> str:
    """A new refresh token: 8726400 s, never past the authorization's five-year limit."""
    state = emu().state
    hard = hard_expires_at or state.clock.timestamp() + HARD_TTL
    ttl = int(min(REFRESH_TTL, hard - state.clock.timestamp()))
    return state.issue("refresh", client_id, realm_id, ttl, hard_expires_at=hard)


def token_response(access: str, refresh: str) -> dict[str, Any]:
    """The bearer-token answer; refresh lifetimes count down from the emulated clock."""
    state = emu().state
    grant, now = state.grants[refresh], state.clock.timestamp()
    out: dict[str, Any] = {
        "token_type": "bearer",
        "access_token": access,
        "refresh_token": refresh,
        "expires_in": ACCESS_TTL,
        "x_refresh_token_expires_in": round(grant.expires_at - now),
    }
    if request.headers.get("x-include-refresh-token-hard-expires-in", "").lower() == "true":
        out["x_refresh_token_hard_expires_in"] = round(grant.hard_expires_at - now)
    return out


@bp.get("/v1/openid_connect/userinfo")
def userinfo() -> Response | tuple[Response, int]:
    """OpenID userinfo for a valid access token (the emulated company's owner)."""
    header = request.headers.get("Authorization", "")
    grant = emu().state.valid(header.removeprefix("Bearer "), "access")
    if grant is None:
        return _error("invalid_token", 401)
    return jsonify(
        sub=f"user-{grant.realm_id}",
        email="owner@example.com",
        emailVerified=True,
        givenName="Sandbox",
        familyName="Owner",
    )


@bp.post("/oauth2/v1/tokens/revoke")
def revoke() -> Response | tuple[Response, int]:
    """Revoke a token; revoking disconnects the app from the realm (all its tokens)."""
    app, state = _client(), emu().state
    if app is None:
        return _error("invalid_client", 401)
    try:
        token = json.loads(request.get_data() or b"{}").get("token", "")
    except (ValueError, AttributeError):
        return _error("invalid_request")
    with state.lock:
        grant = state.grants.get(token)
        if grant is None or grant.client_id != app.client_id:
            return _error("invalid_request")
        for other in state.grants.values():
            if other.client_id == grant.client_id and other.realm_id == grant.realm_id:
                other.spent = True
    return Response(b"", 200)
