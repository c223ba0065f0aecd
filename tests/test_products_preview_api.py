"""The products preview for the Products page (POST /api/sync/products/preview, then GET
…/preview/<run>): a dry run on the worker saying what each variant would become, writing nothing."""

from __future__ import annotations

import pytest

from extensions import db
from models import LedgerEntry
from tests.products_store import set_product
from tests.sales_store import Store
from tests.test_products_sync import items

SHOP = "products-preview.myshopify.com"


@pytest.fixture
def store(make_store) -> Store:
    """Two products, one of whose variants has no SKU."""

    def catalogue(store: Store) -> None:
        set_product(store, "Lamp", [("Default Title", "LAMP-1", "30.00", "11.00")])
        set_product(store, "Shade", [("Default Title", None, "8.00", None)])

    return make_store(SHOP, orders=catalogue, sales={"sku_match_field": "sku"})


def test_preview_says_what_each_variant_would_become_and_writes_nothing(store, merchant) -> None:
    owner = merchant(SHOP)
    queued = owner.api("POST", "/api/sync/products/preview")
    assert queued.status_code == 202
    run = queued.get_json()
    assert run["workflow"] == "products" and run["dry_run"] is True
    owner.worker.run()

    answer = owner.api("GET", f"/api/sync/products/preview/{run['id']}").get_json()
    assert answer["run"]["status"] == "partial"  # one variant would fail
    preview = answer["preview"]
    assert preview["totals"] == {"fail": 1, "create": 1, "update": 0, "link": 0, "unchanged": 0}
    assert preview["currency"] == "USD"  # the prices', read from the store
    failing, creating = preview["variants"]  # failures first
    assert failing["outcome"] == "fail" and "no SKU" in failing["reason"] and failing["fix"]
    assert creating == {
        "variant": "Lamp",
        "sku": "LAMP-1",
        "outcome": "create",
        "name": "Lamp (LAMP-1)",
        "type": creating["type"],
        "price": "30.00",
        "qbo_item_id": None,
    }
    assert "Lamp (LAMP-1)" not in items(SHOP)
    assert db.session.query(LedgerEntry).count() == 0
    counts = owner.api("GET", f"/api/runs/{run['id']}").get_json()["counts"]
    assert counts["created"] == 1 and counts["failed"] == 1


def test_a_sales_preview_is_not_read_as_a_products_one(store, merchant) -> None:
    owner = merchant(SHOP)
    sales = owner.api("POST", "/api/sync/sales/preview").get_json()
    assert owner.api("GET", f"/api/sync/products/preview/{sales['id']}").status_code == 404
