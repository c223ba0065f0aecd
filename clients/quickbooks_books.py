"""Closed books: the closing date QBO refused a document for, read once for the ledger reason.

AccountingInfoPrefs.BookCloseDate:
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/preferences
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from quickbooks import QuickBooks

from clients.errors import SyncError
from clients.quickbooks_faults import closed_books_error, sdk_call


def book_close_date(qb: QuickBooks) -> str | None:
    """Preferences.AccountingInfoPrefs.BookCloseDate (YYYY-MM-DD), None if unset or unreadable."""
    url = f"{qb.api_url}/company/{qb.company_id}/preferences"
    try:
        prefs = sdk_call(lambda: qb.make_request("GET", url))
    except SyncError:
        return None  # the undated reason still says what to do
    value = ((prefs.get("Preferences") or {}).get("AccountingInfoPrefs") or {}).get("BookCloseDate")
    return str(value)[:10] if value else None


def date_closed_books(qb: QuickBooks, outcomes: dict[str, Any]) -> dict[str, Any]:
    """Outcomes (dataclasses with `error`) whose closed-books errors name the closing date."""
    closed = [k for k, o in outcomes.items() if o.error is not None and o.error.code == "6210"]
    if not closed:
        return outcomes
    when = book_close_date(qb)
    if when is None:
        return outcomes
    return {
        k: replace(o, error=closed_books_error(when)) if k in closed else o
        for k, o in outcomes.items()
    }
