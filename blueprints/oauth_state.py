"""OAuth `state` nonces: bound to one shop, single use, short-lived (kept in Redis)."""

from __future__ import annotations

import secrets

from flask import current_app

STATE_TTL_S = 600


def issue_state(purpose: str, shop_domain: str, ttl_s: int = STATE_TTL_S) -> str:
    """A fresh nonce that will resolve to `shop_domain` once, within `ttl_s` (ten minutes)."""
    nonce = secrets.token_urlsafe(24)
    current_app.extensions["redis"].set(
        f"ledgerbridge-oauth-state:{purpose}:{nonce}", shop_domain, ex=ttl_s, nx=True
    )
    return nonce


def consume_state(purpose: str, nonce: str | None) -> str | None:
    """The shop a nonce was issued for, deleting it; None when unknown, used or expired."""
    if not nonce or len(nonce) > 100:
        return None
    value = current_app.extensions["redis"].getdel(f"ledgerbridge-oauth-state:{purpose}:{nonce}")
    return value.decode() if isinstance(value, bytes) else value
