"""Payments: sales receipt deposit accounts and invoice payments per gateway."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from rules.documents import SalesDocument, payment_to_qbo_dict
from rules.problems import Problems
from rules.settings import CompanyFacts
from tests.rules.companies import build


@pytest.mark.parametrize(
    ("order", "options", "deposit", "method"),
    [
        ({}, {}, None, None),
        (
            {},
            {
                "gateway_accounts": {"shopify_payments": "35"},
                "payment_methods": {"shopify_payments": "7"},
            },
            "35",
            "7",
        ),
        ({}, {"clearing_account_id": "4"}, "4", None),
        ({}, {"record_payments": False, "clearing_account_id": "4"}, None, None),
        (
            {"gateways": ("shopify_payments", "paypal"), "paid": ("10.00", "27.68")},
            {"clearing_account_id": "4"},
            "4",
            None,
        ),
    ],
)
def test_sales_receipt_deposit_account_and_method_per_gateway(order, options, deposit, method):
    doc = build(order=order, **options)
    assert (doc.deposit_account_id, doc.payment_method_id) == (deposit, method)
    assert doc.payments == ()


def test_sales_receipt_paid_through_gateways_on_different_accounts_is_a_problem():
    result = build(
        order={"gateways": ("shopify_payments", "paypal"), "paid": ("10.00", "27.68")},
        gateway_accounts={"paypal": "91"},
    )
    assert isinstance(result, Problems) and result.codes == ["split_payment"]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ({}, [("shopify_payments", "46.64", "5000")]),
        ({"paid": ("10.00",), "status": "PARTIALLY_PAID"}, [("shopify_payments", "10.00", "5000")]),
        ({"paid": None, "status": "PENDING"}, []),
        (
            {"gateways": ("gift_card", "paypal"), "paid": ("25.00", "17.63")},
            [("paypal", "17.63", "5001")],  # the gift card is a line on the invoice, not money
        ),
        (
            {"shipping": "5.00", "shipping_refunded": True, "status": "PARTIALLY_REFUNDED"},
            [("shopify_payments", "46.64", "5000")],
        ),
    ],
)
def test_invoice_payments_per_gateway_net_of_refunds(order, expected):
    doc = build(document_type="invoice", order=order)
    got = [(p.gateway, str(p.amount), p.reference) for p in doc.payments]
    assert got == expected
    assert sum((p.amount for p in doc.payments), D(0)) <= doc.target_total
    assert all(p.deposit_account_id is None for p in doc.payments)


def test_payment_json_links_the_invoice_in_its_currency():
    facts = CompanyFacts(country="GB", home_currency="GBP", multi_currency=True)
    doc = build(
        document_type="invoice", company=facts, order={"presentment": "EUR", "rate": "0.85"}
    )
    assert isinstance(doc, SalesDocument)
    body = payment_to_qbo_dict(doc.payments[0], "130", "58", doc)
    assert body["Line"] == [
        {"Amount": doc.target_total, "LinkedTxn": [{"TxnId": "130", "TxnType": "Invoice"}]}
    ]
    assert body["TotalAmt"] == doc.target_total
    assert body["CurrencyRef"] == {"value": "EUR"} and body["ExchangeRate"] == doc.exchange_rate
    assert (body["CustomerRef"], body["PaymentRefNum"]) == ({"value": "58"}, "5000")
