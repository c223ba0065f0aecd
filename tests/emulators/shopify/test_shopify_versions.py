"""The version in the URL: which ones are served, and the post-2025-01 changes modelled.

Each rule cites its source; emulators/shopify/versions.py holds them.
"""

from __future__ import annotations

import requests

from tests.emulators.shopify.test_shopify_bulk import ORDERS_WITH_LINES, RUN_UNGROUPED
from tests.emulators.shopify.test_shopify_inventory import SET

SHOP = "{ shop { name } }"


def post(shop_client, version: str, query: str = SHOP) -> requests.Response:
    """One raw GraphQL request to /admin/api/<version>/graphql.json."""
    return requests.post(
        f"{shop_client.url}/admin/api/{version}/graphql.json",
        json={"query": query},
        headers={"X-Shopify-Access-Token": shop_client.token},
        timeout=10,
    )


def test_each_served_version_answers_under_its_own_name(shop_client):
    """ref: https://shopify.dev/docs/api/usage/versioning (X-Shopify-API-Version)"""
    for version in ("2025-01", "2026-04", "2026-10", "unstable"):
        response = post(shop_client, version)
        assert response.status_code == 200 and "errors" not in response.json()
        assert response.headers["X-Shopify-API-Version"] == version


def test_retired_version_falls_forward_to_the_oldest_served(shop_client):
    """ref: https://shopify.dev/docs/api/usage/versioning (an unsupported version is served
    by the oldest supported one, which the response header names)"""
    response = post(shop_client, "2024-10")
    assert response.status_code == 200
    assert response.headers["X-Shopify-API-Version"] == "2025-01"


def test_no_such_release_is_not_found(shop_client):
    for version in ("2025-02", "2030-01", "latest"):
        response = post(shop_client, version)
        assert response.status_code == 404 and response.json() == {"errors": "Not Found"}


def test_group_objects_is_an_argument_from_2025_07(shop_client):
    """ref: https://shopify.dev/changelog/bulk-operations-group-objects-default-changed-to-false"""
    variables = {"q": ORDERS_WITH_LINES}
    refused = shop_client.execute(RUN_UNGROUPED, variables, version="2025-04")
    assert refused["errors"][0]["extensions"]["code"] == "argumentNotAccepted"
    assert "data" not in refused
    accepted = shop_client.execute(RUN_UNGROUPED, variables, version="2025-07")
    assert accepted["data"]["bulkOperationRunQuery"]["userErrors"] == []


def quantities(catalog, **extra):
    """An InventorySetQuantitiesInput for the catalog item at its location."""
    q = {"inventoryItemId": catalog["item"], "locationId": catalog["location"], "quantity": 3}
    return {"name": "available", "reason": "correction", "quantities": [{**q, **extra}]}


def test_idempotent_is_required_from_2026_04(shop_client, catalog):
    """ref: https://shopify.dev/changelog/making-idempotency-mandatory-for-inventory-adjustments-and-refund-mutations"""
    bare = SET.replace(' @idempotent(key: "%s")', "")
    data = {"input": quantities(catalog, changeFromQuantity=None)}
    assert "errors" in shop_client.execute(bare, data, version="2026-04")
    assert "errors" not in shop_client.execute(bare, data, version="2026-01")
    keyed = shop_client.execute(SET % "k-1", data, version="2026-04")
    assert keyed["data"]["inventorySetQuantities"]["userErrors"] == []


def test_compare_quantity_fields_are_gone_from_2026_04(shop_client, catalog):
    """ref: https://shopify.dev/changelog/finalizing-compare-and-swap-redesign-for-inventory-set-quantities"""
    legacy = {"input": {**quantities(catalog, compareQuantity=10), "ignoreCompareQuantity": True}}
    errors = shop_client.execute(SET % "k-2", legacy, version="2026-04")["errors"]
    assert {e["extensions"]["code"] for e in errors} == {"INVALID_VARIABLE"}
    assert any("ignoreCompareQuantity" in e["message"] for e in errors)
    assert any("quantities.0.compareQuantity" in e["message"] for e in errors)
    old = shop_client.execute(SET % "k-3", legacy, version="2026-01")["data"]
    assert old["inventorySetQuantities"]["userErrors"] == []


def test_change_from_quantity_is_required_from_2026_04(shop_client, catalog):
    """ref: https://shopify.dev/changelog/making-changefromquantity-field-required"""
    missing = shop_client.data(SET % "k-4", {"input": quantities(catalog)}, version="2026-04")
    error = missing["inventorySetQuantities"]["userErrors"][0]
    assert error["field"][-1] == "changeFromQuantity"
    stale = quantities(catalog, changeFromQuantity=99)
    payload = shop_client.data(SET % "k-5", {"input": stale}, version="2026-04")
    assert payload["inventorySetQuantities"]["userErrors"][0]["code"] == (
        "CHANGE_FROM_QUANTITY_STALE"
    )


def test_item_not_stocked_at_location_is_gone_in_2026_10(shop_client, catalog):
    """ref: https://shopify.dev/changelog/removal-of-itemnotstockedatlocation-error"""
    other = shop_client.data("""mutation { locationAdd(input: {name: "Annex",
      address: {countryCode: US}}) { location { id } } }""")["locationAdd"]["location"]["id"]
    unstocked = dict(catalog, location=other)
    data = {"input": quantities(unstocked, changeFromQuantity=None)}
    before = shop_client.data(SET % "k-6", data, version="2026-07")["inventorySetQuantities"]
    assert before["userErrors"][0]["code"] == "ITEM_NOT_STOCKED_AT_LOCATION"
    now = shop_client.data(SET % "k-7", data, version="2026-10")["inventorySetQuantities"]
    assert now["userErrors"] == []
    assert {c["quantityAfterChange"] for c in now["inventoryAdjustmentGroup"]["changes"]} == {3}


def test_mutation_cost_is_ten_plus_its_selection(shop_client, catalog):
    """ref: https://shopify.dev/docs/api/usage/limits#cost-calculation: 10, plus
    inventoryAdjustmentGroup (1) and its changes list (1), plus userErrors (1)."""
    data = {"input": quantities(catalog, changeFromQuantity=None)}
    cost = shop_client.execute(SET % "k-8", data, version="2026-10")["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 13
    assert cost["actualQueryCost"] == 10 + 1 + 2  # two changes (available, on_hand), no errors


def test_a_failed_key_is_refused_not_replayed_from_2026_10(shop_client, catalog):
    """ref: https://shopify.dev/docs/api/admin-graphql/2026-10/enums/InventorySetQuantitiesUserErrorCode"""
    stale = {"input": quantities(catalog, changeFromQuantity=99)}
    for version, code in (
        ("2026-07", "CHANGE_FROM_QUANTITY_STALE"),
        ("2026-10", "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED"),
    ):
        key = f"failed-{version}"
        first = shop_client.execute(SET % key, stale, version=version)
        assert first["data"]["inventorySetQuantities"]["userErrors"][0]["code"] == (
            "CHANGE_FROM_QUANTITY_STALE"
        )
        again = shop_client.execute(SET % key, stale, version=version)
        assert again["data"]["inventorySetQuantities"]["userErrors"][0]["code"] == code
