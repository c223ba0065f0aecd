"""orders / order / node: search filters, sort keys, cursor pagination, gids."""

from __future__ import annotations

import pytest

from tests.emulators.shopify.builders import create_order, money

LIST = """query($q: String, $first: Int, $after: String, $sort: OrderSortKeys, $rev: Boolean) {
  orders(first: $first, after: $after, query: $q, sortKey: $sort, reverse: $rev) {
    edges { cursor node { id name createdAt updatedAt processedAt test displayFinancialStatus } }
    pageInfo { hasNextPage hasPreviousPage endCursor } } }"""


def names(client, query=None, first=50, sort=None, reverse=None):
    """Order names matching a search."""
    data = client.data(LIST, {"q": query, "first": first, "sort": sort, "rev": reverse})
    return [e["node"]["name"] for e in data["orders"]["edges"]]


@pytest.fixture
def history(shop_client):
    """Five orders created on five days of January 2030 (clock moved between them)."""
    days = ["2030-01-01", "2030-01-02", "2030-01-03", "2030-01-04", "2030-01-05"]
    for i, day in enumerate(days):
        shop_client.control("POST", "/clock", json={"now": f"{day}T12:00:00Z"})
        extra = {
            0: {"financialStatus": "PAID"},
            1: {"test": True, "financialStatus": "PAID"},
            2: {},
            3: {
                "transactions": [
                    {"gateway": "manual", "kind": "AUTHORIZATION", "amountSet": money("10.00")}
                ]
            },
            4: {"financialStatus": "PAID", "processedAt": "2029-12-01T00:00:00Z"},
        }[i]
        create_order(shop_client, **extra)
    return shop_client


FILTERS = {
    "created_at >": ("created_at:>2030-01-03", ["#1004", "#1005"]),
    "created_at >=": ("created_at:>=2030-01-03", ["#1003", "#1004", "#1005"]),
    "created_at <": ("created_at:<2030-01-02", ["#1001"]),
    "created_at <= datetime": ("created_at:<='2030-01-02T13:00:00Z'", ["#1001", "#1002"]),
    "created_at range": ("created_at:>=2030-01-02 created_at:<2030-01-04", ["#1002", "#1003"]),
    "updated_at": ("updated_at:>2030-01-04", ["#1005"]),
    "financial_status": ("financial_status:paid", ["#1001", "#1002", "#1005"]),
    "financial_status other": ("financial_status:authorized", ["#1004"]),
    "test": ("test:true", ["#1002"]),
    "not test": ("test:false", ["#1001", "#1003", "#1004", "#1005"]),
    "OR": ("financial_status:pending OR financial_status:authorized", ["#1003", "#1004"]),
    "NOT": ("-financial_status:paid", ["#1003", "#1004"]),
    "unknown field ignored": ("bogus:1", ["#1001", "#1002", "#1003", "#1004", "#1005"]),
    "name": ("name:#1003", ["#1003"]),
    "parentheses": ("(financial_status:pending OR test:true) created_at:>2030-01-02", ["#1003"]),
    "NOT keyword": ("NOT test:true AND financial_status:paid", ["#1001", "#1005"]),
}


@pytest.mark.parametrize("query,expected", FILTERS.values(), ids=FILTERS.keys())
def test_order_search_filters(history, query, expected):
    assert names(history, query) == expected


def test_status_filter_follows_cancel_and_close(history):
    order_id = history.data(LIST, {"q": "name:#1003", "first": 1})["orders"]["edges"][0]
    history.data(
        """mutation($id: ID!) { orderCancel(orderId: $id, refund: false,
      restock: false, reason: OTHER) { orderCancelUserErrors { message } } }""",
        {"id": order_id["node"]["id"]},
    )
    assert names(history, "status:cancelled") == ["#1003"]
    assert names(history, "status:open") == ["#1001", "#1002", "#1004", "#1005"]
    assert names(history, "status:closed") == ["#1003"]


def test_sort_keys_and_reverse(history):
    assert names(history, sort="PROCESSED_AT") == ["#1005", "#1001", "#1002", "#1003", "#1004"]
    assert names(history, sort="CREATED_AT", reverse=True) == [
        "#1005",
        "#1004",
        "#1003",
        "#1002",
        "#1001",
    ]
    assert names(history, sort="ID") == ["#1001", "#1002", "#1003", "#1004", "#1005"]
    default = history.data("{ orders(first: 5) { nodes { name } } }")["orders"]["nodes"]
    assert [n["name"] for n in default] == ["#1005", "#1001", "#1002", "#1003", "#1004"]


def test_cursor_pagination_walks_every_page(history):
    seen, after, pages = [], None, 0
    while True:
        data = history.data(LIST, {"first": 2, "after": after, "sort": "ID"})["orders"]
        seen += [e["node"]["name"] for e in data["edges"]]
        pages += 1
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert seen == ["#1001", "#1002", "#1003", "#1004", "#1005"]
    assert pages == 3


def test_page_size_is_limited_to_250_and_required(history):
    body = history.execute(LIST, {"first": 251})
    assert "between 0 and 250" in body["errors"][0]["message"]
    body = history.execute("{ orders { edges { node { id } } } }")
    assert body["errors"][0]["message"] == "you must provide one of first or last"
    assert len(names(history, first=250)) == 5


def test_bad_cursor_is_an_error(history):
    body = history.execute(LIST, {"first": 2, "after": "nonsense"})
    assert "Invalid cursor" in body["errors"][0]["message"]


def test_order_and_node_by_gid(history):
    first = history.data(LIST, {"first": 1, "sort": "ID"})["orders"]["edges"][0]["node"]
    assert first["id"].startswith("gid://shopify/Order/")
    one = history.data("query($id: ID!) { order(id: $id) { name } }", {"id": first["id"]})
    assert one["order"]["name"] == "#1001"
    node = history.data(
        "query($id: ID!) { node(id: $id) { __typename ... on Order { name } } }",
        {"id": first["id"]},
    )
    assert node["node"] == {"__typename": "Order", "name": "#1001"}
    missing = history.data('{ order(id: "gid://shopify/Order/999999") { id } }')
    assert missing["order"] is None


def test_orders_count(history):
    data = history.data('{ ordersCount(query: "financial_status:paid") { count precision } }')
    assert data["ordersCount"] == {"count": 3, "precision": "EXACT"}


def test_bare_date_equality_matches_the_whole_day(history):
    assert names(history, "created_at:2030-01-03") == ["#1003"]


def test_last_and_before_page_backwards(history):
    query = """query($before: String) { orders(last: 2, before: $before, sortKey: ID) {
      nodes { name } pageInfo { hasPreviousPage startCursor } } }"""
    page = history.data(query)["orders"]
    assert [n["name"] for n in page["nodes"]] == ["#1004", "#1005"]
    assert page["pageInfo"]["hasPreviousPage"] is True
    earlier = history.data(query, {"before": page["pageInfo"]["startCursor"]})["orders"]
    assert [n["name"] for n in earlier["nodes"]] == ["#1002", "#1003"]


def test_nodes_resolves_mixed_gids(history, catalog):
    first = history.data(LIST, {"first": 1, "sort": "ID"})["orders"]["edges"][0]["node"]["id"]
    query = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"""
    ids = [
        first,
        catalog["product"],
        catalog["variant"],
        catalog["item"],
        catalog["location"],
        "gid://shopify/Order/424242",
    ]
    nodes = history.data(query, {"ids": ids})["nodes"]
    assert [n["__typename"] if n else None for n in nodes] == [
        "Order",
        "Product",
        "ProductVariant",
        "InventoryItem",
        "Location",
        None,
    ]
