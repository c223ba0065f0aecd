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


NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"


@pytest.fixture
def objects(shop_client: ShopClient, catalog: dict[str, str]) -> dict[str, str]:
    """One gid of each scoped node type: Order, Customer, Product, ProductVariant,
    InventoryItem, Location."""
    buyer = {"toUpsert": {"email": "n@example.com"}}
    order = shop_client.data(
        ORDER.replace("name customer { email }", "customer { id }"),
        {"id": create_order(shop_client, email="n@example.com", customer=buyer)["id"]},
    )["order"]
    return {
        "Order": order["id"],
        "Customer": order["customer"]["id"],
        "Product": catalog["product"],
        "ProductVariant": catalog["variant"],
        "InventoryItem": catalog["item"],
        "Location": catalog["location"],
    }


NODE_SCOPES = [
    ("Order", "read_orders"),
    ("Customer", "read_customers"),
    ("Product", "read_products"),
    ("ProductVariant", "read_products"),
    ("InventoryItem", "read_inventory"),
    ("Location", "read_locations"),
]


@pytest.mark.parametrize(("kind", "scope"), NODE_SCOPES)
def test_node_needs_the_scope_of_the_typed_root_field(
    shop_client, emulator_app, objects, kind, scope
):
    """node(id:) answers an object only with the scope its type (and `order(id:)` etc.) needs."""
    others = ",".join(s for _, s in NODE_SCOPES if s != scope) + ",read_all_orders"
    result = shop_client.execute(NODE, {"id": objects[kind]}, token(emulator_app, others))
    error = denied(result, ["node"])
    assert f"`{scope}`" in error["message"] and error["extensions"]["requiredAccess"]
    assert result["data"] == {"node": None}
    allowed = shop_client.execute(NODE, {"id": objects[kind]}, token(emulator_app, scope))
    assert "errors" not in allowed and allowed["data"]["node"] == {"id": objects[kind]}
    # write_X implies read_X here as well.
    writer = token(emulator_app, scope.replace("read_", "write_"))
    assert "errors" not in shop_client.execute(NODE, {"id": objects[kind]}, writer)


def test_node_refuses_an_order_like_the_order_field(shop_client, emulator_app, objects) -> None:
    limited = token(emulator_app, "read_products")
    by_field = shop_client.execute(ORDER, {"id": objects["Order"]}, limited)
    by_node = shop_client.execute(NODE, {"id": objects["Order"]}, limited)
    assert "`read_orders`" in by_field["errors"][0]["message"]
    assert "`read_orders`" in by_node["errors"][0]["message"]
    # Unknown ids are refused too: the scope is checked before the lookup.
    missing = shop_client.execute(NODE, {"id": "gid://shopify/Order/999999"}, limited)
    denied(missing, ["node"])


def test_nodes_refuses_each_unscoped_id_in_its_place(shop_client, emulator_app, objects) -> None:
    ids = [objects["Product"], objects["Order"], objects["Location"], objects["Customer"]]
    result = shop_client.execute(NODES, {"ids": ids}, token(emulator_app, "read_products"))
    errors = {tuple(e["path"]): e for e in result["errors"]}
    assert set(errors) == {("nodes", 1), ("nodes", 2), ("nodes", 3)}
    assert "`read_orders`" in errors["nodes", 1]["message"]
    assert "`read_locations`" in errors["nodes", 2]["message"]
    assert "`read_customers`" in errors["nodes", 3]["message"]
    assert result["data"]["nodes"] == [{"id": objects["Product"]}, None, None, None]
    every = token(emulator_app, ALL_SCOPES)
    assert "errors" not in shop_client.execute(NODES, {"ids": ids}, every)


def test_node_of_an_order_selecting_its_customer_needs_read_customers(
    shop_client, emulator_app, objects
) -> None:
    query = "query($id: ID!) { node(id: $id) { id ... on Order { customer { id } } } }"
    result = shop_client.execute(
        query, {"id": objects["Order"]}, token(emulator_app, "read_orders")
    )
    denied(result, ["node", "customer"])
    assert result["data"]["node"] == {"id": objects["Order"], "customer": None}


SUBSCRIBE = """mutation($topic: WebhookSubscriptionTopic!) { webhookSubscriptionCreate(
  topic: $topic, webhookSubscription: {callbackUrl: "https://example.com/hooks"}) {
  webhookSubscription { id } userErrors { field message } } }"""


@pytest.mark.parametrize(
    ("topic", "scope"),
    [
        ("ORDERS_CREATE", "read_orders"),
        ("REFUNDS_CREATE", "read_orders"),
        ("PRODUCTS_UPDATE", "read_products"),
        ("INVENTORY_LEVELS_UPDATE", "read_inventory"),
        ("CUSTOMERS_CREATE", "read_customers"),
        ("CUSTOMERS_UPDATE", "read_customers"),
        ("CUSTOMERS_DELETE", "read_customers"),
    ],
)
def test_webhook_topic_needs_its_scope(shop_client, emulator_app, topic, scope) -> None:
    """A topic's scope is the one its WebhookSubscriptionTopic description names; without it
    Shopify answers a user error (the mutation itself needs no scope)."""
    result = shop_client.execute(SUBSCRIBE, {"topic": topic}, token(emulator_app, "read_locations"))
    assert "errors" not in result
    payload = result["data"]["webhookSubscriptionCreate"]
    assert payload["webhookSubscription"] is None
    assert payload["userErrors"] == [
        {
            "field": ["webhookSubscription"],
            "message": "You cannot create a webhook subscription with the specified topic",
        }
    ]
    assert emulator_app.emulator.state.shops[SHOP].webhooks == {}
    allowed = shop_client.execute(SUBSCRIBE, {"topic": topic}, token(emulator_app, scope))
    assert allowed["data"]["webhookSubscriptionCreate"]["userErrors"] == []


def test_app_uninstalled_topic_needs_no_scope(shop_client, emulator_app) -> None:
    result = shop_client.execute(SUBSCRIBE, {"topic": "APP_UNINSTALLED"}, token(emulator_app, ""))
    assert result["data"]["webhookSubscriptionCreate"]["userErrors"] == []
    assert result["data"]["webhookSubscriptionCreate"]["webhookSubscription"]["id"]
