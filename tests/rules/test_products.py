"""Variants → QBO items: names, collisions, SKU duplicates, fingerprints and sparse updates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from rules.products import (
    ShopifyVariant,
    duplicate_skus,
    fingerprint,
    parse_variant,
    skip_reason,
    sparse_update,
    unique_name,
    variant_to_item,
)
from tests.rules.companies import options


def variant(
    variant_id: str = "11",
    title: str = "Red / L",
    sku: str | None = "TS-RED-L",
    product: str = "T-Shirt",
    price: str | None = "20.00",
    cost: str | None = "7.50",
) -> ShopifyVariant:
    """A variant as parse_variant gives it."""
    node = {
        "id": f"gid://shopify/ProductVariant/{variant_id}",
        "title": title,
        "sku": sku,
        "price": price,
        "updatedAt": "2026-11-30T10:00:00Z",
        "inventoryItem": {"unitCost": {"amount": cost} if cost else None},
    }
    return parse_variant(node, {"id": "gid://shopify/Product/7", "title": product})


@pytest.mark.parametrize(
    ("made", "field", "name"),
    [
        (variant(), "sku", "T-Shirt - Red / L (TS-RED-L)"),
        (variant(title="Default Title", product="Mug", sku="MUG-1"), "sku", "Mug (MUG-1)"),
        (variant(), "name", "TS-RED-L"),  # matched by name: named by its SKU, as sales names it
        (variant(product="A: B", title="Default Title", sku="X"), "sku", "A- B (X)"),  # no ':'
        (
            variant(product="P" * 120, title="Default Title", sku="LONG-1"),
            "sku",
            "P" * 91 + " (LONG-1)",
        ),
    ],
)
def test_variant_item_name(made, field, name) -> None:
    item = variant_to_item(made, replace(options("us"), sku_match_field=field))
    assert item.name == name and len(item.name) <= 100


def test_variant_item_carries_price_cost_and_the_sales_item_settings() -> None:
    chosen = replace(
        options("us"),
        item_type="Inventory",
        income_account_id="1",
        cogs_account_id="2",
        asset_account_id="3",
        inventory_start_date=date(2026, 1, 1),
    )
    item = variant_to_item(variant(), chosen)
    assert (item.unit_price, item.purchase_cost) == (Decimal("20.00"), Decimal("7.50"))
    assert (item.type, item.income_account_id, item.expense_account_id, item.asset_account_id) == (
        "Inventory",
        "1",
        "2",
        "3",
    )
    assert item.inv_start_date == date(2026, 1, 1) and item.qty_on_hand == 0


@pytest.mark.parametrize(
    ("name", "taken", "chosen"),
    [
        ("Mug", set(), "Mug"),
        ("Mug", {"mug"}, "Mug (2)"),  # QBO names are unique whatever their case
        ("Mug", {"mug", "mug (2)", "mug (3)"}, "Mug (4)"),
        ("M" * 100, {"m" * 100}, "M" * 96 + " (2)"),  # still within 100 characters
    ],
)
def test_unique_name(name, taken, chosen) -> None:
    assert unique_name(name, taken) == chosen


def test_variants_sharing_a_sku_keep_one_item_and_report_the_others() -> None:
    first, twin, other = variant("5", sku="S-1"), variant("9", sku="s-1 "), variant("7", sku="S-2")
    seen: dict[str, str] = {}
    assert duplicate_skus([twin, first, other], "name", seen) == {"9": "5"}
    assert duplicate_skus([variant("12", sku="S-2")], "name", seen) == {"12": "7"}  # next batch
    reason, fix = skip_reason(twin, "5") or ("", "")
    assert "also the SKU of variant 5" in reason and "own SKU" in fix


def test_a_variant_without_sku_is_reported_not_guessed() -> None:
    reason, fix = skip_reason(variant(sku="  "), None) or ("", "")
    assert "no SKU" in reason and "add a SKU" in fix


@pytest.mark.parametrize(
    ("change", "same"),
    [
        ({}, True),
        ({"price": "21.00"}, False),
        ({"title": "Blue / L"}, False),
        ({"cost": None}, False),
    ],
)
def test_fingerprint_follows_what_the_item_carries(change, same) -> None:
    assert (fingerprint(variant(**change)) == fingerprint(variant())) is same


def test_sparse_update_sends_only_what_changed_never_accounts_or_type() -> None:
    item = variant_to_item(variant(price="22.00"), options("us"))
    current = {
        "Id": "40",
        "SyncToken": "3",
        "Name": item.name,
        "Description": item.description,
        "UnitPrice": 20,
        "Type": "Service",
        "IncomeAccountRef": {"value": "99"},
    }
    assert sparse_update(item, current) == {
        "Id": "40",
        "SyncToken": "3",
        "sparse": True,
        "UnitPrice": Decimal("22.00"),
    }
    assert sparse_update(item, {**current, "UnitPrice": "22.0"}) is None
