"""App Bridge session tokens: every embedded request is resolved to its shop from the token alone.

A session token is a JWT (HS256, signed with the app secret, one minute long); ShopifyAPI's
decode_from_header checks the signature, `aud`, `exp`/`nbf` with 10 s leeway, and that `iss` and
`dest` name the same *.myshopify.com shop. A `shop` query parameter is never trusted on its own.
ref: https://shopify.dev/docs/apps/build/authentication-authorization/session-tokens
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from urllib.parse import urlsplit

import jwt
from flask import current_app, g, jsonify, request
from shopify.session_token import SessionTokenError, decode_from_header

from models import Shop

log = logging.getLogger(__name__)


class InvalidSessionToken(Exception):
    """The token is missing, forged, expired, or meant for another app or shop."""


def shop_from_session_token(authorization_header: str) -> str:
    """The shop domain a valid `Bearer <session token>` header belongs to."""
    try:
        claims = decode_from_header(
            authorization_header,
            api_key=current_app.config["SHOPIFY_API_KEY"],
            secret=current_app.config["SHOPIFY_API_SECRET"],
        )
    except (jwt.PyJWTError, SessionTokenError) as exc:
        raise InvalidSessionToken(type(exc).__name__) from exc
    host = urlsplit(str(claims["dest"])).hostname
    if not host:
        raise InvalidSessionToken("dest has no host")
    return host


def _refuse(message: str):
    """401 with the header App Bridge reacts to by fetching a fresh token and retrying."""
    response = jsonify(error="unauthorized", message=message)
    response.status_code = 401
    response.headers["X-Shopify-Retry-Invalid-Session-Request"] = "1"
    return response


def session_token_required(view: Callable) -> Callable:
    """Decorate an API view: authenticate the session token and put its shop on `g.shop`."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            domain = shop_from_session_token(request.headers.get("Authorization", ""))
        except InvalidSessionToken as exc:
            log.info("session token refused: %s", exc)
            return _refuse("invalid session token")
        shop = Shop.by_domain(domain)
        if shop is None or not shop.is_installed:
            return _refuse(f"{domain} has not installed Ledgerbridge")
        g.shop = shop
        g.shop_domain = domain
        return view(*args, **kwargs)

    return wrapper


def frame_ancestors(response):
    """Only the shop's own admin may frame our pages; nobody frames them outside it."""
    shop = g.get("shop_domain")
    allowed = f"https://{shop} https://admin.shopify.com" if shop else "'none'"
    if shop and current_app.config["SANDBOX"]:
        allowed += " 'self'"  # the sandbox's stand-in admin frames the app from this origin
    response.headers.setdefault("Content-Security-Policy", f"frame-ancestors {allowed};")
    return response
