"""The stock plan: QBO quantity on hand → Shopify available, only what differs, and the guard."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rules.inventory import Outcome, QboStock, ShopifyStock, qbo_stock, shopify_quantity, stock_plan
from rules.inventory_guard import GuardLimits, Hold, hold_for, share


def item(sku: str, qty: str, item_id: str = "") -> QboStock:
    """A tracked QBO item matched by SKU."""
    return QboStock(item_id or f"q-{sku}", sku, sku, Decimal(qty))


def variant(sku: str, available: int | None, tracked: bool = True) -> ShopifyStock:
    """A Shopify variant at the location."""
    return ShopifyStock(sku, sku, f"gid://shopify/InventoryItem/{sku}", tracked, available)


@pytest.mark.parametrize(
    ("qbo", "expected", "noted"),
    [
        ("7", 7, False),
        ("7.00", 7, False),
        ("2.5", 2, True),
        ("0.999", 0, True),
        ("0", 0, False),
        ("-3", 0, True),
        ("-0.5", 0, True),
        ("1000000", 1_000_000, False),
    ],
)
def test_qbo_decimals_become_whole_units_rounded_down(qbo, expected, noted):
    quantity, note = shopify_quantity(Decimal(qbo))
    assert quantity == expected
    assert (note is not None) == noted


@pytest.mark.parametrize(
    ("qbo", "shopify", "outcome", "new", "change"),
    [
        ("5", 3, Outcome.CHANGE, 5, 2),
        ("3", 3, Outcome.IN_STEP, 3, None),
        ("0", 4, Outcome.CHANGE, 0, -4),
        ("3.5", 3, Outcome.IN_STEP, 3, None),
        ("4", None, Outcome.CHANGE, 4, 4),
        ("-2", 0, Outcome.IN_STEP, 0, None),
    ],
)
def test_each_sku_changes_only_where_it_differs(qbo, shopify, outcome, new, change):
    plan = stock_plan([item("A", qbo)], [variant("A", shopify)])
    [line] = plan.lines
    assert (line.outcome, line.new_quantity, line.change) == (outcome, new, change)
    assert line.shopify_now == shopify and line.qbo_value == Decimal(qbo)


@pytest.mark.parametrize(
    ("items", "variants", "whole", "outcomes"),
    [
        ([item("A", "1")], [], True, {"A": Outcome.QBO_ONLY}),
        ([], [variant("B", 9)], True, {"B": Outcome.SHOPIFY_ONLY}),
        ([], [variant("B", 9)], False, {}),
        ([], [variant("B", 9, tracked=False)], True, {}),
        ([item("C", "0")], [variant("C", 9, tracked=False)], True, {"C": Outcome.NOT_TRACKED}),
        ([item("D", "1"), item("D", "2", "x")], [variant("D", 0)], True, {"D": Outcome.DUPLICATE}),
        ([item("E", "1")], [variant("E", 0), variant("E", 5)], True, {"E": Outcome.DUPLICATE}),
    ],
)
def test_one_sided_untracked_and_ambiguous_skus_are_reported_never_written(
    items, variants, whole, outcomes
):
    plan = stock_plan(items, variants, whole_catalogue=whole)
    assert {line.sku: line.outcome for line in plan.lines} == outcomes
    assert plan.changes == []
    assert all(line.new_quantity is None for line in plan.lines if line.outcome != Outcome.IN_STEP)


def test_changes_come_first_and_totals_count_every_outcome():
    plan = stock_plan(
        [item("A", "1"), item("B", "2"), item("C", "0")],
        [variant("A", 1), variant("B", 0), variant("C", 3), variant("Z", 4)],
    )
    assert [line.sku for line in plan.lines] == ["B", "C", "A", "Z"]
    totals = plan.totals()
    assert (totals["change"], totals["in_step"], totals["shopify_only"]) == (2, 1, 1)
    assert (totals["zeroes"], totals["tracked"]) == (1, 4)
    assert plan.lines[0].as_row() == {
        "sku": "B",
        "outcome": "change",
        "shopify_now": 0,
        "qbo_value": "2",
        "new_quantity": 2,
        "change": 2,
        "note": None,
    }


@pytest.mark.parametrize(
    ("json", "match", "expected"),
    [
        (
            {
                "Id": "1",
                "Type": "Inventory",
                "TrackQtyOnHand": True,
                "Sku": "A",
                "QtyOnHand": 2.5,
                "Name": "Thing",
            },
            "sku",
            ("A", Decimal("2.5")),
        ),
        (
            {
                "Id": "1",
                "Type": "Inventory",
                "TrackQtyOnHand": True,
                "Sku": "A",
                "QtyOnHand": 2,
                "Name": "Thing:Big",
            },
            "name",
            ("thing-big", Decimal(2)),
        ),
        ({"Id": "1", "Type": "NonInventory", "Sku": "A", "Name": "N"}, "sku", None),
        (
            {"Id": "1", "Type": "Inventory", "TrackQtyOnHand": False, "Sku": "A", "Name": "N"},
            "sku",
            None,
        ),
        (
            {
                "Id": "1",
                "Type": "Inventory",
                "TrackQtyOnHand": True,
                "Active": False,
                "Sku": "A",
                "Name": "N",
                "QtyOnHand": 1,
            },
            "sku",
            None,
        ),
        (
            {"Id": "1", "Type": "Inventory", "TrackQtyOnHand": True, "Name": "N", "QtyOnHand": 1},
            "sku",
            None,
        ),
    ],
)
def test_only_active_tracked_qbo_items_with_a_key_have_stock(json, match, expected):
    stock = qbo_stock(json, match)
    assert (None if stock is None else (stock.key, stock.quantity)) == expected


LIMITS = GuardLimits(Decimal("0.1"), Decimal("0.5"))


def plan_of(tracked: int, zeroes: int, raises: int):
    """A plan over `tracked` variants setting `zeroes` to 0 and raising `raises` others."""
    items = [item(f"Z{n}", "0") for n in range(zeroes)]
    items += [item(f"R{n}", "9") for n in range(raises)]
    variants = [variant(f"Z{n}", 5) for n in range(zeroes)]
    variants += [variant(f"R{n}", 1) for n in range(raises)]
    variants += [variant(f"S{n}", 1) for n in range(tracked - zeroes - raises)]
    items += [item(f"S{n}", "1") for n in range(tracked - zeroes - raises)]
    return stock_plan(items, variants)


@pytest.mark.parametrize(
    ("tracked", "zeroes", "raises", "held"),
    [
        (100, 10, 0, False),  # exactly the zero limit: allowed
        (100, 11, 0, True),  # one more: held
        (100, 0, 50, False),  # exactly the change limit
        (100, 0, 51, True),
        (100, 5, 46, True),  # 51 changes in all
        (10, 2, 0, True),
        (0, 0, 0, False),
    ],
)
def test_the_guard_holds_plans_over_either_share(tracked, zeroes, raises, held):
    hold = hold_for(plan_of(tracked, zeroes, raises), LIMITS)
    assert (hold is not None) == held
    if hold:
        assert (hold.zeroes, hold.changes, hold.tracked) == (zeroes, zeroes + raises, tracked)
        assert "held before writing anything" in hold.reason()


def test_the_guard_takes_shares_of_the_whole_catalogue_on_an_incremental_run():
    items = [item(f"Z{n}", "0") for n in range(3)]
    variants = [variant(f"Z{n}", 2) for n in range(3)]
    assert hold_for(stock_plan(items, variants, whole_catalogue=False), LIMITS) is not None
    assert hold_for(stock_plan(items, variants, 100, whole_catalogue=False), LIMITS) is None


def test_a_confirmed_hold_lets_that_plan_through_once_but_not_a_bigger_one():
    hold = hold_for(plan_of(20, 10, 0), LIMITS)
    assert hold is not None
    confirmed = Hold.from_dict(hold.as_dict())
    assert confirmed == hold
    assert hold_for(plan_of(20, 10, 0), LIMITS, confirmed) is None
    assert hold_for(plan_of(20, 9, 0), LIMITS, confirmed) is None
    assert hold_for(plan_of(20, 11, 0), LIMITS, confirmed) is not None


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 3, "0.3333"), (2, 3, "0.6667"), (0, 0, "0"), (1, 0, "1"), (5, 5, "1.0000")],
)
def test_shares_are_exact_decimals(part, whole, expected):
    assert share(part, whole) == Decimal(expected)
