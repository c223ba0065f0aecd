"""Closed books: 6210 for a transaction dated on or before Preferences' BookCloseDate."""

from __future__ import annotations

from typing import Any

import pytest
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.salesreceipt import SalesReceipt

from .builders import customer_id, make_doc, payment


def close_books(qbo: Any, qb: Any, date: str) -> None:
    """Set AccountingInfoPrefs.BookCloseDate through a Preferences update."""
    token = qbo.raw(qb, "GET", "preferences").json()["Preferences"]["SyncToken"]
    body = {"SyncToken": token, "sparse": True, "AccountingInfoPrefs": {"BookCloseDate": date}}
    assert qbo.raw(qb, "POST", "preferences", json=body).status_code == 200


@pytest.mark.parametrize("cls", ["invoice", "receipt"])
def test_documents_on_or_before_the_close_date_are_6210(qbo, qb, cls):
    kind = SalesReceipt if cls == "receipt" else None
    extra = {"cls": kind} if kind else {}
    close_books(qbo, qb, "2026-06-30")
    for date in ("2026-06-30", "2026-01-15"):
        with pytest.raises(QuickbooksException) as err:
            make_doc(qb, TxnDate=date, **extra)
        assert err.value.error_code == 6210 and err.value.message == "Account Period Closed"
        assert "The account period has closed." in err.value.detail
    assert make_doc(qb, TxnDate="2026-07-01", **extra).TxnDate == "2026-07-01"


def test_updates_into_or_out_of_the_closed_period_are_6210(qbo, qb):
    old = make_doc(qb, TxnDate="2026-06-15")
    later = make_doc(qb, TxnDate="2026-07-15")
    close_books(qbo, qb, "2026-06-30")
    old.PrivateNote = "edited"
    later.TxnDate = "2026-06-01"
    for doc in (old, later):
        with pytest.raises(QuickbooksException) as err:
            doc.save(qb=qb)
        assert err.value.error_code == 6210


def test_payments_in_the_closed_period_are_6210_and_open_books_accept_all(qbo, qb):
    inv = make_doc(qb, TxnDate="2026-06-10")
    close_books(qbo, qb, "2026-05-31")
    paid = payment(qb, customer_id(qb), "10.00", [(inv.Id, "10.00")])
    assert paid.TotalAmt == 10
    close_books(qbo, qb, "2099-12-31")
    with pytest.raises(QuickbooksException) as err:
        payment(qb, customer_id(qb), "5.00", [(inv.Id, "5.00")])
    assert err.value.error_code == 6210


def test_a_new_company_has_no_close_date(qbo, qb):
    prefs = qbo.raw(qb, "GET", "preferences").json()["Preferences"]["AccountingInfoPrefs"]
    assert "BookCloseDate" not in prefs
    assert make_doc(qb, TxnDate="2001-01-01").TxnDate == "2001-01-01"
