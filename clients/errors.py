"""The error hierarchy every client translates SDK and HTTP failures into, at the boundary."""

from __future__ import annotations

from enum import StrEnum


class SyncError(Exception):
    """Base of every failure talking to Shopify or QuickBooks."""

    def __init__(self, reason: str, fix: str | None = None, code: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fix = fix
        self.code = code  # the API's own error code (QBO fault code), when there is one


class RetryReason(StrEnum):
    """Why a call may succeed later: set where the RetryableError is raised, for code to act on
    (the human sentence is `SyncError.reason`)."""

    THROTTLED = "throttled"  # rate limited: Shopify THROTTLED, HTTP 429, QBO 3001
    SERVER_ERROR = "server_error"  # the API failed on its side: 5xx, QBO SystemFault (10000)
    NETWORK = "network"  # no answer at all (connection refused, timeout, reset)
    STALE = "stale"  # QBO 5010: the object changed since it was read; read it again
    TOKEN_EXPIRED = "token_expired"  # the access token lapsed mid-run (QBO 3200): refresh first
    BUSY = "busy"  # something else holds the resource: a lock, a bulk operation, a token refresh


class RetryableError(SyncError):
    """Throttling, 5xx, network trouble: the same call may succeed later (RQ retries it).

    `why` says which (a RetryReason). `retry_after` is how many seconds the API asked us to wait,
    when it said (a Retry-After header, or the time Shopify's cost bucket needs to refill):
    retries never come sooner."""

    def __init__(
        self,
        reason: str,
        fix: str | None = None,
        code: str | None = None,
        retry_after: float | None = None,
        *,
        why: RetryReason,
    ) -> None:
        super().__init__(reason, fix, code)
        self.why = why
        self.retry_after = retry_after


class AuthError(SyncError):
    """Credentials were refused or revoked: the merchant must reconnect."""


class DataError(SyncError):
    """The request itself is wrong and will not succeed on retry until something is fixed.

    `errors` names the fields at fault, `{field: message}`, when the failure is about some."""

    def __init__(
        self,
        reason: str,
        fix: str | None = None,
        code: str | None = None,
        *,
        errors: dict[str, str] | None = None,
    ) -> None:
        super().__init__(reason, fix, code)
        self.errors = errors
