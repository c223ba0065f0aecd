"""The catalogue documents validate against the Admin schema and stay within the cost limit."""

from __future__ import annotations

import pytest
from graphql import parse, validate

from clients.shopify_products import (
    BULK_PRODUCTS_QUERY,
    PRODUCT_VARIANTS_QUERY,
    PRODUCTS_PER_PAGE,
    PRODUCTS_QUERY,
    VARIANTS_PER_PAGE,
    VARIANTS_PER_PRODUCT,
    bulk_products_query,
)
from emulators.shopify.bulk import check_query
from emulators.shopify.cost import MAX_QUERY_COST
from sync.products.reading import Scope, product_filter
from tests.test_shopify_query_cost import requested_cost, schema


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (PRODUCTS_QUERY, {"first": PRODUCTS_PER_PAGE, "variants": VARIANTS_PER_PRODUCT}),
        (PRODUCT_VARIANTS_QUERY, {"first": VARIANTS_PER_PAGE}),
    ],
    ids=["products", "variants"],
)
def test_pages_keep_a_quarter_below_shopifys_cost_limit(document, variables) -> None:
    assert 100 < requested_cost(document, variables) <= MAX_QUERY_COST * 3 // 4


def test_the_bulk_query_keeps_shopifys_bulk_rules() -> None:
    search = product_filter(Scope(cursor="2026-11-30T10:00:00Z"))
    assert search == "updated_at:>='2026-11-30T10:00:00Z'"
    for document in (BULK_PRODUCTS_QUERY, bulk_products_query(search)):
        assert validate(schema(), parse(document)) == []
        assert check_query(document)[1] == []
