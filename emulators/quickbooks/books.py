"""Closed books: no transaction dated on or before AccountingInfoPrefs.BookCloseDate.

Fault 6210 "Account Period Closed" is in Intuit's list of error codes:
https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
Its detail ends in a literal, unfilled "{1}", as QBO sends it (routablehq/python-quickbooks#208).
BookCloseDate: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/preferences
"""

from __future__ import annotations

from typing import Any

from emulators.quickbooks.entities import Rule
from emulators.quickbooks.faults import QBOFault
from emulators.quickbooks.store import Company


def close_date(company: Company) -> str | None:
    """The company's closing date (YYYY-MM-DD), None while the books are open."""
    prefs = (company.get("Preferences", "1") or {}).get("AccountingInfoPrefs") or {}
    value = prefs.get("BookCloseDate")
    return str(value)[:10] if value else None


def check_open(company: Company, rule: Rule, *docs: dict[str, Any] | None) -> None:
    """6210 when a transaction (either version, for an update) is dated in the closed period."""
    closed = close_date(company)
    if rule.kind != "txn" or closed is None:
        return
    for doc in docs:
        if doc is not None and str(doc.get("TxnDate", ""))[:10] <= closed:
            raise QBOFault(
                "6210", "Account Period Closed", "The account period has closed. {1}", "TxnDate"
            )
