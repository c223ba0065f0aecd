"""The query endpoint, driven by python-quickbooks' own query builders (quickbooks/mixins.py)."""

from __future__ import annotations

import pytest
from quickbooks.exceptions import ValidationException
from quickbooks.objects.account import Account
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.item import Item
from quickbooks.objects.taxcode import TaxCode

from .builders import make_doc


def _customer(qb, name, **fields):
    c = Customer()
    c.DisplayName = name
    for key, value in fields.items():
        setattr(c, key, value)
    return c.save(qb=qb)


def test_filter_with_escaped_quote_and_boolean(qb):
    _customer(qb, "O'Brien Hardware")
    found = Customer.filter(DisplayName="O'Brien Hardware", Active=True, qb=qb)
    assert [c.DisplayName for c in found] == ["O'Brien Hardware"]


def test_item_all_selects_star_and_sku(qb):
    items = Item.all(qb=qb)
    assert {i.Name for i in items} >= {"Rock Fountain", "Shipping", "Discount"}
    assert Item.filter(Sku="RF-1", qb=qb)[0].Name == "Rock Fountain"


def test_where_with_orderby_and_paging(qb):
    names = [a.Name for a in Account.where("Active = true", order_by="Name DESC", qb=qb)]
    assert names == sorted(names, reverse=True)
    page = Account.where("", order_by="Name", start_position=2, max_results=3, qb=qb)
    assert [a.Name for a in page] == sorted(names)[1:4]


def test_all_with_order_by_space_form(qb):
    names = [c.DisplayName for c in Customer.all(order_by="DisplayName", qb=qb)]
    assert names == sorted(names, key=str.lower)


def test_choose_in_list(qb):
    a, b = _customer(qb, "In One"), _customer(qb, "In Two")
    chosen = Customer.choose([a.Id, b.Id], qb=qb)
    assert {c.DisplayName for c in chosen} == {"In One", "In Two"}


def test_count_returns_total_count(qb):
    assert Customer.count(qb=qb) == 3
    assert Item.count("Type = 'Inventory'", qb=qb) == 2


def test_like_with_percent(qb):
    assert {c.DisplayName for c in Customer.where("DisplayName LIKE 'B%'", qb=qb)} == {
        "Bill's Windsurf Shop"
    }
    assert len(Customer.where("DisplayName LIKE '%s%'", qb=qb)) == 3


def test_nested_metadata_field(qbo, qb):
    _customer(qb, "Old One")
    qbo.control("POST", "clock", advance=120)
    _customer(qb, "New One")
    rows = qb.query(
        "SELECT * FROM Customer WHERE MetaData.LastUpdatedTime > "
        "'" + Customer.filter(DisplayName="Old One", qb=qb)[0].MetaData["LastUpdatedTime"] + "'"
    )
    assert [c["DisplayName"] for c in rows["QueryResponse"]["Customer"]] == ["New One"]


def test_query_response_shape(qbo, qb):
    body = qbo.raw(
        qb,
        "POST",
        "query",
        data="SELECT * FROM Class MAXRESULTS 1",
        headers={"Content-Type": "application/text"},
    ).json()
    assert set(body) == {"QueryResponse", "time"}
    assert body["QueryResponse"]["startPosition"] == 1
    assert body["QueryResponse"]["maxResults"] == 1 and len(body["QueryResponse"]["Class"]) == 1


def test_get_form_and_empty_result(qbo, qb):
    body = qbo.raw(
        qb, "GET", "query", params={"query": "select * from Customer where DisplayName = 'Nobody'"}
    ).json()
    assert body["QueryResponse"] == {}


def test_maxresults_is_capped_at_1000(qb):
    resp = qb.query("SELECT * FROM Account MAXRESULTS 5000")
    assert resp["QueryResponse"]["maxResults"] == len(resp["QueryResponse"]["Account"])


def test_inactive_objects_only_when_asked(qb):
    c = _customer(qb, "Sleeper")
    c.Active = False
    c.save(qb=qb)
    assert not Customer.filter(DisplayName="Sleeper", qb=qb)
    assert Customer.where("DisplayName = 'Sleeper' AND Active IN (true, false)", qb=qb)


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM Customer WHERE DisplayName = 'a' OR Active = true",
        "SELECT * Customer",
        "SELECT * FROM Customer WHERE",
        "SELECT * FROM customer",
        "SELECT * FROM Customer MAXRESULTS abc",
        "DELETE FROM Customer",
    ],
)
def test_parse_errors_are_query_parser_faults(qb, statement):
    with pytest.raises(ValidationException) as err:
        qb.query(statement)
    assert err.value.error_code == 4000 and "Error parsing query" in err.value.message


UNKNOWN_PROPERTIES = (
    "SELECT * FROM Item WHERE Foo = 'x'",
    "SELECT * FROM Customer WHERE DisplayName = 'a' AND Nickname = 'b'",
    "SELECT * FROM Invoice ORDER BY Colour",
    "SELECT COUNT(*) FROM Invoice WHERE MetaData.Bogus > '2026-01-01'",
    "SELECT * FROM Item WHERE DocNumber = '1'",
)


@pytest.mark.parametrize("statement", UNKNOWN_PROPERTIES)
def test_unknown_property_is_invalid_query_4001(qb, statement):
    with pytest.raises(ValidationException) as err:
        qb.query(statement)
    assert err.value.error_code == 4001 and "Invalid query" in err.value.message
    assert "QueryValidationError" in err.value.detail


def test_date_comparison_on_txn_date(qb):
    make_doc(qb, TxnDate="2026-01-15")
    make_doc(qb, TxnDate="2026-03-01")
    found = Invoice.where("TxnDate >= '2026-02-01' AND TxnDate < '2026-04-01'", qb=qb)
    assert [i.TxnDate for i in found] == ["2026-03-01"]


def test_us_company_lists_tax_pseudo_codes(qb):
    assert {"TAX", "NON"} <= {c.Id for c in TaxCode.all(qb=qb)}


def test_lookups_by_doc_number_id_and_name(qb):
    inv = make_doc(qb, DocNumber="SH-1001")
    assert [i.Id for i in Invoice.filter(DocNumber="SH-1001", qb=qb)] == [inv.Id]
    assert Invoice.where(f"Id = {inv.Id}", qb=qb)[0].DocNumber == "SH-1001"
    assert Customer.filter(DisplayName="cool cars", qb=qb)[0].DisplayName == "Cool Cars"
    assert Invoice.count("DocNumber = 'SH-1001' AND TxnDate < '2000-01-01'", qb=qb) == 0


def test_company_info_and_preferences_are_queryable(qb):
    info = qb.query("SELECT * FROM CompanyInfo")["QueryResponse"]["CompanyInfo"]
    assert info[0]["Id"] == qb.company_id
    prefs = qb.query("SELECT * FROM Preferences")["QueryResponse"]["Preferences"]
    assert prefs[0]["CurrencyPrefs"]["HomeCurrency"]["value"] == "USD"


def test_known_properties_are_case_insensitive_and_nested(qb):
    assert Item.count("type = 'Inventory' AND MetaData.CreateTime > '2000-01-01'", qb=qb) == 2
    assert qb.query("SELECT * FROM Customer WHERE PrimaryEmailAddr = 'x@example.com'")
