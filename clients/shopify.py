"""Shopify GraphQL Admin API through ShopifyAPI's `shopify.GraphQL`, errors translated.

ref: https://shopify.dev/docs/api/admin-graphql
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.error import HTTPError, URLError

import requests
import shopify

from clients.errors import AuthError, DataError, RetryableError, RetryReason
from clients.shopify_protected import FULL, MARKER, ProtectedDataDenied, denied_level, for_level

REINSTALL_FIX = "Open Ledgerbridge from the Shopify admin to reauthorise it."
T = TypeVar("T")


def shopify_call(action: Callable[[], T]) -> T:
    """Run a call to Shopify with its failures as our errors: HTTP errors by status (ShopifyAPI's
    urllib), no answer at all (urllib or requests: token grants, bulk result files) retryable.
    The one place Shopify transport exceptions become ours."""
    try:
        return action()
    except HTTPError as exc:
        raise _http_error(exc) from exc
    except (URLError, TimeoutError, ConnectionError, requests.RequestException) as exc:
        raise RetryableError(
            f"Shopify could not be reached ({type(exc).__name__})", why=RetryReason.NETWORK
        ) from exc


class ShopifyClient:
    """One shop's Admin API; `admin_base_url` points it at the emulator in sandbox and tests."""

    def __init__(
        self,
        shop_domain: str,
        access_token: str,
        api_version: str,
        admin_base_url: str | None = None,
        customer_data: int | None = None,
        on_customer_data: Callable[[int | None], None] | None = None,
    ) -> None:
        self.shop_domain = shop_domain
        self.access_token = access_token
        self.api_version = api_version
        self.admin_base_url = admin_base_url.rstrip("/") if admin_base_url else None
        # The protected customer data level Shopify approved (None: not known, read everything);
        # `on_customer_data` keeps a lower one learnt from a refusal (clients.shopify_protected).
        self.customer_data = customer_data
        self.on_customer_data = on_customer_data

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one document; returns `{"data": …, "extensions": …}` or raises a SyncError. An
        order document refused for protected customer data is read again without it."""
        while True:
            try:
                return self.execute_as_is(*for_level(query, variables, self.customer_data))
            except ProtectedDataDenied as exc:
                known = FULL if self.customer_data is None else self.customer_data
                if exc.level >= known or MARKER not in query + str(variables or ""):
                    raise
                self.learnt(exc.level)

    def learnt(self, level: int | None) -> None:
        """Read order documents for this protected customer data level from now on."""
        changed = level != self.customer_data
        self.customer_data = level
        if changed and self.on_customer_data:
            self.on_customer_data(level)

    def execute_as_is(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one document unchanged."""
        session = shopify.Session(self.shop_domain, self.api_version, self.access_token)
        shopify.ShopifyResource.activate_session(session)
        if self.admin_base_url:  # ShopifyResource.site is per thread once set (shopify/base.py)
            shopify.ShopifyResource.site = f"{self.admin_base_url}/admin/api/{self.api_version}"
        try:
            body = shopify_call(lambda: shopify.GraphQL().execute(query, variables))
        finally:
            shopify.ShopifyResource.clear_session()
        return _result(json.loads(body))


def _http_error(exc: HTTPError) -> Exception:
    """HTTP failures: 401/403 need the merchant, 429/5xx heal with time, the rest is ours."""
    if exc.code in (401, 403):
        return AuthError(
            f"Shopify refused the access token ({exc.code})", REINSTALL_FIX, code=str(exc.code)
        )
    if exc.code == 429 or exc.code >= 500:
        return RetryableError(
            f"Shopify answered {exc.code}; retrying later",
            retry_after=_retry_after(exc),
            why=status_reason(exc.code),
        )
    return DataError(f"Shopify rejected the request ({exc.code})")


def status_reason(status: int) -> RetryReason:
    """Why an HTTP status that heals with time (429 or 5xx) is worth retrying."""
    return RetryReason.THROTTLED if status == 429 else RetryReason.SERVER_ERROR


def _result(result: dict[str, Any]) -> dict[str, Any]:
    """Top-level GraphQL errors: THROTTLED is retryable, anything else is a request bug."""
    errors = result.get("errors")
    if not errors:
        return result
    if isinstance(errors, str):  # e.g. "[API] Invalid API key or access token"
        raise AuthError(f"Shopify refused the request: {errors}", REINSTALL_FIX)
    codes = {(error.get("extensions") or {}).get("code") for error in errors}
    if "THROTTLED" in codes:
        raise RetryableError(
            "Shopify throttled the request; retrying later",
            retry_after=refill_seconds(result),
            why=RetryReason.THROTTLED,
        )
    messages = "; ".join(str(error.get("message")) for error in errors)
    level = denied_level(errors)
    if level is not None:
        raise ProtectedDataDenied(f"Shopify refused protected customer data: {messages}", level)
    raise DataError(f"Shopify rejected the query: {messages}")


def _retry_after(exc: HTTPError) -> float | None:
    """The Retry-After header of a 429 or 503, in seconds, when Shopify sent one.
    ref: https://shopify.dev/docs/api/usage/limits#rate-limits"""
    value = exc.headers.get("Retry-After") if exc.headers else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def refill_seconds(result: dict[str, Any]) -> float | None:
    """How long Shopify's cost bucket needs to hold what the throttled query asked for.
    ref: https://shopify.dev/docs/api/admin-graphql#rate-limits"""
    cost = (result.get("extensions") or {}).get("cost") or {}
    status = cost.get("throttleStatus") or {}
    try:
        needed = float(cost.get("requestedQueryCost") or 0)
        available = float(status.get("currentlyAvailable") or 0)
        restore = float(status.get("restoreRate") or 0)
    except (TypeError, ValueError):
        return None
    if restore <= 0 or needed <= available:
        return None
    return (needed - available) / restore
