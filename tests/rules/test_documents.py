"""The QBO JSON of a document: what python-quickbooks sends for it."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.salesreceipt import SalesReceipt

from rules.documents import to_qbo_dict
from tests.rules import companies
from tests.rules.builders import Line
from tests.rules.companies import build


@pytest.mark.parametrize("doc_type", ["sales_receipt", "invoice"])
def test_documents_load_into_python_quickbooks_objects(doc_type):
    doc = build(document_type=doc_type, order={"taxes_included": True, "shipping": "4.99"})
    body = to_qbo_dict(doc, companies.rates("uk"), customer_id="5")
    entity = {"sales_receipt": SalesReceipt, "invoice": Invoice}[doc_type].from_json(body)
    sent = json.loads(entity.to_json())
    assert [D(ln["Amount"]) for ln in sent["Line"]] == [ln["Amount"] for ln in body["Line"]]
    assert sent["Line"][0]["SalesItemLineDetail"]["TaxInclusiveAmt"] == "29.97"
    assert (sent["GlobalTaxCalculation"], sent["CustomerRef"]["value"]) == ("TaxInclusive", "5")
    assert sent["PrivateNote"].startswith("Shopify order #1001")


@pytest.mark.parametrize(
    ("price", "qty", "unit"), [("10.00", 3, "10"), ("9.99", 1, "9.99"), ("100.00", 2, "100")]
)
def test_unit_price_has_no_exponent(price, qty, unit):
    doc = build(lines=[Line("SKU-1", price, qty)])
    body = to_qbo_dict(doc, companies.rates("uk"))
    assert str(body["Line"][0]["SalesItemLineDetail"]["UnitPrice"]) == unit
