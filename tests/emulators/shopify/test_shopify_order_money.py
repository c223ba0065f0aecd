"""orderCreate money: subtotal, discounts, taxes, shipping, totals, presentment currency."""

from __future__ import annotations

import pytest

from tests.emulators.shopify.builders import ORDER_CREATE, create_order, money, shop_amount


def line(price: str, quantity: int = 1, **extra):
    """A custom line item (title + price)."""
    return {
        "title": extra.pop("title", "Item"),
        "priceSet": money(price),
        "quantity": quantity,
        **extra,
    }


def ship(price: str, **extra):
    """A shipping line."""
    return {"title": "Standard", "priceSet": money(price), **extra}


CASES = {
    "fixed discount allocated across lines, order tax computed per line": (
        {
            "lineItems": [line("12.30", 2), line("10.00")],
            "taxLines": [{"title": "State", "rate": "0.06"}],
            "discountCode": {"itemFixedDiscountCode": {"code": "TEN", "amountSet": money("10")}},
            "shippingLines": [ship("5.00")],
        },
        {
            "subtotal": "24.60",
            "discounts": "10.00",
            "tax": "1.48",
            "shipping": "5.00",
            "total": "31.08",
            "lines": ["17.49", "7.11"],
            "line_tax": ["1.05", "0.43"],
        },
    ),
    "percentage discount rounds per line": (
        {
            "lineItems": [line("19.99", 3), line("5.00")],
            "taxLines": [{"title": "NY", "rate": "0.08875"}],
            "discountCode": {"itemPercentageDiscountCode": {"code": "P10", "percentage": 10}},
        },
        {
            "subtotal": "58.47",
            "discounts": "6.50",
            "tax": "5.19",
            "shipping": "0.00",
            "total": "63.66",
            "lines": ["53.97", "4.50"],
            "line_tax": ["4.79", "0.40"],
        },
    ),
    "tax-inclusive prices: tax is inside subtotal and shipping, not added": (
        {
            "taxesIncluded": True,
            "lineItems": [line("12.00")],
            "taxLines": [{"title": "VAT", "rate": "0.2"}],
            "shippingLines": [ship("6.00", taxLines=[{"title": "VAT", "rate": "0.2"}])],
        },
        {
            "subtotal": "12.00",
            "discounts": "0.00",
            "tax": "3.00",
            "shipping": "6.00",
            "total": "18.00",
            "lines": ["12.00"],
            "line_tax": ["2.00"],
        },
    ),
    "free shipping code discounts the shipping line": (
        {
            "lineItems": [line("40.00")],
            "discountCode": {"freeShippingDiscountCode": {"code": "FREESHIP"}},
            "shippingLines": [ship("7.50")],
        },
        {
            "subtotal": "40.00",
            "discounts": "7.50",
            "tax": "0.00",
            "shipping": "7.50",
            "total": "40.00",
            "lines": ["40.00"],
            "line_tax": [],
        },
    ),
    "given tax amount is allocated over taxable lines": (
        {
            "lineItems": [line("10.00"), line("20.00"), line("5.00", taxable=False)],
            "taxLines": [{"title": "GST", "rate": "0.05", "priceSet": money("1.00")}],
        },
        {
            "subtotal": "35.00",
            "discounts": "0.00",
            "tax": "1.00",
            "shipping": "0.00",
            "total": "36.00",
            "lines": ["10.00", "20.00", "5.00"],
            "line_tax": ["0.33", "0.67"],
        },
    ),
    "line-level tax lines and a shipping tax": (
        {
            "lineItems": [line("100.00", taxLines=[{"title": "HST", "rate": "0.13"}])],
            "shippingLines": [ship("10.00", taxLines=[{"title": "HST", "rate": "0.13"}])],
        },
        {
            "subtotal": "100.00",
            "discounts": "0.00",
            "tax": "14.30",
            "shipping": "10.00",
            "total": "124.30",
            "lines": ["100.00"],
            "line_tax": ["13.00"],
        },
    ),
}


@pytest.mark.parametrize("order_input,expected", CASES.values(), ids=CASES.keys())
def test_order_money(shop_client, order_input, expected):
    order = create_order(shop_client, **order_input)
    assert shop_amount(order["subtotalPriceSet"]) == expected["subtotal"]
    assert shop_amount(order["totalDiscountsSet"]) == expected["discounts"]
    assert shop_amount(order["totalTaxSet"]) == expected["tax"]
    assert shop_amount(order["totalShippingPriceSet"]) == expected["shipping"]
    assert shop_amount(order["totalPriceSet"]) == expected["total"]
    assert shop_amount(order["currentTotalPriceSet"]) == expected["total"]
    lines = order["lineItems"]["nodes"]
    assert [shop_amount(li["discountedTotalSet"]) for li in lines] == expected["lines"]
    taxes = [shop_amount(t["priceSet"]) for li in lines for t in li["taxLines"]]
    assert taxes == expected["line_tax"]


def test_order_tax_lines_are_summed_by_title_and_rate(shop_client):
    order = create_order(
        shop_client,
        lineItems=[line("10.00"), line("20.00")],
        taxLines=[{"title": "State", "rate": "0.05"}],
    )
    assert [(t["title"], t["rate"], shop_amount(t["priceSet"])) for t in order["taxLines"]] == [
        ("State", 0.05, "1.50")
    ]


def test_variant_line_takes_price_sku_and_title_from_the_variant(shop_client, catalog):
    order = create_order(shop_client, lineItems=[{"variantId": catalog["variant"], "quantity": 2}])
    li = order["lineItems"]["nodes"][0]
    assert (li["title"], li["sku"]) == ("Mug", "MUG-1")
    assert shop_amount(li["originalUnitPriceSet"]) == "12.30"


def test_presentment_currency_converts_at_shop_rate(shop_client):
    order = create_order(
        shop_client, presentmentCurrency="EUR", lineItems=[line("100.00")], financialStatus="PAID"
    )
    assert order["currencyCode"] == "USD"
    assert order["presentmentCurrencyCode"] == "EUR"
    assert order["totalPriceSet"]["presentmentMoney"] == {"amount": "92.00", "currencyCode": "EUR"}
    assert order["totalPriceSet"]["shopMoney"] == {"amount": "100.00", "currencyCode": "USD"}


def test_explicit_presentment_amounts_are_kept(shop_client):
    price = {
        "shopMoney": {"amount": "10.00", "currencyCode": "USD"},
        "presentmentMoney": {"amount": "13.50", "currencyCode": "CAD"},
    }
    order = create_order(
        shop_client,
        presentmentCurrency="CAD",
        lineItems=[{"title": "T", "priceSet": price, "quantity": 2}],
    )
    assert order["subtotalPriceSet"]["presentmentMoney"]["amount"] == "27.00"


def test_unknown_presentment_currency_is_a_user_error(shop_client):

    payload = shop_client.data(
        ORDER_CREATE, {"order": {"presentmentCurrency": "JPY", "lineItems": [line("1.00")]}}
    )["orderCreate"]
    assert payload["order"] is None
    assert payload["userErrors"][0]["field"] == ["order", "presentmentCurrency"]


def test_order_create_user_errors(shop_client):

    cases = [
        (
            {"lineItems": [{"variantId": "gid://shopify/ProductVariant/999", "quantity": 1}]},
            ["order", "lineItems", "0", "variantId"],
        ),
        ({"lineItems": [line("1.00", 0)]}, ["order", "lineItems", "0", "quantity"]),
        ({"lineItems": []}, ["order", "lineItems"]),
        (
            {"lineItems": [line("1.00")], "processedAt": "2999-01-01T00:00:00Z"},
            ["order", "processedAt"],
        ),
    ]
    for order, field in cases:
        payload = shop_client.data(ORDER_CREATE, {"order": order})["orderCreate"]
        assert payload["userErrors"][0]["field"] == field, order


def test_customer_is_upserted_by_email(shop_client):
    customer = {"toUpsert": {"email": "ann@example.com", "firstName": "Ann"}}
    first = create_order(shop_client, customer=customer)
    second = create_order(shop_client, customer={"toAssociate": {"email": "ann@example.com"}})
    assert (
        first["customer"] == second["customer"] == {"email": "ann@example.com", "firstName": "Ann"}
    )


def test_zero_decimal_shop_currency(shop_client):
    resp = shop_client.control(
        "POST", "/shops", json={"domain": "tokyo.myshopify.com", "currency": "JPY"}
    )
    token = resp.json()["access_token"]
    body = shop_client.execute(
        ORDER_CREATE,
        {
            "order": {
                "lineItems": [line_jpy("1234", 3)],
                "taxLines": [{"title": "JCT", "rate": "0.1"}],
            }
        },
        token=token,
    )
    order = body["data"]["orderCreate"]["order"]
    assert shop_amount(order["subtotalPriceSet"]) == "3702"
    assert shop_amount(order["totalTaxSet"]) == "370"
    assert order["totalPriceSet"]["shopMoney"] == {"amount": "4072", "currencyCode": "JPY"}


def line_jpy(price: str, quantity: int):
    """A custom line priced in yen."""
    return {"title": "Sencha", "priceSet": money(price, "JPY"), "quantity": quantity}


def test_location_names_are_unique(shop_client, catalog):
    body = shop_client.data("""mutation { locationAdd(input: {name: "Main",
      address: {countryCode: US}}) { location { id } userErrors { field message } } }""")
    assert body["locationAdd"]["userErrors"][0]["message"] == "Name has already been taken"


def test_customer_by_id(shop_client):
    order = create_order(
        shop_client, customer={"toUpsert": {"email": "bo@example.com", "lastName": "Bo"}}
    )
    found = shop_client.data(
        """query($q: String) { orders(first: 1, query: $q) {
      nodes { customer { id displayName numberOfOrders } } } }""",
        {"q": f"id:{order['id'][20:]}"},
    )
    customer = found["orders"]["nodes"][0]["customer"]
    again = shop_client.data(
        "query($id: ID!) { customer(id: $id) { email } }", {"id": customer["id"]}
    )
    assert again["customer"] == {"email": "bo@example.com"}
    assert customer["displayName"] == "Bo" and customer["numberOfOrders"] == "1"


def test_shop_facing_currency_can_be_chosen(shop_client):
    order = create_order(
        shop_client,
        currency="CAD",
        presentmentCurrency="EUR",
        lineItems=[{"title": "T", "priceSet": money("13.60", "CAD"), "quantity": 1}],
    )
    assert order["currencyCode"] == "CAD"
    assert order["totalPriceSet"]["shopMoney"] == {"amount": "13.60", "currencyCode": "CAD"}
    # EUR per CAD = 0.92 / 1.36
    assert order["totalPriceSet"]["presentmentMoney"] == {"amount": "9.20", "currencyCode": "EUR"}
    payload = shop_client.data(
        ORDER_CREATE, {"order": {"currency": "CHF", "lineItems": [line("1.00")]}}
    )
    assert payload["orderCreate"]["userErrors"][0]["field"] == ["order", "currency"]


def test_addresses_are_returned_as_mailing_addresses(shop_client):
    address = {
        "firstName": "Ann",
        "lastName": "Lee",
        "company": "Acme",
        "address1": "1 Main St",
        "city": "Toronto",
        "provinceCode": "ON",
        "countryCode": "CA",
        "zip": "M5V",
    }
    order = create_order(shop_client, billingAddress=address, shippingAddress=address)
    data = shop_client.data(
        """query($id: ID!) { order(id: $id) {
      billingAddress { company name countryCodeV2 provinceCode formatted }
      shippingAddress { countryCodeV2 } } }""",
        {"id": order["id"]},
    )["order"]
    assert data["billingAddress"] == {
        "company": "Acme",
        "name": "Ann Lee",
        "countryCodeV2": "CA",
        "provinceCode": "ON",
        "formatted": ["1 Main St", "Toronto", "M5V", "CA"],
    }
    assert data["shippingAddress"] == {"countryCodeV2": "CA"}
