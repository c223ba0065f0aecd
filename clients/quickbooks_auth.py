"""Intuit OAuth 2.0 through intuit-oauth: authorize URL, code exchange, refresh, revoke.

Access tokens last one hour; refresh tokens roll (about 100 days) and may rotate on every
refresh, so the newest one must always be kept.
ref: https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from intuitlib.client import AuthClient
from intuitlib.enums import Scopes
from intuitlib.exceptions import AuthClientError

from clients.errors import AuthError, RetryableError, RetryReason

RECONNECT_FIX = "Reconnect QuickBooks from the Ledgerbridge page in your Shopify admin."


@dataclass(frozen=True)
class QuickBooksTokens:
    """The token pair Intuit returns, with absolute expiry times."""

    access_token: str
    access_token_expires_at: datetime
    refresh_token: str
    refresh_token_expires_at: datetime | None


class QuickBooksAuth:
    """Builds intuit-oauth clients for one app; `environment` may be a discovery-document URL."""

    def __init__(
        self, client_id: str, client_secret: str, redirect_uri: str, environment: str
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.environment = environment

    def client(self, **tokens: str | None) -> AuthClient:
        """An AuthClient (its constructor fetches Intuit's discovery document)."""
        made: list[AuthClient] = []
        _call(
            lambda: made.append(
                AuthClient(
                    self.client_id,
                    self.client_secret,
                    self.redirect_uri,
                    self.environment,
                    **tokens,
                )
            )
        )
        return made[0]

    def authorization_url(self, state: str) -> str:
        """Where the merchant consents; Intuit sends them back with code, realmId and state."""
        return self.client().get_authorization_url([Scopes.ACCOUNTING], state_token=state)

    def exchange_code(self, code: str, realm_id: str, now: datetime) -> QuickBooksTokens:
        """Authorization code → first token pair."""
        client = self.client()
        _call(client.get_bearer_token, code, realm_id=realm_id)
        return _tokens(client, now)

    def refresh(self, refresh_token: str, now: datetime) -> QuickBooksTokens:
        """Refresh token → new access token and (possibly rotated) refresh token."""
        client = self.client(refresh_token=refresh_token)
        _call(client.refresh, refresh_token=refresh_token)
        return _tokens(client, now)

    def revoke(self, token: str) -> None:
        """Revoke a token, which disconnects the app from the company."""
        _call(self.client().revoke, token=token)


def _call(method, *args, **kwargs) -> None:
    """Run an intuit-oauth call, translating its failures at the boundary."""
    try:
        method(*args, **kwargs)
    except AuthClientError as exc:
        if exc.status_code == 429 or exc.status_code >= 500:
            raise RetryableError(
                f"Intuit's token service answered {exc.status_code}",
                why=RetryReason.THROTTLED if exc.status_code == 429 else RetryReason.SERVER_ERROR,
            ) from exc
        error = _error_code(exc)
        raise AuthError(
            f"QuickBooks refused the connection ({error}); it was revoked or expired", RECONNECT_FIX
        ) from exc
    except requests.RequestException as exc:
        raise RetryableError(
            f"Intuit could not be reached ({type(exc).__name__})", why=RetryReason.NETWORK
        ) from exc


def _error_code(exc: AuthClientError) -> str:
    """The OAuth error code (e.g. invalid_grant) without echoing the response body."""
    try:
        return str(exc.response.json().get("error", exc.status_code))
    except ValueError:
        return str(exc.status_code)


def _tokens(client: AuthClient, now: datetime) -> QuickBooksTokens:
    """Read the tokens intuit-oauth set on the client."""
    refresh_ttl = getattr(client, "x_refresh_token_expires_in", None)
    return QuickBooksTokens(
        access_token=client.access_token,
        access_token_expires_at=now + timedelta(seconds=int(client.expires_in or 3600)),
        refresh_token=client.refresh_token,
        refresh_token_expires_at=now + timedelta(seconds=int(refresh_ttl)) if refresh_ttl else None,
    )
