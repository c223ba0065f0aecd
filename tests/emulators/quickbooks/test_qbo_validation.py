"""Validation faults: duplicates, references, XSD limits, required fields, Fault JSON shape."""

from __future__ import annotations

from decimal import Decimal

import pytest
from quickbooks.exceptions import (
    ObjectNotFoundException,
    QuickbooksException,
    ValidationException,
)
from quickbooks.objects.account import Account
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.item import Item
from quickbooks.objects.paymentmethod import PaymentMethod
from quickbooks.objects.refundreceipt import RefundReceipt

from .builders import CustomerMemo, customer_id, item_id, line, make_doc, payment, ref


def _customer(qb, name):
    c = Customer()
    c.DisplayName = name
    return c.save(qb=qb)


def test_duplicate_doc_number_is_6140(qb):
    make_doc(qb, DocNumber="SH-1001")
    with pytest.raises(QuickbooksException) as err:
        make_doc(qb, DocNumber="SH-1001")
    assert err.value.error_code == 6140 and "DocNumber=SH-1001" in err.value.detail


def test_allowduplicatedocnum_lifts_6140(qb):
    make_doc(qb, DocNumber="SH-2001")
    dup = make_doc(qb, save=False, DocNumber="SH-2001")
    assert dup.save(qb=qb, params={"include": "allowduplicatedocnum"}).DocNumber == "SH-2001"


def test_same_doc_number_on_update_of_itself_is_fine(qb):
    inv = make_doc(qb, DocNumber="SH-3001")
    inv = Invoice.get(inv.Id, qb=qb)
    inv.PrivateNote = "again"
    assert inv.save(qb=qb).DocNumber == "SH-3001"


@pytest.mark.parametrize(
    "name", ["Norton Lumber and Building Materials", "emily platt", "Cool Cars"]
)
def test_display_name_unique_across_customers_vendors_employees(qb, name):
    with pytest.raises(QuickbooksException) as err:
        _customer(qb, name)
    assert err.value.error_code == 6240 and err.value.message == "Duplicate Name Exists Error"


def test_item_name_must_be_unique(qb):
    item = Item()
    item.Name, item.Type = "Design", "Service"
    item.IncomeAccountRef = ref(Account.filter(Name="Services", qb=qb)[0].Id)
    with pytest.raises(QuickbooksException) as err:
        item.save(qb=qb)
    assert err.value.error_code == 6240


def test_inactive_reference_is_610(qb):
    c = _customer(qb, "Gone Away")
    c.Active = False
    c.save(qb=qb)
    with pytest.raises(ObjectNotFoundException) as err:
        make_doc(qb, customer=c.Id)
    assert err.value.error_code == 610


@pytest.mark.parametrize("where", ["customer", "item", "linked"])
def test_missing_reference_is_2500(qb, where):
    with pytest.raises(ValidationException) as err:
        if where == "customer":
            make_doc(qb, customer="424242")
        elif where == "item":
            make_doc(qb, lines=[line("424242", "5.00")])
        else:
            payment(qb, customer_id(qb), "5.00", [("424242", "5.00")])
    assert err.value.error_code == 2500


def test_missing_tax_code_reference_in_non_us_company(qb_ca):
    with pytest.raises(ValidationException) as err:
        make_doc(qb_ca, lines=[line(item_id(qb_ca, "Design"), "5.00", tax="424242")])
    assert err.value.error_code == 2500


def _long(n):
    return "x" * n


@pytest.mark.parametrize(("field", "limit"), [("DocNumber", 21), ("PrivateNote", 4000)])
def test_transaction_field_limits_are_2050(qb, field, limit):
    assert make_doc(qb, **{field: _long(limit)}).Id
    with pytest.raises(ValidationException) as err:
        make_doc(qb, **{field: _long(limit + 1)})
    assert err.value.error_code == 2050 and f"Max:{limit}" in err.value.detail


def test_line_description_and_memo_limits(qb):
    ln = line(item_id(qb, "Design"), "1.00")
    ln.Description = _long(4001)
    with pytest.raises(ValidationException) as err:
        make_doc(qb, lines=[ln])
    assert err.value.error_code == 2050
    memo = CustomerMemo()
    memo.value = _long(1001)
    with pytest.raises(ValidationException):
        make_doc(qb, CustomerMemo=memo)


@pytest.mark.parametrize(
    ("field", "limit"), [("DisplayName", 100), ("GivenName", 100), ("Title", 16)]
)
def test_customer_name_limits(qb, field, limit):
    c = Customer()
    c.DisplayName = "Limit Tester"
    setattr(c, field, _long(limit + 1))
    with pytest.raises(ValidationException) as err:
        c.save(qb=qb)
    assert err.value.error_code == 2050


@pytest.mark.parametrize("field", ["Name", "Sku"])
def test_item_limits(qb, field):
    item = Item()
    item.Name, item.Type = "Long", "Service"
    item.IncomeAccountRef = ref(Account.filter(Name="Services", qb=qb)[0].Id)
    setattr(item, field, _long(101))
    with pytest.raises(ValidationException) as err:
        item.save(qb=qb)
    assert err.value.error_code == 2050


def test_required_fields_are_2020(qb):
    with pytest.raises(ValidationException) as err:
        make_doc(qb, lines=[])
    assert err.value.error_code == 2020 and "Line" in err.value.detail
    receipt = make_doc(qb, RefundReceipt, save=False)
    with pytest.raises(ValidationException) as err:
        receipt.save(qb=qb)
    assert "DepositToAccountRef" in err.value.detail
    with pytest.raises(ValidationException):
        Item().save(qb=qb)


def test_inventory_item_requires_start_date_and_accounts(qb):
    item = Item()
    item.Name, item.Type, item.TrackQtyOnHand = "Tracked", "Inventory", True
    item.QtyOnHand = Decimal(5)
    item.IncomeAccountRef = ref(Account.filter(Name="Sales of Product Income", qb=qb)[0].Id)
    with pytest.raises(ValidationException) as err:
        item.save(qb=qb)
    assert err.value.error_code == 2020 and "InvStartDate" in err.value.detail


def test_fault_json_shape_is_exactly_qbo(qbo, qb):
    resp = qbo.raw(qb, "POST", "invoice", json={"Line": [], "CustomerRef": {"value": "1"}})
    body = resp.json()
    assert resp.status_code == 400 and set(body) == {"Fault", "time"}
    assert body["Fault"]["type"] == "ValidationFault"
    assert set(body["Fault"]["Error"][0]) == {"Message", "Detail", "code", "element"}
    assert body["Fault"]["Error"][0]["code"] == "2020"


def test_payment_method_name_limit_from_xsd(qb):
    method = PaymentMethod()
    method.Name = "Shopify Payments"  # 16 > Finance.xsd "QBO: 15"
    with pytest.raises(ValidationException) as err:
        method.save(qb=qb)
    assert err.value.error_code == 2050


def test_inventory_expense_account_must_be_cost_of_goods_sold(qb):
    accounts = {a.Name: a.Id for a in Account.all(qb=qb)}
    item = Item()
    item.Name, item.Type, item.TrackQtyOnHand = "Tracked", "Inventory", True
    item.QtyOnHand, item.InvStartDate = Decimal(5), "2026-01-01"
    item.IncomeAccountRef = ref(accounts["Sales of Product Income"])
    item.AssetAccountRef = ref(accounts["Inventory Asset"])
    item.ExpenseAccountRef = ref(accounts["Merchant Fees"])
    with pytest.raises(QuickbooksException) as err:
        item.save(qb=qb)
    assert err.value.error_code == 6000
    item.ExpenseAccountRef = ref(accounts["Cost of Goods Sold"])
    assert item.save(qb=qb).QtyOnHand == 5
