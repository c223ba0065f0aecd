"""Protected customer data: level 1 for customer objects, level 2 per field, ACCESS_DENIED else.

ref: https://shopify.dev/docs/apps/launch/protected-customer-data
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from emulators.shopify.scopes import ALL_SCOPES
from tests.emulators.shopify.builders import ShopClient, create_order
from tests.emulators.shopify.conftest import SHOP
from tests.emulators.shopify.test_shopify_bulk import CURRENT, RUN

ORDER = """query($id: ID!) { order(id: $id) {
  id email billingAddress { countryCodeV2 firstName }
  customer { id firstName lastName email defaultAddress { city } } } }"""
BUYER = {"toUpsert": {"email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace"}}
ADDRESS = {"firstName": "Ada", "lastName": "Lovelace", "city": "London", "countryCode": "GB"}


def app_token(shop_client: ShopClient, emulator_app: Flask, **approval: Any) -> str:
    """A token of an app registered with `approval` (protected_customer_data, …_fields)."""
    registered = shop_client.control(
        "POST", "/apps", json={"client_id": "pcd", "secret": "s", "scopes": ALL_SCOPES, **approval}
    )
    assert registered.status_code == 201, registered.text
    return emulator_app.emulator.state.add_token(SHOP, "pcd").value


def order_id(shop_client: ShopClient) -> str:
    """An order with a customer, an email and a billing address."""
    order = create_order(
        shop_client, email="ada@example.com", customer=BUYER, billingAddress=ADDRESS
    )
    return order["id"]


def denied_paths(result: dict) -> dict[tuple, str]:
    """Each ACCESS_DENIED error's path and the requirement it names."""
    out = {}
    for error in result.get("errors", []):
        assert error["extensions"]["code"] == "ACCESS_DENIED"
        assert "protected-customer-data" in error["extensions"]["documentation"]
        out[tuple(error["path"])] = error["extensions"]["requiredAccess"]
    return out


def test_default_registration_is_level_2_with_every_field(shop_client, emulator_app) -> None:
    oid = order_id(shop_client)
    result = shop_client.execute(ORDER, {"id": oid}, app_token(shop_client, emulator_app))
    assert "errors" not in result
    assert result["data"]["order"]["customer"]["email"] == "ada@example.com"


def test_level_0_refuses_the_customer_object(shop_client, emulator_app) -> None:
    oid = order_id(shop_client)
    token = app_token(shop_client, emulator_app, protected_customer_data=0)
    result = shop_client.execute(ORDER, {"id": oid}, token)
    paths = denied_paths(result)
    assert paths[("order", "customer")].startswith("Level 1")
    assert {("order", "email"), ("order", "billingAddress")} <= set(paths)
    order = result["data"]["order"]
    assert order == {"id": oid, "email": None, "billingAddress": None, "customer": None}
    no_customer = "query($id: ID!) { order(id: $id) { id name } }"
    assert "errors" not in shop_client.execute(no_customer, {"id": oid}, token)


def test_level_1_gives_the_customer_without_its_protected_fields(shop_client, emulator_app):
    oid = order_id(shop_client)
    token = app_token(shop_client, emulator_app, protected_customer_data=1)
    result = shop_client.execute(ORDER, {"id": oid}, token)
    paths = denied_paths(result)
    assert paths[("order", "customer", "email")].startswith("Level 2")
    assert "email field" in paths[("order", "customer", "email")]
    assert set(paths) == {
        ("order", "email"),
        ("order", "billingAddress"),
        ("order", "customer", "firstName"),
        ("order", "customer", "lastName"),
        ("order", "customer", "email"),
        ("order", "customer", "defaultAddress"),
    }
    customer = result["data"]["order"]["customer"]
    assert customer["id"].startswith("gid://shopify/Customer/")
    assert customer["email"] is None and customer["firstName"] is None


def test_level_2_fields_are_approved_one_by_one(shop_client, emulator_app) -> None:
    oid = order_id(shop_client)
    token = app_token(
        shop_client,
        emulator_app,
        protected_customer_data=2,
        protected_customer_fields=["address"],
    )
    result = shop_client.execute(ORDER, {"id": oid}, token)
    paths = denied_paths(result)
    # The address is approved, the name inside it is not.
    assert ("order", "billingAddress", "firstName") in paths
    assert ("order", "billingAddress", "countryCodeV2") not in paths
    assert result["data"]["order"]["billingAddress"]["countryCodeV2"] == "GB"
    assert ("order", "customer", "defaultAddress") not in paths
    assert ("order", "customer", "email") in paths


def test_owner_tokens_hold_every_approval(shop_client, emulator_app) -> None:
    app_token(shop_client, emulator_app, protected_customer_data=0)
    owner = shop_client.control("POST", "/tokens", json={"shop": SHOP, "client_id": "pcd"})
    result = shop_client.execute(ORDER, {"id": order_id(shop_client)}, owner.json()["access_token"])
    assert "errors" not in result


def test_email_only_approval_gives_the_email_and_refuses_name_phone_address(
    shop_client, emulator_app
) -> None:
    oid = order_id(shop_client)
    token = app_token(shop_client, emulator_app, protected_customer_fields=["email"])
    query = """query($id: ID!) { order(id: $id) { email phone billingAddress { city }
      customer { email firstName lastName phone defaultAddress { city } } } }"""
    result = shop_client.execute(query, {"id": oid}, token)
    paths = denied_paths(result)
    assert set(paths) == {
        ("order", "phone"),
        ("order", "billingAddress"),
        ("order", "customer", "firstName"),
        ("order", "customer", "lastName"),
        ("order", "customer", "phone"),
        ("order", "customer", "defaultAddress"),
    }
    assert "name field" in paths[("order", "customer", "firstName")]
    assert "phone field" in paths[("order", "phone")]
    assert "address field" in paths[("order", "billingAddress")]
    order = result["data"]["order"]
    assert order["email"] == order["customer"]["email"] == "ada@example.com"
    assert order["customer"]["firstName"] is None and order["billingAddress"] is None


def test_level_2_alone_still_means_every_field(shop_client, emulator_app) -> None:
    registered = shop_client.control(
        "POST", "/apps", json={"client_id": "l2", "secret": "s", "protected_customer_data": 2}
    )
    assert registered.json()["protected"] == ["address", "customer", "email", "name", "phone"]


def test_node_of_a_customer_needs_level_1(shop_client, emulator_app) -> None:
    customer = shop_client.data(
        "query($id: ID!) { order(id: $id) { customer { id } } }", {"id": order_id(shop_client)}
    )["order"]["customer"]["id"]
    node = "query($id: ID!) { node(id: $id) { id } }"
    token = app_token(shop_client, emulator_app, protected_customer_data=0)
    result = shop_client.execute(node, {"id": customer}, token)
    assert denied_paths(result) == {("node",): "Level 1 access to protected customer data."}
    token = app_token(shop_client, emulator_app, protected_customer_data=1)
    assert shop_client.execute(node, {"id": customer}, token)["data"]["node"] == {"id": customer}


def test_bad_registrations_are_refused(shop_client: ShopClient) -> None:
    for approval in (
        {"protected_customer_data": 3},
        {"protected_customer_fields": ["ssn"]},
        {"protected_customer_fields": "email"},
        {"protected_customer_data": 1, "protected_customer_fields": ["email"]},
    ):
        body = {"client_id": "x", "secret": "s", **approval}
        assert shop_client.control("POST", "/apps", json=body).status_code == 400


def test_a_bulk_query_of_unapproved_fields_fails(shop_client, emulator_app) -> None:
    order_id(shop_client)
    token = app_token(shop_client, emulator_app, protected_customer_data=1)
    query = "{ orders { edges { node { id customer { id email } } } } }"
    started = shop_client.execute(RUN, {"q": query}, token)["data"]["bulkOperationRunQuery"]
    assert started["userErrors"] == []
    failed = shop_client.execute(CURRENT, token=token)["data"]["currentBulkOperation"]
    assert (failed["status"], failed["errorCode"]) == ("FAILED", "ACCESS_DENIED")
    allowed = "{ orders { edges { node { id customer { id } } } } }"
    started = shop_client.execute(RUN, {"q": allowed}, token)["data"]["bulkOperationRunQuery"]
    assert started["userErrors"] == []
    running = shop_client.execute(CURRENT, token=token)["data"]["currentBulkOperation"]
    assert running["errorCode"] is None
