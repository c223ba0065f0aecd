"""The order queries validate against Shopify's 2025-01 schema and stay within the cost limit."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

import graphql
import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

from clients.shopify_queries import ORDER_QUERY, ORDERS_PAGE_SIZE, ORDERS_QUERY
from emulators.shopify.cost import MAX_QUERY_COST, CostContext, operation_cost

SCHEMA = Path(__file__).parents[1] / "emulators" / "shopify" / "schema" / "admin_2025-01.json.gz"


@lru_cache
def schema() -> graphql.GraphQLSchema:
    """The Admin API 2025-01 schema from its introspection result."""
    with gzip.open(SCHEMA) as f:
        return graphql.build_client_schema(json.load(f)["data"], assume_valid=True)


def requested_cost(document: str, variables: dict[str, int | str]) -> int:
    """Shopify's requested cost of the query, variable defaults applied."""
    doc = parse(document)
    op = next(d for d in doc.definitions if isinstance(d, OperationDefinitionNode))
    frags = {d.name.value: d for d in doc.definitions if isinstance(d, FragmentDefinitionNode)}
    values = {
        v.variable.name.value: int(v.default_value.value)
        for v in op.variable_definitions
        if v.default_value is not None
    }
    return operation_cost(CostContext(schema(), frags, {**values, **variables}), op)


@pytest.mark.parametrize("document", [ORDERS_QUERY, ORDER_QUERY], ids=["orders", "order"])
def test_query_validates_against_the_admin_schema(document):
    assert graphql.validate(schema(), parse(document)) == []


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (ORDER_QUERY, {"id": "gid://shopify/Order/1"}),
        (ORDERS_QUERY, {"first": ORDERS_PAGE_SIZE}),
    ],
)
def test_query_cost_keeps_a_quarter_below_shopifys_limit(document, variables):
    assert 100 < requested_cost(document, variables) <= MAX_QUERY_COST * 3 // 4
