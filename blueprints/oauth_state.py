"""OAuth `state` nonces: bound to one shop, single use, short-lived (kept in Redis)."""

from __future__ import annotations

import secrets

from flask import current_app

STATE_TTL_S = 600


def issue_state(purpose: str, shop_domain: str) -> str:
    """A fresh nonce that will resolve to `shop_domain` once, within ten minutes."""
    nonce = secrets.token_urlsafe(24)
    current_app.extensions["redis"].set(
        f"ledgerbridge-oauth-state:{purpose}:{nonce}", shop_domain, ex=STATE_TTL_S, nx=True
    )
    return nonce


def consume_state(purpose: str, nonce: str | None) -> str | None:
    """The shop a nonce was issued for, deleting it; None when unknown, used or expired."""
    if not nonce:
        return None
    value = current_app.extensions["redis"].getdel(f"ledgerbridge-oauth-state:{purpose}:{nonce}")
    return value.decode() if isinstance(value, bytes) else value
