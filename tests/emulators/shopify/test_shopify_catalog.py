"""productSet, productVariants sku: search, locations, inventory items and levels."""

from __future__ import annotations

import pytest

from tests.emulators.shopify.builders import PRODUCT_SET

VARIANTS = """query($q: String) { productVariants(first: 10, query: $q) { nodes { sku } } }"""


def make_product(client, title, skus, location=None):
    """productSet a product with one variant per sku; returns the payload."""
    values = [{"name": f"V{i}"} for i in range(len(skus))]
    variants = [
        {
            "optionValues": [{"optionName": "Kind", "name": f"V{i}"}],
            "sku": sku,
            "price": "5.00",
            **(
                {
                    "inventoryQuantities": [
                        {"locationId": location, "name": "available", "quantity": 3}
                    ]
                }
                if location
                else {}
            ),
        }
        for i, sku in enumerate(skus)
    ]
    return client.data(
        PRODUCT_SET,
        {
            "input": {
                "title": title,
                "productOptions": [{"name": "Kind", "values": values}],
                "variants": variants,
            }
        },
    )["productSet"]


def test_product_set_creates_variants_and_unique_handles(shop_client):
    first = make_product(shop_client, "Crème Brûlée Kit", ["CB-1", "CB-2"])["product"]
    second = make_product(shop_client, "Crème Brûlée Kit", ["CB-3"])["product"]
    assert first["handle"] == "crème-brûlée-kit"
    assert second["handle"] == "crème-brûlée-kit-1"
    assert [v["sku"] for v in first["variants"]["nodes"]] == ["CB-1", "CB-2"]


def test_product_set_replaces_variant_list_on_update(shop_client):
    product = make_product(shop_client, "Tea", ["T-1", "T-2"])["product"]
    keep = product["variants"]["nodes"][0]
    updated = shop_client.data(
        PRODUCT_SET,
        {
            "input": {
                "id": product["id"],
                "productOptions": [{"name": "Kind", "values": [{"name": "A"}]}],
                "variants": [
                    {
                        "id": keep["id"],
                        "sku": "T-1B",
                        "price": "6.00",
                        "optionValues": [{"optionName": "Kind", "name": "A"}],
                    }
                ],
            }
        },
    )
    nodes = updated["productSet"]["product"]["variants"]["nodes"]
    assert [(v["id"], v["sku"]) for v in nodes] == [(keep["id"], "T-1B")]


def test_product_set_user_errors(shop_client):
    missing = shop_client.data(PRODUCT_SET, {"input": {"id": "gid://shopify/Product/9"}})
    assert missing["productSet"]["userErrors"][0]["code"] == "PRODUCT_DOES_NOT_EXIST"
    no_options = shop_client.data(
        PRODUCT_SET,
        {
            "input": {
                "title": "X",
                "variants": [{"optionValues": [{"optionName": "Kind", "name": "A"}], "sku": "X"}],
            }
        },
    )
    assert no_options["productSet"]["userErrors"][0]["code"] == "PRODUCT_OPTIONS_INPUT_MISSING"


SKU_SEARCHES = {
    "bare value": ("sku:ABC-1", ["ABC-1"]),
    "case-insensitive": ("sku:abc-1", ["ABC-1"]),
    "prefix wildcard": ("sku:ABC*", ["ABC-1", "ABC-2"]),
    "double-quoted with spaces": ('sku:"MUG L"', ["MUG L"]),
    "escaped quotes": (r'sku:"MUG \"BARISTA\" CRÈME"', ['MUG "BARISTA" CRÈME']),
    "single-quoted": ("sku:'MUG L'", ["MUG L"]),
    "OR": ("sku:ABC-2 OR sku:'MUG L'", ["ABC-2", "MUG L"]),
    "no match": ("sku:NOPE", []),
}


@pytest.mark.parametrize("query,expected", SKU_SEARCHES.values(), ids=SKU_SEARCHES.keys())
def test_product_variants_sku_search(shop_client, query, expected):
    make_product(shop_client, "Things", ["ABC-1", "ABC-2", "MUG L", 'MUG "BARISTA" CRÈME'])
    nodes = shop_client.data(VARIANTS, {"q": query})["productVariants"]["nodes"]
    assert [n["sku"] for n in nodes] == expected


def test_products_search_and_product_by_id(shop_client):
    made = make_product(shop_client, "Blue Lamp", ["L-1"])["product"]
    make_product(shop_client, "Red Chair", ["C-1"])
    data = shop_client.data('{ products(first: 5, query: "title:Blue*") { nodes { id title } } }')
    assert data["products"]["nodes"] == [{"id": made["id"], "title": "Blue Lamp"}]
    one = shop_client.data(
        "query($id: ID!) { product(id: $id) { title totalInventory } }", {"id": made["id"]}
    )
    assert one["product"] == {"title": "Blue Lamp", "totalInventory": 0}


def test_locations_and_inventory_levels(shop_client, catalog):
    data = shop_client.data("""{ locations(first: 5) { nodes { id name isActive } } }""")
    assert data["locations"]["nodes"] == [
        {"id": catalog["location"], "name": "Main", "isActive": True}
    ]
    item = shop_client.data(
        """query($id: ID!, $loc: ID!) { inventoryItem(id: $id) {
      sku tracked variant { sku } inventoryLevel(locationId: $loc) { id
        quantities(names: ["available", "on_hand"]) { name quantity } } } }""",
        {"id": catalog["item"], "loc": catalog["location"]},
    )["inventoryItem"]
    assert item["sku"] == "MUG-1" and item["tracked"] is True
    assert item["inventoryLevel"]["quantities"] == [
        {"name": "available", "quantity": 10},
        {"name": "on_hand", "quantity": 10},
    ]
    level = shop_client.data(
        """query($id: ID!) { inventoryLevel(id: $id) {
      location { name } item { sku } } }""",
        {"id": item["inventoryLevel"]["id"]},
    )
    assert level["inventoryLevel"] == {"location": {"name": "Main"}, "item": {"sku": "MUG-1"}}


def test_inventory_items_search(shop_client, catalog):
    data = shop_client.data('{ inventoryItems(first: 5, query: "sku:MUG-1") { nodes { id } } }')
    assert data["inventoryItems"]["nodes"] == [{"id": catalog["item"]}]


def test_order_create_can_decrement_inventory(shop_client, catalog):
    from tests.emulators.shopify.builders import create_order

    create_order(
        shop_client,
        lineItems=[{"variantId": catalog["variant"], "quantity": 3}],
        options={"inventoryBehaviour": "DECREMENT_IGNORING_POLICY"},
    )
    create_order(shop_client, lineItems=[{"variantId": catalog["variant"], "quantity": 1}])
    data = shop_client.data(
        "query($id: ID!) { productVariant(id: $id) { inventoryQuantity } }",
        {"id": catalog["variant"]},
    )
    assert data["productVariant"]["inventoryQuantity"] == 7
