"""Create, read, full and sparse update, delete, void — table-driven over the entities."""

from __future__ import annotations

from decimal import Decimal

import pytest
from quickbooks.exceptions import ObjectNotFoundException, QuickbooksException
from quickbooks.objects.account import Account
from quickbooks.objects.creditmemo import CreditMemo
from quickbooks.objects.customer import Customer
from quickbooks.objects.department import Department
from quickbooks.objects.deposit import Deposit, DepositLine, DepositLineDetail
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.item import Item
from quickbooks.objects.payment import Payment
from quickbooks.objects.paymentmethod import PaymentMethod
from quickbooks.objects.refundreceipt import RefundReceipt
from quickbooks.objects.salesreceipt import SalesReceipt
from quickbooks.objects.trackingclass import Class

from .builders import customer_id, item_id, line, make_doc, ref


def _account(qb, name):
    return Account.filter(Name=name, qb=qb)[0].Id


def new_customer(qb):
    c = Customer()
    c.DisplayName = "New Customer"
    return c


def new_item(qb):
    i = Item()
    i.Name, i.Type = "Widget", "NonInventory"
    i.IncomeAccountRef = ref(_account(qb, "Sales of Product Income"))
    return i


def new_account(qb):
    a = Account()
    a.Name, a.AccountType = "Shopify Clearing", "Other Current Asset"
    return a


def _named(cls, name):
    def build(qb):
        obj = cls()
        obj.Name = name
        return obj

    return build


def _sales(cls, **fields):
    def build(qb):
        doc = make_doc(qb, cls, save=False)
        for key, value in fields.items():
            setattr(doc, key, ref(_account(qb, value)))
        return doc

    return build


def new_payment(qb):
    p = Payment()
    p.CustomerRef = ref(customer_id(qb))
    p.TotalAmt = Decimal("10.00")
    return p


def new_deposit(qb):
    d = Deposit()
    d.DepositToAccountRef = ref(_account(qb, "Checking"))
    dl = DepositLine()
    dl.Amount = Decimal("25.50")
    dl.DepositLineDetail = DepositLineDetail()
    dl.DepositLineDetail.AccountRef = ref(_account(qb, "Sales of Product Income"))
    d.Line = [dl]
    return d


BUILDERS = {
    Customer: (new_customer, "Notes"),
    Item: (new_item, "Description"),
    Account: (new_account, "Description"),
    Class: (_named(Class, "Wholesale"), None),
    Department: (_named(Department, "Warehouse"), None),
    PaymentMethod: (_named(PaymentMethod, "Gift card"), None),
    Invoice: (_sales(Invoice), "PrivateNote"),
    SalesReceipt: (_sales(SalesReceipt), "PrivateNote"),
    CreditMemo: (_sales(CreditMemo), "PrivateNote"),
    RefundReceipt: (_sales(RefundReceipt, DepositToAccountRef="Checking"), "PrivateNote"),
    Payment: (new_payment, "PrivateNote"),
    Deposit: (new_deposit, "PrivateNote"),
}
TXNS = [Invoice, SalesReceipt, CreditMemo, RefundReceipt, Payment, Deposit]
LISTS = [Customer, Item, Account, Class, Department, PaymentMethod]


@pytest.mark.parametrize("cls", list(BUILDERS), ids=lambda c: c.__name__)
def test_create_read_full_update(qb, cls):
    build, note_field = BUILDERS[cls]
    created = build(qb).save(qb=qb)
    assert created.Id and created.SyncToken == "0" and created.MetaData
    fetched = cls.get(created.Id, qb=qb)
    if note_field:
        setattr(fetched, note_field, "changed")
    updated = fetched.save(qb=qb)
    assert updated.SyncToken == "1"
    if note_field:
        assert getattr(cls.get(created.Id, qb=qb), note_field) == "changed"


@pytest.mark.parametrize("cls", TXNS, ids=lambda c: c.__name__)
def test_sparse_update_keeps_other_fields(qbo, qb, cls):
    created = BUILDERS[cls][0](qb).save(qb=qb)
    body = {
        "Id": created.Id,
        "SyncToken": created.SyncToken,
        "sparse": True,
        "PrivateNote": "sparse note",
    }
    resp = qbo.raw(qb, "POST", cls.qbo_object_name.lower(), json=body)
    assert resp.status_code == 200, resp.text
    after = cls.get(created.Id, qb=qb)
    assert after.PrivateNote == "sparse note" and after.TotalAmt == created.TotalAmt
    assert len(after.Line) == len(created.Line)


def test_full_update_clears_omitted_fields(qbo, qb):
    c = new_customer(qb)
    c.Notes = "to be cleared"
    created = c.save(qb=qb)
    body = {"Id": created.Id, "SyncToken": "0", "DisplayName": "New Customer"}
    assert qbo.raw(qb, "POST", "customer", json=body).status_code == 200
    assert "Notes" not in qbo.raw(qb, "GET", f"customer/{created.Id}").json()["Customer"]


@pytest.mark.parametrize("cls", TXNS, ids=lambda c: c.__name__)
def test_delete_transaction(qb, cls):
    created = BUILDERS[cls][0](qb).save(qb=qb)
    result = created.delete(qb=qb)
    assert result[cls.qbo_object_name] == {"status": "Deleted", "domain": "QBO", "Id": created.Id}
    with pytest.raises(ObjectNotFoundException) as err:
        cls.get(created.Id, qb=qb)
    assert err.value.error_code == 610


@pytest.mark.parametrize("cls", LISTS, ids=lambda c: c.__name__)
def test_name_lists_are_made_inactive_not_deleted(qbo, qb, cls):
    created = BUILDERS[cls][0](qb).save(qb=qb)
    resp = qbo.raw(
        qb,
        "POST",
        cls.qbo_object_name.lower(),
        params={"operation": "delete"},
        json={"Id": created.Id, "SyncToken": "0"},
    )
    assert resp.status_code == 400 and resp.json()["Fault"]["Error"][0]["code"] == "500"
    created.Active = False
    assert created.save(qb=qb).Active is False


@pytest.mark.parametrize("cls", [Invoice, SalesReceipt, Payment], ids=lambda c: c.__name__)
def test_void_zeroes_amounts_and_keeps_the_document(qb, cls):
    created = BUILDERS[cls][0](qb).save(qb=qb)
    created.void(qb=qb)
    voided = cls.get(created.Id, qb=qb)
    assert voided.TotalAmt == 0 and voided.PrivateNote == "Voided" and voided.SyncToken == "1"
    if cls is not Payment:
        assert voided.Balance == 0 and len(voided.Line) == len(created.Line)


def test_void_is_refused_for_credit_memo(qbo, qb):
    memo = BUILDERS[CreditMemo][0](qb).save(qb=qb)
    resp = qbo.raw(
        qb,
        "POST",
        "creditmemo",
        params={"operation": "void"},
        json={"Id": memo.Id, "SyncToken": "0"},
    )
    assert resp.json()["Fault"]["Error"][0]["code"] == "500"


def test_stale_sync_token_is_5010(qb):
    inv = make_doc(qb)
    first = Invoice.get(inv.Id, qb=qb)
    second = Invoice.get(inv.Id, qb=qb)
    first.PrivateNote = "first"
    first.save(qb=qb)
    second.PrivateNote = "second"
    with pytest.raises(QuickbooksException) as err:
        second.save(qb=qb)
    assert err.value.error_code == 5010 and err.value.message == "Stale Object Error"


def test_stale_sync_token_on_delete(qb):
    inv = make_doc(qb)
    Invoice.get(inv.Id, qb=qb).save(qb=qb)
    with pytest.raises(QuickbooksException) as err:
        inv.delete(qb=qb)
    assert err.value.error_code == 5010


def test_read_of_unknown_id_is_610(qb):
    with pytest.raises(ObjectNotFoundException):
        Customer.get("999999", qb=qb)


def test_python_quickbooks_defaults_are_accepted(qb):
    inv = make_doc(qb)  # sends DocNumber "", TxnDate "", DueDate "", TotalAmt "" …
    assert inv.TxnDate and inv.DueDate == inv.TxnDate
    assert getattr(inv, "DocNumber", None) in (None, "")  # CustomTxnNumbers on: no number


def test_doc_number_auto_generate(qb):
    inv = make_doc(qb, DocNumber="AUTO_GENERATE")
    assert inv.DocNumber == "1001"
    assert make_doc(qb, DocNumber="AUTO_GENERATE").DocNumber == "1002"


def test_item_line_amount_is_kept_and_subtotal_added(qb):
    inv = make_doc(
        qb, lines=[line(item_id(qb, "Design"), "40.00", "2"), line(item_id(qb, "Pump"), "15.00")]
    )
    kinds = [ln.DetailType for ln in inv.Line]
    assert kinds == ["SalesItemLineDetail", "SalesItemLineDetail", "SubTotalLineDetail"]
    assert inv.Line[-1].Amount == Decimal("55.00")


def test_amounts_are_json_numbers_even_when_sent_as_strings(qbo, qb):
    inv = make_doc(qb, lines=[line(item_id(qb, "Pump"), "30.00", qty="2")])
    raw = qbo.raw(qb, "GET", f"invoice/{inv.Id}").json()["Invoice"]
    detail = raw["Line"][0]["SalesItemLineDetail"]
    assert raw["Line"][0]["Amount"] == 30 and detail["Qty"] == 2 and detail["UnitPrice"] == 15
    assert isinstance(raw["TotalAmt"], float) and raw["TotalAmt"] == 32.18
    item = qbo.raw(qb, "GET", f"item/{item_id(qb, 'Pump')}").json()["Item"]
    assert item["QtyOnHand"] == 23 and not isinstance(item["QtyOnHand"], str)


def test_non_numeric_amount_is_refused(qbo, qb):
    body = {
        "CustomerRef": {"value": customer_id(qb)},
        "Line": [
            {
                "Amount": "ten",
                "DetailType": "SalesItemLineDetail",
                "SalesItemLineDetail": {"ItemRef": {"value": item_id(qb, "Design")}},
            }
        ],
    }
    fault = qbo.raw(qb, "POST", "invoice", json=body).json()["Fault"]["Error"][0]
    assert fault["code"] == "2010" and fault["element"] == "Amount"
