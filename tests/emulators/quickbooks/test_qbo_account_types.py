"""Account types: deposit accounts Bank/Other Current Asset; an item's accounts by item type."""

from __future__ import annotations

from decimal import Decimal

import pytest
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.account import Account
from quickbooks.objects.item import Item
from quickbooks.objects.salesreceipt import SalesReceipt

from .builders import customer_id, make_doc, payment, ref

INVALID = "Invalid account type"


def _accounts(qb):
    return {a.Name: a.Id for a in Account.all(qb=qb)}


def _item(qb, kind, **accounts):
    item = Item()
    item.Name, item.Type = f"{kind} {len(accounts)} {sorted(accounts.values())}", kind
    if kind == "Inventory":
        item.TrackQtyOnHand, item.QtyOnHand, item.InvStartDate = True, Decimal(1), "2026-01-01"
    for field, account in accounts.items():
        setattr(item, field, ref(account))
    return item.save(qb=qb)


@pytest.mark.parametrize("account", ["Gift Card Liability", "Merchant Fees", "Checking"])
def test_inventory_income_account_must_be_income(qb, account):
    a = _accounts(qb)
    with pytest.raises(QuickbooksException) as err:
        _item(
            qb,
            "Inventory",
            IncomeAccountRef=a[account],
            AssetAccountRef=a["Inventory Asset"],
            ExpenseAccountRef=a["Cost of Goods Sold"],
        )
    assert err.value.error_code == 6000 and INVALID in err.value.detail


def test_inventory_asset_account_must_be_other_current_asset(qb):
    a = _accounts(qb)
    with pytest.raises(QuickbooksException) as err:
        _item(
            qb,
            "Inventory",
            IncomeAccountRef=a["Sales of Product Income"],
            AssetAccountRef=a["Checking"],
            ExpenseAccountRef=a["Cost of Goods Sold"],
        )
    assert err.value.error_code == 6000 and INVALID in err.value.detail


@pytest.mark.parametrize("kind", ["Service", "NonInventory"])
def test_service_items_take_income_or_a_liability_not_an_asset(qb, kind):
    a = _accounts(qb)
    assert _item(qb, kind, IncomeAccountRef=a["Gift Card Liability"]).Id
    assert _item(qb, kind, IncomeAccountRef=a["Services"]).Id
    with pytest.raises(QuickbooksException) as err:
        _item(qb, kind, IncomeAccountRef=a["Checking"])
    assert err.value.error_code == 6000 and INVALID in err.value.detail
    with pytest.raises(QuickbooksException):
        _item(qb, kind, IncomeAccountRef=a["Services"], ExpenseAccountRef=a["Checking"])


def test_deposit_account_must_be_bank_or_other_current_asset(qbo, qb):
    a = _accounts(qb)
    for ok in ("Checking", "Undeposited Funds"):
        assert make_doc(qb, SalesReceipt, DepositToAccountRef=ref(a[ok])).Id
    with pytest.raises(QuickbooksException) as err:
        make_doc(qb, SalesReceipt, DepositToAccountRef=ref(a["Gift Card Liability"]))
    assert err.value.error_code == 6000 and INVALID in err.value.detail
    inv = make_doc(qb)
    p = payment(qb, customer_id(qb), "10.00", [(inv.Id, "10.00")])
    p.DepositToAccountRef = ref(a["Gift Card Liability"])
    with pytest.raises(QuickbooksException) as err:
        p.save(qb=qb)
    assert INVALID in err.value.detail


def test_deposit_account_rule_is_on_by_default_and_can_be_turned_off(qbo, qb):
    a = _accounts(qb)
    assert qbo.control("GET", "settings").json()["check_deposit_accounts"] is True
    qbo.control("POST", "settings", check_deposit_accounts=False)
    assert make_doc(qb, SalesReceipt, DepositToAccountRef=ref(a["Gift Card Liability"])).Id
