"""Balances, payments, deposits, inventory and document defaults."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.account import Account
from quickbooks.objects.base import LinkedTxn
from quickbooks.objects.creditmemo import CreditMemo
from quickbooks.objects.customer import Customer
from quickbooks.objects.deposit import Deposit, DepositLine
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.item import Item
from quickbooks.objects.refundreceipt import RefundReceipt
from quickbooks.objects.salesreceipt import SalesReceipt

from .builders import customer_id, item_id, line, make_doc, payment, ref


def test_payments_reduce_invoice_balance_and_leave_unapplied(qb):
    cust = customer_id(qb)
    inv = make_doc(qb, lines=[line(item_id(qb, "Design"), "100.00", tax="NON")])
    first = payment(qb, cust, "60.00", [(inv.Id, "60.00")])
    assert Invoice.get(inv.Id, qb=qb).Balance == D("40.00") and first.UnappliedAmt == 0
    second = payment(qb, cust, "50.00", [(inv.Id, "40.00")])
    after = Invoice.get(inv.Id, qb=qb)
    assert after.Balance == 0 and second.UnappliedAmt == D("10.00")
    assert {ln.TxnId for ln in after.LinkedTxn} == {first.Id, second.Id}
    assert Customer.get(cust, qb=qb).Balance == D("-10.00")
    second.delete(qb=qb)
    assert Invoice.get(inv.Id, qb=qb).Balance == D("40.00")
    first.void(qb=qb)
    assert Invoice.get(inv.Id, qb=qb).Balance == D("100.00")


def test_unlinked_payment_is_all_unapplied(qb):
    assert payment(qb, customer_id(qb), "25.00", []).UnappliedAmt == D("25.00")


def test_payment_cannot_apply_more_than_its_total(qb):
    inv = make_doc(qb)
    with pytest.raises(QuickbooksException) as err:
        payment(qb, customer_id(qb), "10.00", [(inv.Id, "20.00")])
    assert err.value.error_code == 6000


def _qty(qb, item):
    return Item.get(item, qb=qb).QtyOnHand


def test_inventory_moves_with_sales_refunds_and_credits(qb):
    pump = item_id(qb, "Pump")
    checking = ref(Account.filter(Name="Checking", qb=qb)[0].Id)
    sale = make_doc(qb, SalesReceipt, lines=[line(pump, "30.00", qty="2")])
    assert _qty(qb, pump) == 23
    make_doc(qb, RefundReceipt, DepositToAccountRef=checking, lines=[line(pump, "15.00")])
    assert _qty(qb, pump) == 24
    make_doc(qb, CreditMemo, lines=[line(pump, "15.00")])
    assert _qty(qb, pump) == 25
    sale = SalesReceipt.get(sale.Id, qb=qb)
    sale.Line[0].SalesItemLineDetail["Qty"] = D(5)  # SalesReceipt lines parse details as dicts
    sale.save(qb=qb)
    assert _qty(qb, pump) == 22  # 25 - 5 sold + 1 refunded + 1 credited
    SalesReceipt.get(sale.Id, qb=qb).delete(qb=qb)
    assert _qty(qb, pump) == 27


def test_void_invoice_restores_stock(qb):
    pump = item_id(qb, "Pump")
    inv = make_doc(qb, lines=[line(pump, "45.00", qty="3")])
    assert _qty(qb, pump) == 22
    inv.void(qb=qb)
    assert _qty(qb, pump) == 25


def test_sale_before_inventory_start_date_is_refused(qb):
    with pytest.raises(QuickbooksException) as err:
        make_doc(qb, SalesReceipt, TxnDate="2024-12-31", lines=[line(item_id(qb, "Pump"), "15.00")])
    assert err.value.error_code == 6000 and "start date" in err.value.detail
    assert _qty(qb, item_id(qb, "Pump")) == 25


def test_failed_request_changes_nothing(qb):
    pump = item_id(qb, "Pump")
    with pytest.raises(QuickbooksException):
        make_doc(qb, lines=[line(pump, "15.00"), line("424242", "1.00")])
    assert _qty(qb, pump) == 25 and Invoice.count(qb=qb) == 0


def test_sales_receipt_has_zero_balance_credit_memo_keeps_credit(qb):
    receipt = make_doc(qb, SalesReceipt, lines=[line(item_id(qb, "Design"), "20.00", tax="NON")])
    memo = make_doc(qb, CreditMemo, lines=[line(item_id(qb, "Design"), "20.00", tax="NON")])
    assert receipt.Balance == 0 and receipt.TotalAmt == D("20.00")
    assert memo.Balance == D("20.00")


def _deposit_of(qb, txn_id, amount, kind="Payment"):
    d = Deposit()
    d.DepositToAccountRef = ref(Account.filter(Name="Checking", qb=qb)[0].Id)
    dl = DepositLine()
    dl.Amount = D(amount)
    link = LinkedTxn()
    link.TxnId, link.TxnType = txn_id, kind
    dl.LinkedTxn = [link]
    d.Line = [dl]
    return d.save(qb=qb)


def test_deposit_totals_its_lines_and_locks_deposited_payments(qb):
    pay = payment(qb, customer_id(qb), "30.00", [])
    receipt = make_doc(qb, SalesReceipt, lines=[line(item_id(qb, "Design"), "20.00", tax="NON")])
    deposit = _deposit_of(qb, pay.Id, "30.00")
    assert deposit.TotalAmt == D("30.00")
    _deposit_of(qb, receipt.Id, "20.00", kind="SalesReceipt")
    with pytest.raises(QuickbooksException) as err:
        pay.delete(qb=qb)
    assert err.value.error_code == 6540
    with pytest.raises(QuickbooksException) as err:
        receipt.void(qb=qb)
    assert err.value.error_code == 6540


def test_line_ids_are_kept_on_update_and_new_lines_get_fresh_ones(qb):
    inv = Invoice.get(make_doc(qb).Id, qb=qb)
    first_id = inv.Line[0].Id
    inv.Line = [inv.Line[0], line(item_id(qb, "Pump"), "15.00")]
    updated = inv.save(qb=qb)
    ids = [ln.Id for ln in updated.Line if ln.DetailType == "SalesItemLineDetail"]
    assert ids[0] == first_id and ids[1] != first_id


def test_payment_applies_a_credit_memo_to_an_invoice(qb):
    cust, design = customer_id(qb), item_id(qb, "Design")
    inv = make_doc(qb, lines=[line(design, "100.00", tax="NON")])
    memo = make_doc(qb, CreditMemo, lines=[line(design, "30.00", tax="NON")])
    pay = payment(qb, cust, "70.00", [(inv.Id, "100.00"), (memo.Id, "30.00", "CreditMemo")])
    assert pay.UnappliedAmt == 0
    assert Invoice.get(inv.Id, qb=qb).Balance == 0
    used = CreditMemo.get(memo.Id, qb=qb)
    assert used.Balance == 0 and used.RemainingCredit == 0
    assert Customer.get(cust, qb=qb).Balance == 0


def test_customer_balance_is_read_only_on_update(qb):
    cust_id = customer_id(qb)
    stale = Customer.get(cust_id, qb=qb)
    make_doc(qb, lines=[line(item_id(qb, "Design"), "40.00", tax="NON")])
    stale.Notes = "edited with an old copy"
    assert stale.save(qb=qb).Balance == D("40.00")


def test_failed_request_frees_its_doc_number(qb):
    with pytest.raises(QuickbooksException):
        make_doc(qb, DocNumber="RB-1", lines=[line("424242", "1.00")])
    assert make_doc(qb, DocNumber="RB-1").DocNumber == "RB-1"


def test_omitted_deposit_account_means_undeposited_funds(qb):
    undeposited = Account.filter(Name="Undeposited Funds", qb=qb)[0].Id
    receipt = make_doc(qb, SalesReceipt)
    assert receipt.DepositToAccountRef.value == undeposited
    assert payment(qb, customer_id(qb), "5.00", []).DepositToAccountRef.value == undeposited
