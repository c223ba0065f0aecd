"""The app requests exactly the access scopes its GraphQL documents need, and they validate."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from graphql import parse, validate

from clients.shopify_documents import app_documents
from config import DEFAULT_SHOPIFY_SCOPES
from emulators.shopify.schema import admin_schema
from emulators.shopify.scopes import FIELD_SCOPES, document_scopes, granted

DOCUMENTS = app_documents()
TOML = tomllib.loads((Path(__file__).resolve().parents[1] / "shopify.app.toml").read_text())

# Scopes no document selects but a documented workflow needs: backfills read orders older than
# 60 days only with read_all_orders (README, Production deployment;
# https://shopify.dev/docs/api/usage/access-scopes#orders-permissions).
WORKFLOW_SCOPES = {"read_all_orders"}


def needed() -> set[str]:
    """Every scope the app's documents need."""
    return set().union(*(document_scopes(admin_schema(), parse(d)) for d in DOCUMENTS.values()))


def requested() -> dict[str, set[str]]:
    """The scope lists the app requests: config default and shopify.app.toml."""
    return {
        "config.DEFAULT_SHOPIFY_SCOPES": set(DEFAULT_SHOPIFY_SCOPES.split(",")),
        "shopify.app.toml": set(TOML["access_scopes"]["scopes"].split(",")),
    }


def test_the_documents_are_found() -> None:
    names = set(DOCUMENTS)
    assert {
        "clients.shopify_queries.ORDERS_QUERY",
        "clients.shopify_queries.ORDER_QUERY",
        "clients.shopify_bulk.RUN_BULK_QUERY",
        "clients.shopify_bulk.BULK_OPERATION",
        "clients.shopify_bulk_queries.BULK_ORDERS_QUERY",
        "clients.shopify_queries.SHOP_QUERY",
        "clients.shopify_queries.LOCATIONS",
    } <= names
    # every document lives beside the client code that sends it
    assert all(name.startswith("clients.") for name in names), sorted(names)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_validates_against_the_admin_schema(name: str) -> None:
    assert validate(admin_schema(), parse(DOCUMENTS[name])) == []


def test_order_documents_need_what_they_select() -> None:
    orders = document_scopes(
        admin_schema(), parse(DOCUMENTS["clients.shopify_queries.ORDERS_QUERY"])
    )
    assert orders == {"read_orders", "read_customers", "read_products"}
    shop = document_scopes(admin_schema(), parse(DOCUMENTS["clients.shopify_queries.SHOP_QUERY"]))
    assert shop == set()


@pytest.mark.parametrize("where", sorted(requested()))
def test_requested_scopes_cover_every_document(where: str) -> None:
    scopes = granted(",".join(requested()[where]))
    for name, document in DOCUMENTS.items():
        missing = document_scopes(admin_schema(), parse(document)) - scopes
        assert not missing, f"{where} lacks {sorted(missing)} needed by {name}"


@pytest.mark.parametrize("where", sorted(requested()))
def test_no_scope_is_requested_that_nothing_needs(where: str) -> None:
    extra = requested()[where] - needed() - WORKFLOW_SCOPES
    assert not extra, f"{where} requests {sorted(extra)}, which no document or workflow needs"


def test_a_missing_scope_would_be_caught() -> None:
    without = granted(DEFAULT_SHOPIFY_SCOPES.replace("read_customers,", ""))
    assert needed() - without == {"read_customers"}
    assert ("Order", "customer") in FIELD_SCOPES
