"""Access scopes: ACCESS_DENIED per field, write_X implies read_X, the 60-day order window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from emulators.shopify.scopes import ALL_SCOPES
from tests.emulators.shopify.builders import ShopClient, create_order
from tests.emulators.shopify.conftest import SHOP
from tests.emulators.shopify.test_shopify_bulk import CURRENT, RUN, download

ORDER = "query($id: ID!) { order(id: $id) { id name customer { email } } }"
ORDERS = "{ orders(first: 10) { nodes { id } } ordersCount { count } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
SET = """mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) {
  userErrors { field message } } }"""
LEVEL = """query($id: ID!, $loc: ID!) { inventoryItem(id: $id) {
  inventoryLevel(locationId: $loc) { quantities(names: ["available"]) { quantity } } } }"""


def token(emulator_app: Flask, scope: str) -> str:
    """A token for the demo app on the test shop holding exactly `scope`."""
    return emulator_app.emulator.state.add_token(SHOP, scope=scope).value


def denied(result: dict, path: list) -> dict:
    """The one ACCESS_DENIED error of a response, checked for its path."""
    [error] = result["errors"]
    assert error["extensions"]["code"] == "ACCESS_DENIED"
    assert error["path"] == path
    return error


def test_owner_token_from_control_has_every_scope(shop_client: ShopClient) -> None:
    created = shop_client.control("POST", "/shops", json={"domain": "b.myshopify.com"}).json()
    assert created["scope"] == ALL_SCOPES
    assert {"read_all_orders", "write_orders", "read_customers"} <= set(ALL_SCOPES.split(","))


def test_control_issues_tokens_on_a_known_shop(shop_client: ShopClient) -> None:
    owner = shop_client.control("POST", "/tokens", json={"shop": SHOP}).json()
    assert owner["scope"] == ALL_SCOPES
    narrow = shop_client.control("POST", "/tokens", json={"shop": SHOP, "scopes": "read_orders"})
    result = shop_client.execute(
        "{ locations(first: 1) { nodes { id } } }", token=narrow.json()["access_token"]
    )
    assert result["errors"][0]["extensions"]["code"] == "ACCESS_DENIED"
    assert (
        shop_client.control("POST", "/tokens", json={"shop": "x.myshopify.com"}).status_code == 400
    )


def test_customer_field_needs_read_customers(shop_client, emulator_app) -> None:
    buyer = {"toUpsert": {"email": "a@example.com"}}
    order = create_order(shop_client, email="a@example.com", customer=buyer)
    result = shop_client.execute(ORDER, {"id": order["id"]}, token(emulator_app, "read_orders"))
    error = denied(result, ["order", "customer"])
    assert "`read_customers`" in error["message"]
    assert result["data"]["order"] == {"id": order["id"], "name": order["name"], "customer": None}
    allowed = token(emulator_app, "read_orders,read_customers")
    assert "errors" not in shop_client.execute(ORDER, {"id": order["id"]}, allowed)


def test_orders_connection_needs_read_orders(shop_client, emulator_app) -> None:
    result = shop_client.execute(ORDERS, token=token(emulator_app, "read_products"))
    assert {e["extensions"]["code"] for e in result["errors"]} == {"ACCESS_DENIED"}
    assert any("`read_orders`" in e["message"] for e in result["errors"])
    assert result["data"] is None  # orders is non-null: the null reaches the root


@pytest.mark.parametrize(
    ("document", "scope", "path"),
    [
        ("{ locations(first: 1) { nodes { id } } }", "read_locations", ["locations"]),
        ("{ products(first: 1) { nodes { id } } }", "read_products", ["products"]),
        ("{ productVariants(first: 1) { nodes { id } } }", "read_products", ["productVariants"]),
    ],
)
def test_root_connections_need_their_scope(shop_client, emulator_app, document, scope, path):
    result = shop_client.execute(document, token=token(emulator_app, "read_orders"))
    assert f"`{scope}`" in result["errors"][0]["message"]
    assert result["errors"][0]["path"] == path


def test_shop_needs_no_scope_and_write_implies_read(shop_client, emulator_app) -> None:
    assert "errors" not in shop_client.execute("{ shop { name } }", token=token(emulator_app, ""))
    result = shop_client.execute(ORDERS, token=token(emulator_app, "write_orders"))
    assert "errors" not in result


def test_inventory_mutation_needs_write_inventory(shop_client, emulator_app, catalog) -> None:
    change = {"inventoryItemId": catalog["item"], "locationId": catalog["location"]}
    variables = {
        "input": {
            "name": "available",
            "reason": "correction",
            "ignoreCompareQuantity": True,
            "quantities": [{**change, "quantity": 3}],
        }
    }
    result = shop_client.execute(SET, variables, token(emulator_app, "read_inventory"))
    error = denied(result, ["inventorySetQuantities"])
    assert "`write_inventory`" in error["message"]
    assert result["data"] == {"inventorySetQuantities": None}
    level = shop_client.data(LEVEL, {"id": catalog["item"], "loc": catalog["location"]})
    assert level["inventoryItem"]["inventoryLevel"]["quantities"] == [{"quantity": 10}]


@pytest.fixture
def old_and_new(shop_client: ShopClient) -> tuple[str, str]:
    """An order created 61 days ago and one created now."""
    past = datetime.now(UTC) - timedelta(days=61)
    shop_client.control("POST", "/clock", json={"now": past.isoformat()})
    old = create_order(shop_client)["id"]
    shop_client.control("POST", "/clock", json={"reset": True})
    return old, create_order(shop_client)["id"]


def test_orders_older_than_60_days_need_read_all_orders(shop_client, emulator_app, old_and_new):
    old, new = old_and_new
    limited = token(emulator_app, "read_orders")
    result = shop_client.execute(ORDERS, token=limited)
    assert "errors" not in result
    assert result["data"] == {"orders": {"nodes": [{"id": new}]}, "ordersCount": {"count": 1}}
    by_id = ORDER.replace(" customer { email }", "")
    result = shop_client.execute(by_id, {"id": old}, limited)
    assert "errors" not in result and result["data"] == {"order": None}
    assert shop_client.execute(NODE, {"id": old}, limited)["data"] == {"node": None}
    assert shop_client.execute(NODE, {"id": new}, limited)["data"] == {"node": {"id": new}}
    every = token(emulator_app, "read_orders,read_all_orders")
    nodes = shop_client.execute(ORDERS, token=every)["data"]["orders"]["nodes"]
    assert [n["id"] for n in nodes] == [old, new]


def test_bulk_results_leave_out_old_orders(shop_client, emulator_app, old_and_new) -> None:
    limited = token(emulator_app, "read_orders")
    query = "{ orders { edges { node { id } } } }"
    started = shop_client.execute(RUN, {"q": query}, limited)["data"]["bulkOperationRunQuery"]
    assert started["userErrors"] == []
    current = shop_client.execute(CURRENT, token=limited)["data"]["currentBulkOperation"]
    assert current["status"] == "COMPLETED"
    assert [line["id"] for line in download(current["url"])] == [old_and_new[1]]


def test_bulk_query_needing_a_missing_scope_fails_access_denied(shop_client, emulator_app):
    limited = token(emulator_app, "read_orders")
    query = "{ orders { edges { node { id customer { id } } } } }"
    started = shop_client.execute(RUN, {"q": query}, limited)["data"]["bulkOperationRunQuery"]
    assert started["userErrors"] == []
    current = shop_client.execute(CURRENT, token=limited)["data"]["currentBulkOperation"]
    assert (current["status"], current["errorCode"], current["url"]) == (
        "FAILED",
        "ACCESS_DENIED",
        None,
    )
