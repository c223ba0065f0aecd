"""The GraphQL endpoint: authentication, versions, validation errors, query cost, throttling."""

from __future__ import annotations

import urllib.error

import pytest
import requests

SHOP_QUERY = "{ shop { name myshopifyDomain currencyCode } }"


def post(client, query: str, version: str = "2025-01", token: str | None = None):
    """A raw POST (for status codes the SDK would raise on)."""
    return requests.post(
        f"{client.url}/admin/api/{version}/graphql.json",
        json={"query": query},
        headers={"X-Shopify-Access-Token": token or client.token},
        timeout=10,
    )


def test_shop_is_identified_by_access_token(shop_client):
    shop = shop_client.data(SHOP_QUERY)["shop"]
    assert shop == {
        "name": "Test Shop",
        "myshopifyDomain": "test-shop.myshopify.com",
        "currencyCode": "USD",
    }


def test_unknown_token_gets_401_with_shopify_body(shop_client):
    resp = post(shop_client, SHOP_QUERY, token="shpat_nope")
    assert resp.status_code == 401
    assert resp.json() == {
        "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
    }
    with pytest.raises(urllib.error.HTTPError):
        shop_client.execute(SHOP_QUERY, token="shpat_nope")


@pytest.mark.parametrize("version", ["2025-01", "2026-10", "unstable"])
def test_any_version_path_is_served(shop_client, version):
    assert post(shop_client, SHOP_QUERY, version=version).status_code == 200


def test_malformed_version_is_404(shop_client):
    assert post(shop_client, SHOP_QUERY, version="latest").status_code == 404


def test_unknown_field_gets_shopify_validation_error(shop_client):
    body = shop_client.execute("{ shop { name nope } }")
    error = body["errors"][0]
    assert error["message"] == "Field 'nope' doesn't exist on type 'Shop'"
    assert error["extensions"]["code"] == "undefinedField"
    assert error["locations"] == [{"line": 1, "column": 15}]
    assert "data" not in body


def test_unknown_argument_and_missing_argument_are_rejected(shop_client):
    body = shop_client.execute("{ orders(first: 1, bogus: 2) { nodes { id } } }")
    assert body["errors"][0]["extensions"]["code"] == "argumentNotAccepted"
    body = shop_client.execute("{ order { id } }")
    assert body["errors"][0]["message"] == "Field 'order' is missing required arguments: id"


def test_syntax_error_is_reported(shop_client):
    body = shop_client.execute("{ shop { name ")
    assert body["errors"][0]["extensions"]["code"] == "PARSE_ERROR"


def test_2026_additions_validate(shop_client):
    query = """mutation @idempotent(key: "x") { shop { id } }"""
    assert "errors" in shop_client.execute(query)  # directive is allowed on fields only
    query = """mutation($q: [InventoryQuantityInput!]!) {
      inventorySetQuantities(input: {name: "available", reason: "correction", quantities: $q})
        @idempotent(key: "k1") { userErrors { code } } }"""
    body = shop_client.execute(
        query,
        {
            "q": [
                {
                    "inventoryItemId": "gid://shopify/InventoryItem/1",
                    "locationId": "gid://shopify/Location/1",
                    "quantity": 1,
                    "changeFromQuantity": None,
                }
            ]
        },
    )
    assert "errors" not in body


def test_cost_of_object_is_one_and_scalars_free(shop_client):
    cost = shop_client.execute(SHOP_QUERY)["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 1
    assert cost["actualQueryCost"] == 1
    assert cost["throttleStatus"]["maximumAvailable"] == 2000
    assert cost["throttleStatus"]["restoreRate"] == 100


def test_connection_cost_is_two_plus_first_times_node_cost(shop_client):
    body = shop_client.execute("{ orders(first: 10) { edges { node { id customer { id } } } } }")
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 2 + 10 * 2
    assert cost["actualQueryCost"] == 2  # nothing returned: the difference is refunded


def test_mutation_costs_ten_plus_its_selection(shop_client):
    """ref: https://shopify.dev/docs/api/usage/limits#cost-calculation"""
    body = shop_client.execute(
        "mutation { webhookSubscriptionCreate(topic: ORDERS_CREATE, "
        'webhookSubscription: {callbackUrl: "https://example.com/h"}) '
        "{ userErrors { message } } }"
    )
    assert body["extensions"]["cost"]["requestedQueryCost"] == 10 + 1  # a list of one object
    assert body["extensions"]["cost"]["actualQueryCost"] == 10  # no userErrors came back


def test_query_over_max_cost_is_refused(shop_client):
    query = "{ orders(first: 250) { nodes { id lineItems(first: 250) { nodes { id } } } } }"
    error = shop_client.execute(query)["errors"][0]
    assert error["extensions"]["code"] == "MAX_COST_EXCEEDED"


def test_bucket_drains_then_throttles_then_restores_with_clock(shop_client):
    shop_client.control("POST", "/settings", json={"bucket_max": 50})
    query = "{ orders(first: 20) { nodes { id } } }"  # requested 22, actual 2
    for _ in range(2):
        assert "errors" not in shop_client.execute(query)
    shop_client.control("POST", "/clock", json={"advance": -3600})  # freeze-ish: go back
    big = "{ orders(first: 60) { nodes { id } } }"  # 62 > max 50
    body = shop_client.execute(big)
    assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert body["extensions"]["cost"]["requestedQueryCost"] == 62


def test_throttled_when_request_exceeds_currently_available(shop_client):
    shop_client.control("POST", "/settings", json={"bucket_max": 30})
    shop_client.control("POST", "/clock", json={"now": "2030-01-01T00:00:00Z"})
    query = "{ orders(first: 20) { nodes { id customer { id } } } }"  # 42 > 30
    body = shop_client.execute(query)
    assert body["errors"] == [
        {
            "message": "Throttled",
            "extensions": {
                "code": "THROTTLED",
                "documentation": "https://shopify.dev/api/usage/rate-limits",
            },
        }
    ]
    assert body["extensions"]["cost"]["actualQueryCost"] is None
    status = body["extensions"]["cost"]["throttleStatus"]
    assert status["currentlyAvailable"] == 30


def test_bucket_refills_at_plan_restore_rate(shop_client):
    shop_client.control("POST", "/settings", json={"bucket_max": 100})
    shop_client.control("POST", "/clock", json={"now": "2030-01-01T00:00:00Z"})
    mutation = (
        "mutation { webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription:"
        ' {callbackUrl: "https://example.com/h"}) { userErrors { message } } }'
    )
    for _ in range(10):
        shop_client.execute(mutation)
    body = shop_client.execute(mutation)
    assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
    shop_client.control("POST", "/clock", json={"advance": 0.2})  # 100/s × 0.2 s = 20 points
    assert "errors" not in shop_client.execute(mutation)


@pytest.mark.parametrize(
    "plan,rate", [("standard", 100), ("advanced", 200), ("plus", 1000), ("enterprise", 2000)]
)
def test_restore_rate_follows_the_plan(shop_client, plan, rate):
    resp = shop_client.control(
        "POST", "/shops", json={"domain": f"{plan}.myshopify.com", "plan": plan}
    )
    body = shop_client.execute(SHOP_QUERY, token=resp.json()["access_token"])
    assert body["extensions"]["cost"]["throttleStatus"]["restoreRate"] == rate


def test_throttle_status_can_be_429(shop_client):
    shop_client.control("POST", "/settings", json={"throttle_http_status": 429})
    shop_client.control("POST", "/faults", json={"throttle_burst": 1})
    resp = post(shop_client, SHOP_QUERY)
    assert resp.status_code == 429
    assert resp.json()["errors"][0]["extensions"]["code"] == "THROTTLED"


def test_fragments_on_abstract_types_cost_their_maximum(shop_client):
    query = """query($id: ID!) { node(id: $id) { id
      ... on Order { customer { id } lineItems(first: 5) { nodes { id } } }
      ... on Product { id } } }"""
    cost = shop_client.execute(query, {"id": "gid://shopify/Order/1"})["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 1 + (2 + 5)  # customer + lineItems; node adds 0
    assert cost["actualQueryCost"] == 0  # nothing found


def test_resolver_errors_carry_path(shop_client):
    body = shop_client.execute('{ orders(first: 1, after: "bad") { nodes { id } } }')
    assert body["errors"][0]["path"] == ["orders"]
    assert body["data"] is None


def test_invalid_variable_values_are_reported(shop_client):
    body = shop_client.execute(
        "query($n: Int) { orders(first: $n) { nodes { id } } }", {"n": "many"}
    )
    assert body["errors"][0]["extensions"]["code"] == "INVALID_VARIABLE"
