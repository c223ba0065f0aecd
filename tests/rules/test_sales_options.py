"""Every sales option as it shapes the document, and the plain-language problems."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from rules.documents import SalesDocument, to_qbo_dict
from rules.orders import parse_order
from rules.problems import Problems
from rules.sales import should_sync, validate_prefix
from rules.settings import QBO_SHIPPING_ITEM, CompanyFacts
from rules.totals import Difference, reconcile
from tests.rules import companies
from tests.rules.builders import Line, make_order
from tests.rules.companies import build

ODD = [Line("SKU-1", "9.99", 3), Line("SKU-2", "4.45", 2)]


def kinds(doc: SalesDocument) -> list[str]:
    """The line kinds of a document, in order."""
    return [ln.kind for ln in doc.lines]


@pytest.mark.parametrize(
    ("order", "start", "statuses", "reason"),
    [
        ({}, None, {"PAID"}, None),
        ({"test": True}, None, {"PAID"}, "test order"),
        (
            {"cancelled": True},
            None,
            {"PAID"},
            "cancelled order (cancelled orders are never posted)",
        ),
        (
            {"created": "2025-01-31T23:59:00Z"},
            date(2025, 2, 1),
            {"PAID"},
            "created before the integration start date (2025-02-01)",
        ),
        ({"created": "2025-02-01T00:00:00Z"}, date(2025, 2, 1), {"PAID"}, None),
        (
            {"status": "PENDING"},
            None,
            {"PAID"},
            "financial status 'pending' is not one of the statuses synced",
        ),
        ({"status": "PARTIALLY_REFUNDED"}, None, {"PAID", "PARTIALLY_REFUNDED"}, None),
    ],
)
def test_should_sync_gives_the_skip_reason(order, start, statuses, reason):
    options = companies.options("uk", statuses=frozenset(statuses))
    assert should_sync(parse_order(make_order(**order)), options, start) == reason


@pytest.mark.parametrize(
    ("lines", "shipping", "reason"),
    [
        ([Line("A", "10.00", 2, refunded=2)], None, "nothing left to book"),
        ([Line("A", "10.00", 1, refunded=1)], "5.00", None),  # shipping still charged
        ([Line("A", "10.00", 2, refunded=1)], None, None),
        ([Line("A", "0.00", 1)], None, None),  # a free order is still a sale
    ],
)
def test_an_order_refunded_entirely_before_posting_is_skipped(lines, shipping, reason):
    options = companies.options(
        "uk", statuses=frozenset({"PAID", "PARTIALLY_REFUNDED", "REFUNDED"})
    )
    order = parse_order(make_order(lines, shipping=shipping))
    found = should_sync(order, options)
    assert (found or "").startswith(reason or "") and (found is None) is (reason is None)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, "1001"),
        ({"order_number_prefix": "SH-"}, "SH-1001"),
        ({"order_number_prefix": "SH-", "auto_doc_number": True}, None),
        (
            {"company": CompanyFacts(country="GB", home_currency="GBP", custom_txn_numbers=False)},
            None,
        ),
    ],
)
def test_doc_number_is_prefix_plus_order_number_or_qbo_numbering(options, expected):
    doc = build(**options)
    assert doc.doc_number == expected
    assert doc.private_note.startswith(
        "Shopify order #1001 (id 451001) https://admin.shopify.com/store/example-shop/orders/451001"
    )


def test_doc_number_over_21_characters_is_a_problem():
    result = build(order_number_prefix="SHOPIFY-ONLINE-STORE-")
    assert isinstance(result, Problems)
    assert result.codes == ["doc_number_too_long"]


@pytest.mark.parametrize(
    ("prefix", "ok"), [("", True), ("SH-", True), ("A" * 13, True), ("A" * 14, False)]
)
def test_prefix_is_validated_at_save_time(prefix, ok):
    assert (validate_prefix(prefix) is None) is ok


@pytest.mark.parametrize("doc_type", ["sales_receipt", "invoice"])
def test_document_type_chooses_the_qbo_entity(doc_type):
    doc = build(document_type=doc_type)
    assert doc.qbo_entity == {"sales_receipt": "SalesReceipt", "invoice": "Invoice"}[doc_type]


def test_lines_keep_revenue_gross_with_discounts_on_the_discount_item():
    doc = build(order={"discount": "10%", "shipping": "4.99", "shipping_discount": "1.00"})
    assert kinds(doc) == ["item", "discount", "item", "discount", "shipping", "discount"]
    first, discount = doc.lines[0], doc.lines[1]
    assert (first.qty, first.unit_price, first.amount) == (D(3), D("9.99"), D("29.97"))
    assert (discount.item_id, discount.amount, discount.tax_code) == (
        "201",
        D("-3.00"),
        first.tax_code,
    )
    assert doc.lines[4].amount == D("4.99") and doc.lines[5].amount == D("-1.00")


def test_without_discount_item_discounts_go_to_one_qbo_discount_line():
    doc = build(
        discount_item_id=None,
        order={"discount": "10%", "shipping": "4.99", "shipping_discount": "1.00"},
    )
    assert kinds(doc) == ["item", "item", "shipping", "discount_total"]
    assert doc.lines[-1].amount == D("3.89")
    assert doc.lines[2].amount == D("3.99")  # shipping discount netted: QBO never discounts it
    qbo = to_qbo_dict(doc, companies.rates("uk"))
    assert qbo["Line"][-1] == {
        "DetailType": "DiscountLineDetail",
        "Amount": D("3.89"),
        "DiscountLineDetail": {"PercentBased": False},
    }


def test_shipping_goes_to_qbo_shipping_line_without_a_shipping_item():
    doc = build(shipping_item_id=None, order={"shipping": "4.99"})
    assert doc.lines[-1].item_id == QBO_SHIPPING_ITEM


@pytest.mark.parametrize(
    ("facts", "class_id", "department_id"),
    [
        (CompanyFacts(country="GB", home_currency="GBP"), None, None),
        (
            CompanyFacts(
                country="GB", home_currency="GBP", tracks_classes=True, tracks_locations=True
            ),
            "C1",
            "L1",
        ),
    ],
)
def test_class_and_location_only_when_the_company_tracks_them(facts, class_id, department_id):
    doc = build(company=facts, class_id="C1", department_id="L1")
    assert {ln.class_id for ln in doc.lines} == {class_id}
    assert doc.department_id == department_id


@pytest.mark.parametrize(
    ("lookups", "options", "code", "message"),
    [
        (
            {"items": {}},
            {},
            "sku_unknown",
            "SKU 'SKU-1' is not in QuickBooks: turn on item creation or add the item",
        ),
        (
            {"tax_codes": {}},
            {},
            "tax_unmapped",
            "Shopify tax 'VAT 20%' is not mapped to a QuickBooks tax code: "
            "map it on the Taxes settings page",
        ),
        ({}, {"untaxed_tax_code_id": None}, "untaxed_code_missing", None),
        ({}, {"gift_card_item_id": None}, "gift_card_item_missing", None),
    ],
)
def test_problems_say_why_and_how_to_fix(lookups, options, code, message):
    lines = [
        Line("SKU-1", "5.00", taxes=()) if code == "untaxed_code_missing" else Line("SKU-1", "5.00")
    ]
    if code == "gift_card_item_missing":
        lines.append(Line(None, "25.00", gift_card=True))
    result = build(lines=lines, lookups=lookups, **options)
    assert isinstance(result, Problems)
    assert code in result.codes
    if message:
        assert str(result) == message


def test_unknown_sku_uses_the_default_product_when_item_creation_is_off():
    doc = build(lines=[Line("NEW-1", "5.00")], default_item_id="300")
    assert doc.lines[0].item_id == "300"


def test_unknown_sku_becomes_an_item_to_create_when_creation_is_on():
    doc = build(lines=[Line('NEW "1"\\ é', "5.00")], create_items=True, income_account_id="79")
    item = doc.lines[0].new_item
    assert doc.lines[0].item_id is None
    assert (item.name, item.sku, item.type) == (
        'Product NEW "1"\\ é (NEW "1"\\ é)',
        'NEW "1"\\ é',
        "NonInventory",
    )
    assert doc.new_items == [item]
    qbo = to_qbo_dict(doc, companies.rates("uk"), {item.name: "555"})
    assert qbo["Line"][0]["SalesItemLineDetail"]["ItemRef"] == {"value": "555"}


def test_line_without_sku_needs_a_default_product():
    result = build(lines=[Line(None, "5.00", title="Custom sale")])
    assert (
        str(result) == "'Custom sale' has no SKU: give the variant a SKU in Shopify, "
        "or choose a default product"
    )


def test_rounding_needs_a_rounding_item():
    result = build(lines=[Line(f"SKU-{n}", "0.03") for n in range(1, 8)], rounding_item_id=None)
    assert isinstance(result, Problems) and result.codes == ["rounding_item_missing"]


def test_a_non_proportional_discount_without_discount_item_is_a_problem_not_a_correction():
    lines = [Line("SKU-1", "100.00", discount="50.00"), Line("SKU-2", "100.00", taxes=())]
    result = build(lines=lines, discount_item_id=None)
    assert isinstance(result, Problems) and result.codes == ["tax_mismatch"]
    assert "choose a discount item" in str(result)


def test_us_sales_tax_off_in_qbo_is_a_problem():
    facts = CompanyFacts(country="US", home_currency="USD", using_sales_tax=False)
    result = build("us", order={"currency": "USD", "tax": (("CA", "0.06"),)}, company=facts)
    assert isinstance(result, Problems) and "sales_tax_off" in result.codes


def test_shop_currency_must_be_the_home_currency():
    result = build(order={"currency": "EUR"})
    assert isinstance(result, Problems) and result.codes == ["currency_mismatch"]


def test_multicurrency_document_uses_shopify_implied_rate():
    facts = CompanyFacts(country="GB", home_currency="GBP", multi_currency=True)
    doc = build(company=facts, order={"presentment": "EUR", "rate": "0.8571"})
    assert doc.currency == "EUR"
    node = make_order(ODD, presentment="EUR", rate="0.8571")
    shop, eur = (
        D(node["currentTotalPriceSet"][k]["amount"]) for k in ("shopMoney", "presentmentMoney")
    )
    assert doc.exchange_rate == (shop / eur).quantize(D("0.0000000001"))
    qbo = to_qbo_dict(doc, companies.rates("uk"))
    assert qbo["CurrencyRef"] == {"value": "EUR"} and qbo["ExchangeRate"] == doc.exchange_rate


@pytest.mark.parametrize(
    ("mode", "name"),
    [("original", "Jane Doe (EUR)"), ("company", "Acme (EUR)"), ("generic", "Shopify Sales (EUR)")],
)
def test_multicurrency_document_has_a_customer_in_its_currency(mode, name):
    facts = CompanyFacts(country="GB", home_currency="GBP", multi_currency=True)
    order = {"presentment": "EUR", "rate": "0.8571", "company": "Acme"}
    doc = build(company=facts, order=order, customer_mode=mode)
    assert (doc.customer.display_name, doc.customer.currency) == (name, "EUR")
    home = build(company=facts, order={"company": "Acme"}, customer_mode=mode)
    assert home.customer.currency is None and "(" not in home.customer.display_name
    booked_in_shop_money = build(order=order, customer_mode=mode)  # multi-currency off
    assert booked_in_shop_money.customer.currency is None


def test_a_foreign_document_reconciles_its_home_currency_total_too():
    facts = CompanyFacts(country="GB", home_currency="GBP", multi_currency=True)
    doc = build(company=facts, order={"presentment": "EUR", "rate": "0.8571"})
    node = make_order(ODD, presentment="EUR", rate="0.8571")
    assert doc.home_total == D(node["currentTotalPriceSet"]["shopMoney"]["amount"])
    assert doc.home_currency == "GBP"
    home = (doc.target_total * doc.exchange_rate).quantize(D("0.01"))
    assert home == doc.home_total  # Shopify's implied rate lands QBO's conversion on the cent
    assert reconcile(doc, doc.target_total, doc.target_tax, home) == []
    off = reconcile(doc, doc.target_total, doc.target_tax, home + D("0.01"))
    assert [d.field for d in off] == ["home currency total"]


def test_a_foreign_customer_name_keeps_its_currency_within_qbo_limits():
    from rules.customers import deduplicated_name, in_currency

    name = in_currency("x" * 120 + ": y", "EUR")
    assert len(name) == 100 and name.endswith("x (EUR)")
    assert deduplicated_name(in_currency("Jane Doe", "EUR"), 2) == "Jane Doe (EUR) (2)"


def test_us_document_sends_shopify_tax_and_ship_to():
    doc = build(
        "us",
        order={"currency": "USD", "tax": (("CA", "0.0725"),), "country": "US", "province": "NY"},
    )
    qbo = to_qbo_dict(doc, {})
    assert qbo["TxnTaxDetail"] == {"TotalTax": doc.target_tax}
    assert qbo["ShipAddr"] == {"Country": "US", "CountrySubDivisionCode": "NY"}
    assert "GlobalTaxCalculation" not in qbo
    assert {ln["SalesItemLineDetail"]["TaxCodeRef"]["value"] for ln in qbo["Line"]} == {"TAX"}


def test_tax_inclusive_lines_carry_gross_and_net():
    doc = build(order={"taxes_included": True})
    line = to_qbo_dict(doc, companies.rates("uk"))["Line"][0]
    assert line["SalesItemLineDetail"]["TaxInclusiveAmt"] == D("29.97")
    assert line["Amount"] == D("24.98")


def test_tip_and_gift_card_get_their_own_untaxed_items():
    doc = build(lines=[*ODD, Line(None, "25.00", gift_card=True)], order={"tip": "3.00"})
    by_kind = {ln.kind: ln for ln in doc.lines}
    assert by_kind["gift_card"].item_id == "204" and by_kind["tip"].item_id == "205"
    zero_rated = companies.code_id("uk", "0.0% Z")
    assert by_kind["gift_card"].tax_code == zero_rated == by_kind["tip"].tax_code


def test_refunded_units_leave_the_document():
    doc = build(lines=[Line("SKU-1", "9.99", 3, refunded=3), Line("SKU-2", "4.45", 2, refunded=1)])
    assert [(ln.kind, ln.qty, ln.amount) for ln in doc.lines] == [("item", D(1), D("4.45"))]


def test_options_are_plain_frozen_data():
    options = companies.options("uk")
    with pytest.raises(AttributeError):
        options.document_type = "invoice"  # type: ignore[misc]
    assert replace(options, document_type="invoice").document_type == "invoice"


@pytest.mark.parametrize(
    ("duties", "options", "codes"),
    [("4.20", {"duty_item_id": "206"}, None), ("4.20", {}, ["duty_item_missing"])],
)
def test_duties_go_to_the_duty_item(duties, options, codes):
    result = build(order={"duties": duties}, **options)
    if codes:
        assert isinstance(result, Problems) and result.codes == codes
        return
    assert [(ln.kind, ln.item_id, ln.amount) for ln in result.lines[-1:]] == [
        ("duty", "206", D("4.20"))
    ]


def test_reconcile_names_each_difference():
    doc = build()
    assert reconcile(doc, doc.target_total, doc.target_tax) == []
    assert reconcile(doc, doc.target_total + D("0.01"), doc.target_tax) == [
        Difference("total", doc.target_total + D("0.01"), doc.target_total)
    ]


@pytest.mark.parametrize(
    ("timezone", "expected"),
    [
        ("UTC", date(2025, 2, 1)),
        ("America/Los_Angeles", date(2025, 1, 31)),
        ("Asia/Tokyo", date(2025, 2, 1)),
    ],
)
def test_txn_date_is_the_processing_date_in_the_shop_time_zone(timezone, expected):
    doc = build(shop_timezone=timezone, order={"created": "2025-02-01T05:00:00Z"})
    assert doc.txn_date == expected
