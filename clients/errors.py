"""The error hierarchy every client translates SDK and HTTP failures into, at the boundary."""

from __future__ import annotations


class SyncError(Exception):
    """Base of every failure talking to Shopify or QuickBooks."""

    def __init__(self, reason: str, fix: str | None = None, code: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fix = fix
        self.code = code  # the API's own error code (QBO fault code), when there is one


class RetryableError(SyncError):
    """Throttling, 5xx, network trouble: the same call may succeed later (RQ retries it).

    `retry_after` is how many seconds the API asked us to wait, when it said (a Retry-After
    header, or the time Shopify's cost bucket needs to refill): retries never come sooner."""

    def __init__(
        self,
        reason: str,
        fix: str | None = None,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason, fix, code)
        self.retry_after = retry_after


class AuthError(SyncError):
    """Credentials were refused or revoked: the merchant must reconnect."""


class DataError(SyncError):
    """The request itself is wrong and will not succeed on retry until something is fixed."""
