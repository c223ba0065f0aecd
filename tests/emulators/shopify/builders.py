"""Builders and the SDK-backed client the Shopify emulator tests share."""

from __future__ import annotations

from typing import Any

import requests

from emulators.common.serve import ServerHandle
from emulators.shopify import sdk


class ShopClient:
    """Talks to the emulator as an app on one shop, through shopify.GraphQL only."""

    def __init__(self, handle: ServerHandle, shop: str, token: str) -> None:
        self.handle = handle
        self.url = handle.url
        self.shop = shop
        self.token = token

    def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        version: str = sdk.API_VERSION,
    ) -> dict[str, Any]:
        """Run a document through shopify.GraphQL and return the decoded JSON response."""
        return sdk.execute(self.handle.port, token or self.token, query, variables, version)

    def data(
        self, query: str, variables: dict[str, Any] | None = None, version: str = sdk.API_VERSION
    ) -> dict[str, Any]:
        """Run a document that must succeed and return its data."""
        result = self.execute(query, variables, version=version)
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


MARK_AS_PAID = """mutation($id: ID!) { orderMarkAsPaid(input: {id: $id}) {
  order { id } userErrors { message } } }"""


def create_paid_order(client: ShopClient, **order: Any) -> dict[str, Any]:
    """orderCreate, then orderMarkAsPaid (a manual SALE for the total); returns the order."""
    created = create_order(client, **order)
    payload = client.data(MARK_AS_PAID, {"id": created["id"]})["orderMarkAsPaid"]
    assert payload["userErrors"] == [], payload["userErrors"]
    return created


REFUND_CREATE = """mutation($input: RefundInput!) { refundCreate(input: $input) {
  userErrors { message } } }"""


def refund_first_line(client: ShopClient, order: dict[str, Any], amount: str) -> None:
    """refundCreate: one unit of the order's first line, `amount` paid back by hand."""
    line = order["lineItems"]["nodes"][0]["id"]
    refund = {
        "orderId": order["id"],
        "refundLineItems": [{"lineItemId": line, "quantity": 1}],
        "transactions": [
            {"orderId": order["id"], "gateway": "manual", "kind": "REFUND", "amount": amount}
        ],
    }
    payload = client.data(REFUND_CREATE, {"input": refund})["refundCreate"]
    assert payload["userErrors"] == [], payload["userErrors"]
