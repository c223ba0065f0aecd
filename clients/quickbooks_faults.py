"""QBO faults as the errors jobs act on, with plain-language reasons and fixes.

Codes: https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
python-quickbooks raises only the first Error of a Fault; batch items carry theirs
in the BatchItemResponse, so both paths come through `fault_error`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import requests
from quickbooks.exceptions import AuthorizationException, QuickbooksException

from clients.errors import AuthError, DataError, RetryableError, RetryReason, SyncError
from clients.quickbooks_auth import RECONNECT_FIX

# Faults a later attempt may get past: throttled; token expired mid-run (refresh, then retry);
# stale object (read it again); SystemFault, QBO's own failure (a batch item can carry one:
# https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes)
RETRYABLE_CODES = {
    "3001": RetryReason.THROTTLED,
    "3200": RetryReason.TOKEN_EXPIRED,
    "5010": RetryReason.STALE,
    "10000": RetryReason.SERVER_ERROR,
}
FIXES = {
    "6140": "QuickBooks already has a document with this number: change the order number "
    "prefix, or turn on automatic document numbers.",
    "6240": "Another customer, vendor or employee in QuickBooks already uses this name.",
    "610": "An item, account, customer or tax code the document uses was deleted or made "
    "inactive in QuickBooks: reactivate it or choose another in the settings.",
    "2500": "The document refers to something QuickBooks does not have: check the settings' "
    "items, accounts and tax codes.",
    "6000": "QuickBooks refused the document; the reason is above.",
    "6210": "Reopen the period in QuickBooks (Settings > Advanced > Accounting > Close the "
    "books: move the closing date back or remove it), or turn on 'date after book close' in the "
    "sales settings to date such orders the day after the closing date; then retry the order.",
}
# Closed books: 6210 in Intuit's list; QBO has also been seen sending this message under 5010
# (routablehq/python-quickbooks#208), which must not be retried as a stale object.
CLOSED_PERIOD = "Account Period Closed"
CLOSED_REASON = "QuickBooks books are closed up to {date}: the order is dated on or before it"


def closed_books_error(close_date: str | None, code: str = "6210") -> DataError:
    """The ledger's reason for a document dated in the closed period, with the date when known."""
    reason = CLOSED_REASON.format(date=close_date or "a date on or after the order's date")
    return DataError(f"{reason} (QuickBooks error {code}: {CLOSED_PERIOD})", FIXES["6210"], "6210")


def fault_error(code: str, message: str, detail: str = "") -> SyncError:
    """One QBO fault → RetryableError (throttle, stale object, SystemFault), or DataError."""
    if code == "6210" or message.strip() == CLOSED_PERIOD:
        return closed_books_error(None, code)
    text = f"QuickBooks error {code}: {message}" + (f" — {detail}" if detail else "")
    if code in RETRYABLE_CODES:
        return RetryableError(text, code=code, why=RETRYABLE_CODES[code])
    return DataError(
        text, FIXES.get(code, "Correct the data in Shopify or the settings, then retry."), code=code
    )


def sdk_error(exc: QuickbooksException) -> SyncError:
    """A python-quickbooks exception → our error (its code 10000 covers the XML 429 body)."""
    if isinstance(exc, AuthorizationException):
        return AuthError("QuickBooks refused the access token", RECONNECT_FIX, code="401")
    code = str(exc.error_code)
    # non-JSON body: QBO's XML 429 ThrottleExceeded (routablehq/python-quickbooks#43), or a 5xx;
    # the SDK keeps no status code, only the body in its message
    if code == "10000":
        throttled = "ThrottleExceeded" in str(exc.message)
        return RetryableError(
            "QuickBooks is throttling or unavailable; retrying later",
            code=code,
            why=RetryReason.THROTTLED if throttled else RetryReason.SERVER_ERROR,
        )
    return fault_error(code, str(exc.message), str(exc.detail or ""))


T = TypeVar("T")


def sdk_call(action: Callable[[], T]) -> T:
    """Run a python-quickbooks call with its failures as our errors: QBO faults by code, and no
    answer at all (the outcome unknown: a retry under the same request id is replayed) retryable.
    The one place python-quickbooks exceptions become ours: every QBO data call goes through it."""
    try:
        return action()
    except QuickbooksException as exc:
        raise sdk_error(exc) from exc
    except requests.RequestException as exc:
        raise RetryableError(
            f"QuickBooks did not answer ({type(exc).__name__})", why=RetryReason.NETWORK
        ) from exc
