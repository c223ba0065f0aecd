"""Shopify OAuth token endpoint: token exchange, authorization code, and expiring-token refresh.

ShopifyAPI 12.7.0 has no helper for token exchange or refresh tokens, and its request_token()
hard-codes https://{shop}; these calls are plain HTTPS POSTs to the same endpoint.
ref: https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/token-exchange
ref: https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests

from clients.errors import AuthError, RetryableError
from clients.shopify import shopify_call, status_reason

TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token"
OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token"


@dataclass(frozen=True)
class ShopifyTokens:
    """An offline access token and, for expiring tokens, its refresh token."""

    access_token: str
    scope: str
    expires_at: datetime | None
    refresh_token: str | None
    refresh_token_expires_at: datetime | None


class ShopifyAuthClient:
    """Talks to /admin/oauth/access_token of a shop (or of the emulator, via admin_base_url)."""

    def __init__(
        self, api_key: str, secret: str, admin_base_url: str | None = None, timeout: float = 15.0
    ) -> None:
        self.api_key = api_key
        self.secret = secret
        self.admin_base_url = admin_base_url.rstrip("/") if admin_base_url else None
        self.timeout = timeout

    def exchange_session_token(self, shop: str, session_token: str, now: datetime) -> ShopifyTokens:
        """App Bridge session token → expiring offline access token (managed install)."""
        return self._grant(
            shop,
            now,
            grant_type=TOKEN_EXCHANGE_GRANT,
            subject_token=session_token,
            subject_token_type=ID_TOKEN_TYPE,
            requested_token_type=OFFLINE_TOKEN_TYPE,
            expiring="1",
        )

    def exchange_code(self, shop: str, code: str, now: datetime) -> ShopifyTokens:
        """Authorization code (the OAuth fallback) → expiring offline access token."""
        return self._grant(shop, now, code=code, expiring="1")

    def refresh(self, shop: str, refresh_token: str, now: datetime) -> ShopifyTokens:
        """Refresh token → new access token and a new (rotated) refresh token."""
        return self._grant(shop, now, grant_type="refresh_token", refresh_token=refresh_token)

    def _grant(self, shop: str, now: datetime, **fields: str) -> ShopifyTokens:
        """POST one grant and read the token set; failures become AuthError or RetryableError."""
        base = self.admin_base_url or f"https://{shop}"
        data = {"client_id": self.api_key, "client_secret": self.secret, **fields}
        response = shopify_call(
            lambda: requests.post(
                f"{base}/admin/oauth/access_token",
                data=data,
                headers={"Accept": "application/json"},
                timeout=self.timeout,
            )
        )
        if response.status_code == 429 or response.status_code >= 500:
            raise RetryableError(
                f"Shopify's token endpoint answered {response.status_code}",
                why=status_reason(response.status_code),
            )
        if response.status_code != 200:
            raise AuthError(
                _oauth_error(response),
                "Open Ledgerbridge from the Shopify admin again to reauthorise it.",
            )
        return _tokens(response.json(), now)


def _oauth_error(response: requests.Response) -> str:
    """A plain-language reason from an OAuth error body, without echoing any token."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = body.get("error", "error") if isinstance(body, dict) else "error"
    return f"Shopify refused the token request ({response.status_code} {error})"


def _tokens(body: dict, now: datetime) -> ShopifyTokens:
    """Turn a token response into absolute expiry times."""

    def after(seconds: Any) -> datetime | None:
        return now + timedelta(seconds=int(seconds)) if seconds else None

    return ShopifyTokens(
        access_token=body["access_token"],
        scope=body.get("scope", ""),
        expires_at=after(body.get("expires_in")),
        refresh_token=body.get("refresh_token"),
        refresh_token_expires_at=after(body.get("refresh_token_expires_in")),
    )
