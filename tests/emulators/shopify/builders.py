"""Builders and the SDK-backed client the Shopify emulator tests share."""

from __future__ import annotations

import json
from typing import Any

import requests
import shopify

from emulators.common.serve import ServerHandle

API_VERSION = "2025-01"


class ShopClient:
    """Talks to the emulator as an app on one shop, through shopify.GraphQL only."""

    def __init__(self, handle: ServerHandle, shop: str, token: str) -> None:
        self.handle = handle
        self.url = handle.url
        self.shop = shop
        self.token = token

    def session(self, token: str | None = None) -> shopify.Session:
        """A ShopifyAPI session aimed at the emulator (API_NOTES A1, dotted-IP trick)."""
        shopify.Session.setup(protocol="http", myshopify_domain="0.0.1", port=self.handle.port)
        return shopify.Session("127.0.0.1", API_VERSION, token or self.token)

    def execute(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        """Run a document and return the decoded JSON response."""
        shopify.ShopifyResource.activate_session(self.session(token))
        try:
            return json.loads(shopify.GraphQL().execute(query, variables))
        finally:
            shopify.ShopifyResource.clear_session()

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run a document that must succeed and return its data."""
        result = self.execute(query, variables)
        assert "errors" not in result, result
        return result["data"]

    def control(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Call a /_emulator/ endpoint."""
        return requests.request(method, f"{self.url}/_emulator{path}", timeout=10, **kwargs)


def money(amount: str, currency: str = "USD") -> dict[str, Any]:
    """A MoneyBagInput in one currency."""
    return {"shopMoney": {"amount": amount, "currencyCode": currency}}


ORDER_FIELDS = """
  id name displayFinancialStatus taxesIncluded test createdAt processedAt cancelledAt closed
  currencyCode presentmentCurrencyCode
  subtotalPriceSet { ...Bag } currentSubtotalPriceSet { ...Bag } totalDiscountsSet { ...Bag }
  currentTotalDiscountsSet { ...Bag } totalShippingPriceSet { ...Bag }
  currentShippingPriceSet { ...Bag } totalTaxSet { ...Bag } currentTotalTaxSet { ...Bag }
  totalPriceSet { ...Bag } currentTotalPriceSet { ...Bag } totalReceivedSet { ...Bag }
  totalRefundedSet { ...Bag } netPaymentSet { ...Bag } totalOutstandingSet { ...Bag }
  taxLines { title rate priceSet { ...Bag } }
  discountCodes
  lineItems(first: 10) { nodes { id sku quantity currentQuantity title
    originalUnitPriceSet { ...Bag } discountedTotalSet { ...Bag } totalDiscountSet { ...Bag }
    taxLines { rate priceSet { ...Bag } } } }
  shippingLines(first: 5) { nodes { title discountedPriceSet { ...Bag }
    taxLines { priceSet { ...Bag } } } }
  transactions(first: 10) { kind status gateway amountSet { ...Bag } }
  customer { email firstName }
"""
BAG_FRAGMENT = """
fragment Bag on MoneyBag {
  shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }
}"""
ORDER_CREATE = (
    "mutation($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {"
    " orderCreate(order: $order, options: $options) { order {" + ORDER_FIELDS + "}"
    " userErrors { field message code } } }" + BAG_FRAGMENT
)
ORDER_QUERY = "query($id: ID!) { order(id: $id) {" + ORDER_FIELDS + "} }" + BAG_FRAGMENT


def create_order(client: ShopClient, **order: Any) -> dict[str, Any]:
    """orderCreate that must succeed; returns the order."""
    options = order.pop("options", None)
    order.setdefault("lineItems", [{"title": "Widget", "priceSet": money("10.00"), "quantity": 1}])
    payload = client.data(ORDER_CREATE, {"order": order, "options": options})["orderCreate"]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload["order"]


def shop_amount(bag: dict[str, Any]) -> str:
    """The shop-currency amount of a MoneyBag."""
    return bag["shopMoney"]["amount"]


LOCATION_ADD = """mutation { locationAdd(input: {name: "Main", address: {countryCode: US}}) {
  location { id } userErrors { message } } }"""
PRODUCT_SET = """mutation($input: ProductSetInput!) { productSet(input: $input) {
  product { id handle variants(first: 10) { nodes { id sku inventoryItem { id } } } }
  userErrors { field message code } } }"""
