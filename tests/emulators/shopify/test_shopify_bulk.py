"""Bulk query operations through shopify.GraphQL: rules, status, JSONL format, cancel."""

from __future__ import annotations

import json
import time

import pytest
import requests

from emulators.shopify import sdk
from tests.emulators.shopify.builders import ShopClient, create_order, money

RUN = """mutation($q: String!) { bulkOperationRunQuery(query: $q) {
  bulkOperation { id status objectCount url query } userErrors { field message code } } }"""
RUN_UNGROUPED = RUN.replace("(query: $q)", "(query: $q, groupObjects: false)")
CURRENT = """{ currentBulkOperation { id status errorCode objectCount rootObjectCount fileSize url
  partialDataUrl createdAt completedAt query } }"""
NODE = (
    """query($id: ID!) { node(id: $id) { ... on BulkOperation { id status objectCount url } } }"""
)
CANCEL = """mutation($id: ID!) { bulkOperationCancel(id: $id) {
  bulkOperation { id status } userErrors { field message } } }"""
ORDERS_WITH_LINES = """{ orders { edges { node { id name
  lineItems { edges { node { id title quantity } } } } } } }"""


def line(title: str, quantity: int, price: str) -> dict:
    """A custom line item input."""
    return {"title": title, "quantity": quantity, "priceSet": money(price)}


@pytest.fixture
def orders(shop_client: ShopClient) -> list[str]:
    """Two orders: two lines and one line."""
    first = create_order(shop_client, lineItems=[line("A", 1, "1.00"), line("B", 2, "2.00")])
    second = create_order(shop_client, lineItems=[line("C", 3, "3.00")])
    return [first["id"], second["id"]]


def run(client: ShopClient, query: str, document: str = RUN, version: str = "2025-01") -> dict:
    """bulkOperationRunQuery's payload."""
    return client.data(document, {"q": query}, version=version)["bulkOperationRunQuery"]


def download(url: str) -> list[dict]:
    """The JSONL result as objects, fetched without a token."""
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    return [json.loads(raw) for raw in response.text.splitlines()]


def test_children_follow_their_parent_with_parent_id(shop_client, orders) -> None:
    started = run(shop_client, ORDERS_WITH_LINES)
    assert started["userErrors"] == []
    assert started["bulkOperation"]["status"] == "CREATED"
    current = shop_client.data(CURRENT)["currentBulkOperation"]
    assert current["status"] == "COMPLETED" and current["id"] == started["bulkOperation"]["id"]
    assert (current["objectCount"], current["rootObjectCount"]) == ("5", "2")
    assert current["query"] == ORDERS_WITH_LINES and current["completedAt"]
    rows = download(current["url"])
    assert int(current["fileSize"]) == len(requests.get(current["url"], timeout=10).content)
    assert [row.get("__parentId") for row in rows] == [None, orders[0], orders[0], None, orders[1]]
    assert rows[0] == {"id": orders[0], "name": "#1001"}  # no nested connection inline
    assert rows[1]["title"] == "A" and rows[4] == {
        "id": rows[4]["id"],
        "title": "C",
        "quantity": 3,
        "__parentId": orders[1],
    }


def test_ungrouped_output_lists_parents_before_children(shop_client, orders) -> None:
    # groupObjects is an argument from 2025-07 (emulators/shopify/versions.py).
    started = run(shop_client, ORDERS_WITH_LINES, RUN_UNGROUPED, "2025-07")["bulkOperation"]
    node = shop_client.data(NODE, {"id": started["id"]})["node"]
    parents = [row.get("__parentId") for row in download(node["url"])]
    assert parents == [None, None, orders[0], orders[0], orders[1]]


def test_default_grouping_follows_the_api_version(shop_client, orders) -> None:
    for version, grouped in (("2025-01", True), ("2026-01", False)):
        sdk.execute(
            shop_client.handle.port, shop_client.token, RUN, {"q": ORDERS_WITH_LINES}, version
        )
        url = shop_client.data(CURRENT)["currentBulkOperation"]["url"]
        second = download(url)[1]
        assert ("__parentId" in second) is grouped, version


def test_nested_connections_take_no_first_and_lists_stay_inline(shop_client) -> None:
    lines = [line(f"L{n}", 1, "1.00") for n in range(300)]  # more than one 250-item page
    create_order(
        shop_client,
        lineItems=lines,
        transactions=[
            {"kind": "SALE", "status": "SUCCESS", "gateway": "manual", "amountSet": money("300.00")}
        ],
    )
    query = "{ orders { nodes { id transactions { kind } lineItems { nodes { id } } } } }"
    run(shop_client, query)
    rows = download(shop_client.data(CURRENT)["currentBulkOperation"]["url"])
    assert len(rows) == 301 and rows[0]["transactions"] == [{"kind": "SALE"}]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ shop { name } }", "Bulk queries must contain at least one connection."),
        (
            "{ products { nodes { id variants { nodes { id } } media { nodes { id } } "
            "collections { nodes { id } } } } orders { nodes { id lineItems { nodes { id } } } } }",
            "Bulk queries cannot contain more than 5 connections.",
        ),
        (
            "{ orders { nodes { id refunds { id } lineItems { nodes { id variant { id "
            "product { id variants { nodes { id } } } } } } } } }",
            "Bulk queries cannot contain connections with a nesting depth greater than 2.",
        ),
        ('{ node(id: "gid://shopify/Order/1") { id } }', "The top-level 'node' and 'nodes'"),
        ("{ orders { nodes { lineItems { nodes { id } } } } }", "must select the 'id' field"),
        ("{ orders { nodes { nope } } }", "Invalid bulk query: "),
        ("{ orders { nodes { id }", "Invalid bulk query: Syntax Error"),
        (
            'mutation { locationAdd(input: {name: "x", address: {countryCode: US}}) '
            "{ location { id } } }",
            "single query",
        ),
    ],
)
def test_invalid_queries_are_user_errors(shop_client, query: str, message: str) -> None:
    payload = run(shop_client, query)
    assert payload["bulkOperation"] is None
    assert payload["userErrors"][0]["field"] == ["query"]
    assert payload["userErrors"][0]["code"] == "INVALID"
    assert message in payload["userErrors"][0]["message"]


def test_one_bulk_query_at_a_time_while_running(shop_client, orders) -> None:
    shop_client.control("POST", "/settings", json={"bulk_delay": 0.3}).raise_for_status()
    first = run(shop_client, ORDERS_WITH_LINES)["bulkOperation"]
    node = shop_client.data(NODE, {"id": first["id"]})["node"]
    assert node["status"] == "RUNNING" and node["url"] is None and node["objectCount"] == "0"
    second = run(shop_client, ORDERS_WITH_LINES)
    assert second["bulkOperation"] is None
    assert second["userErrors"][0]["code"] == "OPERATION_IN_PROGRESS"
    time.sleep(0.35)
    assert shop_client.data(NODE, {"id": first["id"]})["node"]["status"] == "COMPLETED"
    assert run(shop_client, ORDERS_WITH_LINES)["userErrors"] == []


def test_cancel_a_running_operation(shop_client, orders) -> None:
    shop_client.control("POST", "/settings", json={"bulk_delay": 5}).raise_for_status()
    started = run(shop_client, ORDERS_WITH_LINES)["bulkOperation"]
    canceled = shop_client.data(CANCEL, {"id": started["id"]})["bulkOperationCancel"]
    assert canceled["userErrors"] == [] and canceled["bulkOperation"]["status"] == "CANCELING"
    current = shop_client.data(CURRENT)["currentBulkOperation"]
    assert current["status"] == "CANCELED" and current["url"] is None
    again = shop_client.data(CANCEL, {"id": started["id"]})["bulkOperationCancel"]
    assert "cannot be canceled" in again["userErrors"][0]["message"]
    assert run(shop_client, ORDERS_WITH_LINES)["userErrors"] == []


def test_empty_result_has_no_url_and_costs_like_a_mutation(shop_client) -> None:
    result = shop_client.execute(RUN, {"q": ORDERS_WITH_LINES})
    # 10 + bulkOperation (1) + userErrors (1); https://shopify.dev/docs/api/usage/limits#cost-calculation
    assert result["extensions"]["cost"]["requestedQueryCost"] == 12
    current = shop_client.data(CURRENT)["currentBulkOperation"]
    assert current["status"] == "COMPLETED" and current["objectCount"] == "0"
    assert current["url"] is None and current["fileSize"] is None


def test_no_current_operation_and_unknown_download(shop_client) -> None:
    assert shop_client.data(CURRENT)["currentBulkOperation"] is None
    assert requests.get(f"{shop_client.url}/_bulk/999.jsonl", timeout=10).status_code == 404
