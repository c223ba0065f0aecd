"""The demo store seeded through the GraphQL API, and the demo template."""

from __future__ import annotations

from emulators.shopify.templates import DEMO_SHOP, DEMO_TOKEN

SUMMARY = """{ shop { name } products(first: 50) { nodes { title } }
  locations(first: 5) { nodes { name } }
  orders(first: 250, sortKey: CREATED_AT) { nodes { name createdAt test presentmentCurrencyCode
    taxesIncluded displayFinancialStatus paymentGatewayNames cancelledAt } } }"""


def seed_small(shop_client, orders=60):
    """Seed the test shop with a small deterministic demo store; returns its summary."""
    from emulators.shopify.seed import seed_store

    seed_store(shop_client.url, shop_client.handle.port, shop_client.token, orders=orders)
    return shop_client.data(SUMMARY)


def test_seed_builds_a_realistic_store(shop_client):
    data = seed_small(shop_client)
    titles = [p["title"] for p in data["products"]["nodes"]]
    assert len(titles) == 20 and 'Café "Barista" Mug — Crème' in titles
    assert data["locations"]["nodes"] == [{"name": "Main Warehouse"}]
    orders = data["orders"]["nodes"]
    assert len(orders) == 60
    statuses = {o["displayFinancialStatus"] for o in orders}
    assert "PAID" in statuses and statuses & {"REFUNDED", "PARTIALLY_REFUNDED"}
    assert any(o["test"] for o in orders)
    assert any(o["presentmentCurrencyCode"] == "EUR" and o["taxesIncluded"] for o in orders)
    gateways = {g for o in orders for g in o["paymentGatewayNames"]}
    assert {"shopify_payments", "paypal"} <= gateways
    days = {o["createdAt"][:10] for o in orders}
    assert len(days) > 20  # spread over the last 90 days by moving the emulator clock


def test_seed_is_deterministic(shop_client):
    first = seed_small(shop_client, orders=15)
    shop_client.control("POST", "/reset")
    shop_client.control(
        "POST", "/shops", json={"domain": shop_client.shop, "token": shop_client.token}
    )
    second = seed_small(shop_client, orders=15)
    strip = [(o["name"], o["displayFinancialStatus"]) for o in first["orders"]["nodes"]]
    assert strip == [(o["name"], o["displayFinancialStatus"]) for o in second["orders"]["nodes"]]


def test_sku_with_quotes_and_accents_is_searchable(shop_client):
    seed_small(shop_client, orders=1)
    data = shop_client.data(r"""{ productVariants(first: 2,
      query: "sku:\"MUG-\\\"BARISTA\\\"-CRÈME\"") { nodes { sku } } }""")
    assert data["productVariants"]["nodes"] == [{"sku": 'MUG-"BARISTA"-CRÈME'}]


def test_empty_template_gives_the_demo_shop_and_token(shop_client):
    shop_client.control("POST", "/template", json={"name": "empty"})
    body = shop_client.execute("{ shop { myshopifyDomain } }", token=DEMO_TOKEN)
    assert body["data"]["shop"]["myshopifyDomain"] == DEMO_SHOP


def test_demo_template_seeds_over_http_while_serving(shop_client, monkeypatch):
    from emulators.shopify import templates

    monkeypatch.setattr(templates, "DEMO_ORDERS", 12)  # the sandbox default is 300
    assert shop_client.control("POST", "/template", json={"name": "demo"}).status_code == 200
    data = shop_client.execute(
        "{ ordersCount { count } products(first: 1) { nodes { id } } }", token=DEMO_TOKEN
    )["data"]
    assert data["ordersCount"]["count"] == 12 and data["products"]["nodes"]
    assert shop_client.control("GET", "/requests").json()["total"] == 1  # seeding not logged
