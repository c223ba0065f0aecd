"""App Bridge session tokens (ID tokens): mint them for tests and sandbox mode, and verify them.

ref: https://shopify.dev/docs/apps/auth/session-tokens (JWT HS256 signed with the client secret,
one-minute lifetime, claims iss dest aud sub exp nbf iat jti sid).
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import jwt

# ShopifyAPI's decode_from_header allows 10 s of clock skew; Shopify's own checks are similar.
LEEWAY_SECONDS = 10


def mint_session_token(
    shop_domain: str,
    api_key: str,
    secret: str,
    *,
    sub: str = "1",
    lifetime: int = 60,
    now: float | None = None,
    **overrides: Any,
) -> str:
    """A session token for `shop_domain` as App Bridge would hand it to the app's frontend."""
    issued = int(now if now is not None else time.time())
    claims: dict[str, Any] = {
        "iss": f"https://{shop_domain}/admin",
        "dest": f"https://{shop_domain}",
        "aud": api_key,
        "sub": sub,
        "exp": issued + lifetime,
        "nbf": issued,
        "iat": issued,
        "jti": str(uuid.uuid4()),
        "sid": uuid.uuid4().hex,
    }
    claims.update(overrides)
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_session_token(token: str, api_key: str, secret: str, now: float) -> str:
    """The shop domain a valid session token was issued for; raises jwt.InvalidTokenError."""
    claims = jwt.decode(
        token,
        secret,
        algorithms=["HS256"],
        audience=api_key,
        options={
            "require": ["iss", "dest", "exp", "sub"],
            "verify_exp": False,
            "verify_nbf": False,
            "verify_iat": False,
        },
    )
    if claims["exp"] + LEEWAY_SECONDS < now or claims.get("nbf", now) - LEEWAY_SECONDS > now:
        raise jwt.ExpiredSignatureError("session token expired or not yet valid")
    dest = str(claims["dest"]).removeprefix("https://").rstrip("/")
    if str(claims["iss"]).removeprefix("https://").split("/")[0] != dest:
        raise jwt.InvalidIssuerError("iss and dest name different shops")
    return dest
