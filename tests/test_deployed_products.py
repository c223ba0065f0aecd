"""Deployed: workers SIGKILLed again and again while a catalogue becomes QBO items (and replaced,
as Heroku would) — the watchdog's follow-up run finishes by itself: one item per variant."""

from __future__ import annotations

from collections import Counter

from quickbooks.objects.item import Item

from models import Shop
from services.quickbooks_connection import client_for
from tests.deployed import deploy_shop, kill_busy_workers, open_runs, settled
from tests.products_store import set_product
from tests.sales_store import Store

SHOP = "crashy-catalogue.myshopify.com"
PRODUCTS = 30  # of 4 sizes: 120 variants, four QBO batches


def test_workers_killed_mid_catalogue_duplicate_no_item(
    deployment, shopify_emulator, qbo_emulator, session_token, merchant
) -> None:
    store = Store(shopify_emulator, SHOP)
    for n in range(PRODUCTS):
        set_product(store, f"Pot {n}", [(s, f"POT-{n}-{s}", "6.00", None) for s in "SMLX"])
    web = deploy_shop(deployment, merchant(SHOP), workers=2, sku_match_field="sku")
    web.put_settings({"products": {"enabled": True}})
    shop_id = Shop.by_domain(SHOP).id
    qbo_emulator.control(
        "POST", "faults", latency_ms=400, only_endpoint="/batch"
    ).raise_for_status()
    assert web.api("POST", "/api/sync/products").status_code == 202
    kill_busy_workers(deployment, shop_id, PRODUCTS * 4, kills=2)
    qbo_emulator.control("POST", "faults").raise_for_status()
    settled(deployment, timeout=60, done=lambda: not open_runs(shop_id))
    qb = client_for(Shop.by_domain(SHOP).quickbooks_connection)
    skus = Counter(
        i.Sku for i in Item.all(max_results=1000, qb=qb) if (i.Sku or "").startswith("POT-")
    )
    assert skus == Counter({f"POT-{n}-{s}": 1 for n in range(PRODUCTS) for s in "SMLX"})
