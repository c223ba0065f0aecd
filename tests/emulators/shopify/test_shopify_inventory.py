"""inventorySetQuantities: compare-and-set, changeFromQuantity (2026-01), error codes,
@idempotent."""

from __future__ import annotations

import pytest
import requests

SET = """mutation($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) @idempotent(key: "%s") {
    inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange } }
    userErrors { field message code } } }"""
LEVEL = """query($id: ID!, $loc: ID!) { inventoryItem(id: $id) { inventoryLevel(locationId: $loc) {
  quantities(names: ["available", "on_hand"]) { name quantity } } } }"""


def set_quantity(
    client,
    catalog,
    quantity=7,
    key=None,
    name="available",
    reason="correction",
    ignore=False,
    **extra,
):
    """Run inventorySetQuantities for the catalog item; returns the payload."""
    query = SET % key if key else SET.replace(' @idempotent(key: "%s")', "")
    data = {
        "name": name,
        "reason": reason,
        "ignoreCompareQuantity": ignore,
        "quantities": [
            {
                "inventoryItemId": catalog["item"],
                "locationId": catalog["location"],
                "quantity": quantity,
                **extra,
            }
        ],
    }
    return client.data(query, {"input": data})["inventorySetQuantities"]


def levels(client, catalog):
    """{name: quantity} at the catalog location."""
    data = client.data(LEVEL, {"id": catalog["item"], "loc": catalog["location"]})
    return {q["name"]: q["quantity"] for q in data["inventoryItem"]["inventoryLevel"]["quantities"]}


def test_compare_quantity_match_sets_and_moves_on_hand(shop_client, catalog):
    payload = set_quantity(shop_client, catalog, 7, compareQuantity=10)
    assert payload["userErrors"] == []
    assert payload["inventoryAdjustmentGroup"]["changes"] == [
        {"name": "available", "delta": -3, "quantityAfterChange": 7},
        {"name": "on_hand", "delta": -3, "quantityAfterChange": 7},
    ]
    assert levels(shop_client, catalog) == {"available": 7, "on_hand": 7}


ERRORS = {
    "stale compareQuantity": ({"compareQuantity": 9}, "COMPARE_QUANTITY_STALE"),
    "missing compareQuantity": ({}, "COMPARE_QUANTITY_REQUIRED"),
    "stale changeFromQuantity": (
        {"changeFromQuantity": 4, "compareQuantity": 10},
        "CHANGE_FROM_QUANTITY_STALE",
    ),
    "bad name": ({"name": "committed", "ignore": True}, "INVALID_NAME"),
    "bad reason": ({"reason": "because", "ignore": True}, "INVALID_REASON"),
    "too high": ({"quantity": 1_000_000_001, "ignore": True}, "INVALID_QUANTITY_TOO_HIGH"),
    "too low": ({"quantity": -1_000_000_001, "ignore": True}, "INVALID_QUANTITY_TOO_LOW"),
    "negative on_hand": (
        {"name": "on_hand", "quantity": -1, "ignore": True},
        "INVALID_QUANTITY_NEGATIVE",
    ),
}


@pytest.mark.parametrize("kwargs,code", ERRORS.values(), ids=ERRORS.keys())
def test_rejected_sets_change_nothing(shop_client, catalog, kwargs, code):
    payload = set_quantity(shop_client, catalog, **kwargs)
    assert payload["inventoryAdjustmentGroup"] is None
    assert payload["userErrors"][0]["code"] == code
    assert levels(shop_client, catalog) == {"available": 10, "on_hand": 10}


def test_change_from_quantity_overrides_compare_quantity(shop_client, catalog):
    payload = set_quantity(shop_client, catalog, 4, changeFromQuantity=10, compareQuantity=99)
    assert payload["userErrors"] == []
    payload = set_quantity(shop_client, catalog, 5, changeFromQuantity=None)  # explicit opt-out
    assert payload["userErrors"] == []
    assert levels(shop_client, catalog)["available"] == 5


def test_ignore_compare_quantity_sets_unconditionally(shop_client, catalog):
    assert set_quantity(shop_client, catalog, 2, ignore=True)["userErrors"] == []
    assert levels(shop_client, catalog) == {"available": 2, "on_hand": 2}


def test_unknown_item_location_and_unstocked_location(shop_client, catalog):
    bad_item = dict(catalog, item="gid://shopify/InventoryItem/1")
    assert set_quantity(shop_client, bad_item, ignore=True)["userErrors"][0]["code"] == (
        "INVALID_INVENTORY_ITEM"
    )
    bad_loc = dict(catalog, location="gid://shopify/Location/1")
    assert set_quantity(shop_client, bad_loc, ignore=True)["userErrors"][0]["code"] == (
        "INVALID_LOCATION"
    )
    other = shop_client.data("""mutation { locationAdd(input: {name: "Annex",
      address: {countryCode: US}}) { location { id } } }""")["locationAdd"]["location"]["id"]
    unstocked = dict(catalog, location=other)
    assert set_quantity(shop_client, unstocked, ignore=True)["userErrors"][0]["code"] == (
        "ITEM_NOT_STOCKED_AT_LOCATION"
    )


def test_duplicate_item_location_pair_is_rejected(shop_client, catalog):
    pair = {"inventoryItemId": catalog["item"], "locationId": catalog["location"], "quantity": 1}
    payload = shop_client.data(
        SET.replace(' @idempotent(key: "%s")', ""),
        {
            "input": {
                "name": "available",
                "reason": "correction",
                "ignoreCompareQuantity": True,
                "quantities": [pair, pair],
            }
        },
    )["inventorySetQuantities"]
    assert payload["userErrors"][0]["code"] == "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR"


def test_idempotent_key_replays_first_result(shop_client, catalog):
    first = set_quantity(shop_client, catalog, 8, key="abc", compareQuantity=10)
    again = set_quantity(shop_client, catalog, 8, key="abc", compareQuantity=10)
    assert first == again and again["userErrors"] == []
    other = set_quantity(shop_client, catalog, 8, key="def", compareQuantity=10)
    assert other["userErrors"][0]["code"] == "COMPARE_QUANTITY_STALE"


def test_adjustments_list_what_was_applied_once(shop_client, catalog):
    set_quantity(shop_client, catalog, 8, key="k1", compareQuantity=10)
    set_quantity(shop_client, catalog, 8, key="k1", compareQuantity=10)  # replayed
    set_quantity(shop_client, catalog, 9, key="k2", compareQuantity=10)  # stale: refused
    url = f"{shop_client.url}/_emulator/inventory/adjustments"
    found = requests.get(url, params={"shop": shop_client.shop}, timeout=10).json()
    assert [(a["key"], a["items"]) for a in found["adjustments"]] == [("k1", [catalog["item"]])]


def test_idempotent_key_with_other_parameters_is_refused_and_applies_nothing(shop_client, catalog):
    assert set_quantity(shop_client, catalog, 8, key="k1", compareQuantity=10)["userErrors"] == []
    other = set_quantity(shop_client, catalog, 3, key="k1", compareQuantity=8)
    assert other["inventoryAdjustmentGroup"] is None
    assert other["userErrors"][0]["code"] == "IDEMPOTENCY_KEY_PARAMETER_MISMATCH"
    assert levels(shop_client, catalog)["available"] == 8
