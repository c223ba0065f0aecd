"""Preferences.SalesFormsPrefs.AllowShipping: QBO's built-in shipping line (SHIPPING_ITEM_ID)
exists only while shipping is on for sales forms
(https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/preferences)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.salesreceipt import SalesReceipt

from .builders import item_id, line, make_doc

SHIP = "SHIPPING_ITEM_ID"


def allow_shipping(qbo: Any, qb: Any, on: bool) -> None:
    """Turn the shipping preference on or off through a sparse Preferences update."""
    token = qbo.raw(qb, "GET", "preferences").json()["Preferences"]["SyncToken"]
    body = {"SyncToken": token, "sparse": True, "SalesFormsPrefs": {"AllowShipping": on}}
    assert qbo.raw(qb, "POST", "preferences", json=body).status_code == 200


def lines(qb: Any, shipping_item: str) -> list:
    return [
        line(item_id(qb, "Design"), "100.00", tax="NON"),
        line(shipping_item, "7.50", tax="NON"),
    ]


@pytest.mark.parametrize("cls", [SalesReceipt, None])
def test_the_builtin_shipping_line_is_refused_while_shipping_is_off(qbo, qb, cls):
    extra = {"cls": cls} if cls else {}
    assert make_doc(qb, lines=lines(qb, SHIP), **extra).TotalAmt == Decimal("107.50")
    allow_shipping(qbo, qb, False)
    with pytest.raises(QuickbooksException) as err:
        make_doc(qb, lines=lines(qb, SHIP), **extra)
    assert err.value.error_code == 2500 and "SHIPPING_ITEM_ID" in err.value.detail
    # a shipping charge on an ordinary item is still accepted, inside the subtotal
    doc = make_doc(qb, lines=lines(qb, item_id(qb, "Shipping")), **extra)
    assert doc.TotalAmt == Decimal("107.50")
    allow_shipping(qbo, qb, True)
    assert make_doc(qb, lines=lines(qb, SHIP), **extra).TotalAmt == Decimal("107.50")


def test_the_control_route_sets_and_removes_preferences(qbo, qb):
    path = f"companies/{qb.company_id}/preferences"
    answer = qbo.control("POST", path, SalesFormsPrefs={"AllowShipping": False})
    assert answer.status_code == 200
    assert answer.json()["preferences"]["SalesFormsPrefs"]["AllowShipping"] is False
    read = qbo.raw(qb, "GET", "preferences").json()["Preferences"]["SalesFormsPrefs"]
    assert read["AllowShipping"] is False and read["CustomTxnNumbers"] is True  # merged
    removed = qbo.control("POST", path, SalesFormsPrefs={"AllowShipping": None}).json()
    assert "AllowShipping" not in removed["preferences"]["SalesFormsPrefs"]
    assert qbo.control("POST", path, SalesFormsPrefs=True).status_code == 400
    assert qbo.control("POST", "companies/nope/preferences").status_code == 404
