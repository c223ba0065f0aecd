"""SKU matching keys and the QBO items created for unmatched SKUs."""

from __future__ import annotations

from datetime import date

import pytest

from rules.items import (
    new_item_for_line,
    normalise_sku,
    query_literal,
    sku_match_key,
    validate_item_settings,
)
from rules.orders import parse_order
from tests.rules import companies
from tests.rules.builders import Line, make_order

SKUS = ["ABC-1", 'O\'Brien "Deluxe"', "back\\slash", "two  spaces", "café-ß-日本", " padded "]


@pytest.mark.parametrize("sku", SKUS)
def test_skus_keep_quotes_backslashes_spaces_and_non_ascii(sku):
    assert normalise_sku(sku) == sku.strip()
    assert sku_match_key(sku, "sku") == sku.strip()


@pytest.mark.parametrize(
    ("sku", "field", "key"),
    [
        ("ABC-1", "name", "abc-1"),
        ("A:B", "name", "a-b"),
        ("A:B", "sku", "A:B"),
        ("Cafe\u0301", "sku", "Café"),
        ("", "sku", None),
        (None, "name", None),
    ],
)
def test_match_key_per_field(sku, field, key):
    assert sku_match_key(sku, field) == key


@pytest.mark.parametrize(
    ("value", "literal"),
    [("ABC", "'ABC'"), ("O'Brien", "'O\\'Brien'"), ("a\\b", "'a\\\\b'")],
)
def test_query_literal_escapes_quotes_and_backslashes(value, literal):
    assert query_literal(value) == literal


def _line(sku: str = "TS-L", title: str = "T-shirt - Large"):
    """A parsed line item."""
    return parse_order(make_order([Line(sku, "10.00", title=title)])).line_items[0]


@pytest.mark.parametrize(
    ("options", "name", "type_", "accounts"),
    [
        ({"sku_match_field": "sku"}, "T-shirt - Large (TS-L)", "NonInventory", ("79", "80", None)),
        ({"sku_match_field": "name"}, "TS-L", "NonInventory", ("79", "80", None)),
        ({"item_type": "Inventory"}, "T-shirt - Large (TS-L)", "Inventory", ("79", "81", "82")),
    ],
)
def test_new_item_for_an_unmatched_sku(options, name, type_, accounts):
    opts = companies.options(
        "uk",
        income_account_id="79",
        expense_account_id="80",
        cogs_account_id="81",
        asset_account_id="82",
        inventory_start_date=date(2025, 1, 31),
        **options,
    )
    item = new_item_for_line(_line(), opts)
    assert (item.name, item.sku, item.type) == (name, "TS-L", type_)
    assert (item.income_account_id, item.expense_account_id, item.asset_account_id) == accounts
    assert item.tracks_quantity is (type_ == "Inventory")
    assert item.inv_start_date == (date(2025, 1, 31) if type_ == "Inventory" else None)


def test_new_item_name_fits_100_characters_without_colons():
    item = new_item_for_line(_line("S" * 30, "Long: " + "t" * 120), companies.options("uk"))
    assert len(item.name) <= 100 and ":" not in item.name and item.name.endswith("S" * 30 + ")")


@pytest.mark.parametrize(
    ("options", "codes"),
    [
        ({"create_items": False}, []),
        ({"create_items": True, "income_account_id": "79"}, []),
        ({"create_items": True}, ["item_account_missing"]),
        (
            {"create_items": True, "income_account_id": "79", "item_type": "Inventory"},
            ["item_account_missing", "item_account_missing", "inventory_start_missing"],
        ),
    ],
)
def test_item_settings_are_validated(options, codes):
    assert [p.code for p in validate_item_settings(companies.options("uk", **options))] == codes


@pytest.mark.parametrize(
    ("inv_start", "ok"),
    [(date(2025, 1, 31), True), (date(2025, 2, 1), True), (date(2025, 2, 2), False)],
)
def test_inventory_start_date_on_or_before_integration_start(inv_start, ok):
    options = companies.options(
        "uk",
        create_items=True,
        item_type="Inventory",
        income_account_id="79",
        cogs_account_id="81",
        asset_account_id="82",
        inventory_start_date=inv_start,
        start_date=date(2025, 2, 1),
    )
    problems = validate_item_settings(options)
    assert (problems == []) is ok
    if not ok:
        assert str(problems[0]) == (
            "The inventory start date 02 February 2025 is after the integration start date "
            "01 February 2025: QuickBooks rejects sales of an item dated before it: set the "
            "inventory start date to 01 February 2025 or earlier"
        )
