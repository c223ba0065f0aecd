"""The order documents for each protected customer data level select only what it covers.

ref: https://shopify.dev/docs/apps/launch/protected-customer-data
"""

from __future__ import annotations

import pytest
from graphql import parse, validate

from clients.shopify_bulk_queries import BULK_ORDERS_QUERY
from clients.shopify_protected import denied_level, order_document
from clients.shopify_queries import ORDER_QUERY, ORDERS_QUERY
from emulators.shopify.protected_data import FULL, approvals, document_needs
from emulators.shopify.schema import admin_schema


@pytest.mark.parametrize("query", [ORDERS_QUERY, ORDER_QUERY, BULK_ORDERS_QUERY])
@pytest.mark.parametrize("level", [0, 1, 2])
def test_each_level_selects_only_what_it_covers(query: str, level: int) -> None:
    document = parse(order_document(query, level))
    assert validate(admin_schema(), document) == []
    assert document_needs(admin_schema(), document) <= approvals(level)
    assert order_document(query, None) == query


def test_the_full_documents_need_every_approval_the_app_uses() -> None:
    needs = document_needs(admin_schema(), parse(ORDERS_QUERY))
    assert needs == FULL - {"phone"}


def test_refusals_name_the_level_left() -> None:
    doc = "https://shopify.dev/docs/apps/launch/protected-customer-data"
    refused = {"extensions": {"code": "ACCESS_DENIED", "documentation": doc}}
    assert denied_level([{**refused, "path": ["orders", "nodes", 0, "customer"]}]) == 0
    assert denied_level([{**refused, "path": ["orders", "nodes", 0, "email"]}]) == 1
    scope = {"extensions": {"code": "ACCESS_DENIED", "documentation": "…/access-scopes"}}
    assert denied_level([{**scope, "path": ["orders"]}]) is None
