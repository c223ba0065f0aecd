"""Every GraphQL document the app sends to Shopify, collected in one place (scopes, validation).

Module-level string constants of clients/, jobs/ and blueprints/ that hold a GraphQL operation
are found by parsing; documents built at run time are listed in `generated()`.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from graphql import GraphQLSyntaxError, OperationDefinitionNode, parse

# Documents live in clients/; the rest of the product is searched too, so one sent from anywhere
# else is still validated (and the tests say it belongs in clients/).
PACKAGES = ("clients", "jobs", "blueprints", "services", "sync", "cli")
ROOT = Path(__file__).resolve().parents[1]


def _is_operation(text: str) -> bool:
    """True when `text` parses as GraphQL and holds at least one operation."""
    head = text.lstrip()
    if not head.startswith(("query", "mutation", "{")):
        return False
    try:
        document = parse(text)
    except GraphQLSyntaxError:
        return False
    return any(isinstance(d, OperationDefinitionNode) for d in document.definitions)


def constants() -> dict[str, str]:
    """module.NAME → document, for every operation held in a module-level constant."""
    found: dict[str, str] = {}
    for package in PACKAGES:
        for info in pkgutil.walk_packages([str(ROOT / package)], prefix=f"{package}."):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                imported = value in found.values()  # a document another module defines
                if name.isupper() and isinstance(value, str) and not imported:
                    if _is_operation(value):
                        found[f"{module.__name__}.{name}"] = value
    return found


def generated() -> dict[str, str]:
    """Documents built at run time, one per shape the app can send."""
    from clients.shopify_bulk_queries import bulk_orders_query

    docs = {"clients.shopify_bulk_queries.bulk_orders_query": bulk_orders_query("status:any")}
    try:
        reader = importlib.import_module("clients.shopify_order_read")
        from clients.shopify_queries import CONNECTIONS
    except ImportError:  # the order reader pages inner connections only in newer trees
        return docs
    for name in CONNECTIONS:
        docs[f"clients.shopify_order_read.page_query({name})"] = reader.page_query(name)
    return docs


def app_documents() -> dict[str, str]:
    """Every document the app sends: constants plus generated ones."""
    return {**constants(), **generated()}
