"""Shopify OAuth: authorize (instant consent), and the access-token endpoint's three grants.

ref: https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant
ref: https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/token-exchange
ref: https://shopify.dev/changelog/offline-access-tokens-now-support-expiry-and-refresh
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import jwt
from flask import Blueprint, Response, current_app, jsonify, redirect, request

from emulators.shopify.session_tokens import verify_session_token
from emulators.shopify.store import AccessToken, EmulatorState

bp = Blueprint("shopify_oauth", __name__)

TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token"
OFFLINE_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token"
ONLINE_TYPE = "urn:shopify:params:oauth:token-type:online-access-token"
ACCESS_TOKEN_TTL = 3600  # expiring offline tokens last 60 minutes (changelog above)
REFRESH_TOKEN_TTL = 90 * 24 * 3600  # [unverified] 90 days
ONLINE_TOKEN_TTL = 86399


def oauth_hmac(params: dict[str, str], secret: str) -> str:
    """Hex HMAC-SHA256 over the sorted "k=v" pairs (as shopify.Session.calculate_hmac checks)."""

    def enc(s: str, key: bool) -> str:
        """Escape % and & (and = in keys) as ShopifyAPI does before signing."""
        s = s.replace("%", "%25").replace("&", "%26")
        return s.replace("=", "%3D") if key else s

    message = "&".join(
        sorted(f"{enc(k, True)}={enc(v, False)}" for k, v in params.items() if k != "hmac")
    )
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def _state() -> EmulatorState:
    """The emulator state."""
    return current_app.extensions["shopify_emulator"].state


def _oauth_error(error: str, description: str, status: int = 400) -> tuple[Response, int]:
    """An OAuth error body."""
    return jsonify(error=error, error_description=description), status


@bp.get("/admin/oauth/authorize")
def authorize() -> Response | tuple[Response, int] | tuple[str, int]:
    """The store owner consents at once and is sent back to the app with a signed code."""
    state = _state()
    args = request.args
    app = state.apps.get(args.get("client_id", ""))
    if app is None or not args.get("redirect_uri"):
        return "Oauth error invalid_request: The client_id or redirect_uri is invalid", 400
    shop = args.get("shop") or request.host.split(":")[0]
    if not shop.endswith(".myshopify.com"):
        return "Oauth error invalid_request: unknown shop (pass ?shop=<name>.myshopify.com)", 400
    if state.oauth_deny:
        return "The store owner declined to install this app (test control: oauth_deny).", 403
    if shop not in state.shops:
        state.add_shop(shop)  # a development store the owner just created
    code = secrets.token_hex(16)
    state.auth_codes[code] = (shop, app.client_id, args.get("scope") or app.scopes)
    host = base64.b64encode(f"admin.shopify.com/store/{shop.split('.')[0]}".encode()).decode()
    params = {
        "code": code,
        "host": host,
        "shop": shop,
        "timestamp": str(int(state.clock.timestamp())),
    }
    if args.get("state") is not None:
        params["state"] = args["state"]
    params["hmac"] = oauth_hmac(params, app.secret)
    return redirect(f"{args['redirect_uri']}?{urlencode(params)}")


@bp.post("/admin/oauth/access_token")
def access_token() -> Response | tuple[Response, int]:
    """Authorization code, token exchange, or refresh token → access token."""
    state = _state()
    form: dict[str, Any] = {**request.args, **request.form, **(request.get_json(silent=True) or {})}
    app = state.apps.get(str(form.get("client_id", "")))
    if app is None or not hmac.compare_digest(app.secret, str(form.get("client_secret", ""))):
        return _oauth_error("invalid_client", "Client authentication failed", 401)
    grant = form.get("grant_type")
    if grant == TOKEN_EXCHANGE:
        return _token_exchange(state, app.client_id, app.secret, form)
    if grant == "refresh_token":
        return _refresh(state, app.client_id, form)
    code = state.auth_codes.pop(str(form.get("code", "")), None)
    if code is None or code[1] != app.client_id:
        return _oauth_error(
            "invalid_request", "The authorization code was not found or was already used"
        )
    token = state.add_token(code[0], app.client_id)
    token.scope = code[2]
    return jsonify(_token_body(token, form))


def _token_exchange(
    state: EmulatorState, client_id: str, secret: str, form: dict[str, Any]
) -> Response | tuple[Response, int]:
    """Session token (ID token) → offline or online access token."""
    try:
        shop = verify_session_token(
            str(form.get("subject_token", "")), client_id, secret, state.clock.timestamp()
        )
    except jwt.InvalidTokenError as exc:
        return _oauth_error("invalid_subject_token", f"Session token is invalid: {exc}")
    if shop not in state.shops:
        state.add_shop(shop)
    online = form.get("requested_token_type") == ONLINE_TYPE
    token = state.add_token(shop, client_id)
    if online:
        token.expires_at = state.clock.now() + timedelta(seconds=ONLINE_TOKEN_TTL)
        body = _token_body(token, {})
        body.update(
            expires_in=ONLINE_TOKEN_TTL,
            associated_user_scope=token.scope,
            associated_user={
                "id": 1,
                "first_name": "Dev",
                "last_name": "Owner",
                "email": "owner@example.com",
                "account_owner": True,
            },
        )
        return jsonify(body)
    return jsonify(_token_body(token, form))


def _refresh(
    state: EmulatorState, client_id: str, form: dict[str, Any]
) -> Response | tuple[Response, int]:
    """Rotate: new access + refresh token; the used refresh token stays valid until the new
    one is used (ref: https://shopify.dev/changelog/more-resilient-refreshes-for-expiring-offline-access-tokens)."""
    old = state.refresh_tokens.get(str(form.get("refresh_token", "")))
    now = state.clock.now()
    if old is None or old.client_id != client_id or (old.refresh_expires_at or now) < now:
        return _oauth_error("invalid_grant", "The refresh token is invalid or expired")
    # Using this refresh token retires the one it replaced.
    for value, tok in list(state.refresh_tokens.items()):
        if tok.replaced_by == old.refresh_token:
            del state.refresh_tokens[value]
    token = state.add_token(old.shop, client_id)
    token.scope = old.scope
    body = _token_body(token, {"expiring": "1"})
    old.replaced_by = token.refresh_token
    return jsonify(body)


def _token_body(token: AccessToken, form: dict[str, Any]) -> dict[str, Any]:
    """The JSON answer; `expiring=1` makes an expiring offline token with a refresh token."""
    body: dict[str, Any] = {"access_token": token.value, "scope": token.scope}
    if str(form.get("expiring", "0")) != "1":
        return body
    state = _state()
    now = state.clock.now()
    token.expires_at = now + timedelta(seconds=ACCESS_TOKEN_TTL)
    token.refresh_token = f"shprt_{secrets.token_hex(16)}"
    token.refresh_expires_at = now + timedelta(seconds=REFRESH_TOKEN_TTL)
    state.refresh_tokens[token.refresh_token] = token
    body.update(
        expires_in=ACCESS_TOKEN_TTL,
        refresh_token=token.refresh_token,
        refresh_token_expires_in=REFRESH_TOKEN_TTL,
    )
    return body
