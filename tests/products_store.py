"""A Shopify catalogue on the emulator and the products workflow run on it (tests and bench)."""

from __future__ import annotations

from typing import Any

import requests

from extensions import db
from jobs import enqueue
from models import Shop, SyncRun, Trigger, Workflow
from services.runs import queue_run
from tests.sales_store import Store

PRODUCT_SET = """mutation($input: ProductSetInput!) { productSet(input: $input) {
  product { id variants(first: 250) { nodes { id sku } } }
  userErrors { field message code } } }"""
PRODUCT_DELETE = """mutation($id: ID!) { productDelete(input: {id: $id}) {
  deletedProductId userErrors { message } } }"""

# (option value, SKU, price, unit cost)
Variant = tuple[str, str | None, str, str | None]


def product_input(
    title: str,
    variants: list[Variant],
    product_id: str | None = None,
    variant_ids: list[str] | None = None,
) -> dict:
    """A ProductSetInput with one option ("Size") and these variants (`variant_ids` keep
    existing variants: productSet replaces the variant list)."""
    ids = variant_ids or [None] * len(variants)
    return {
        **({"id": product_id} if product_id else {}),
        "title": title,
        "productOptions": [{"name": "Size", "values": [{"name": v[0]} for v in variants]}],
        "variants": [
            {
                **({"id": vid} if vid else {}),
                "optionValues": [{"optionName": "Size", "name": value}],
                "price": price,
                "inventoryItem": {"sku": sku, **({"cost": cost} if cost else {})},
            }
            for (value, sku, price, cost), vid in zip(variants, ids, strict=True)
        ],
    }


def set_product(
    store: Store,
    title: str,
    variants: list[Variant],
    product_id: str | None = None,
    variant_ids: list[str] | None = None,
) -> dict[str, Any]:
    """Create (or replace) a product; its id and variants."""
    product = product_input(title, variants, product_id, variant_ids)
    data = store.owner.execute(PRODUCT_SET, {"input": product})
    result = data["data"]["productSet"]
    assert result["userErrors"] == [], result["userErrors"]
    return result["product"]


def delete_product(store: Store, product_id: str) -> None:
    """Delete a product in Shopify."""
    result = store.owner.execute(PRODUCT_DELETE, {"id": product_id})["data"]["productDelete"]
    assert result["userErrors"] == [], result["userErrors"]


def run_products(worker, shop_domain: str, **params: Any) -> SyncRun:
    """Queue a products run and let a real worker execute it."""
    shop = Shop.by_domain(shop_domain)
    assert shop is not None
    run = queue_run(shop.id, Workflow.PRODUCTS, Trigger.MANUAL, params=params)
    enqueue("sync", "jobs.products_job.sync_products", shop.id, run.id, shop_domain=shop_domain)
    worker.run()
    db.session.expire_all()
    found = db.session.get(SyncRun, run.id)
    assert found is not None
    return found


def metered(qbo_url: str, reset: bool = False) -> dict[str, int]:
    """QBO reads and writes since the last reset (a batch counts its operations)."""
    method = "DELETE" if reset else "GET"
    return requests.request(method, f"{qbo_url}/_emulator/metered", timeout=10).json()
