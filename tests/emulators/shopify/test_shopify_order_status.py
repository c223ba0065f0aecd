"""displayFinancialStatus, refunds (current totals), orderCancel, @idempotent refundCreate."""

from __future__ import annotations

import pytest

from tests.emulators.shopify.builders import (
    ORDER_QUERY,
    create_order,
    create_paid_order,
    money,
    shop_amount,
)

WIDGETS = [
    {"title": "Widget", "sku": "W-1", "priceSet": money("10.00"), "quantity": 2},
    {"title": "Gadget", "sku": "G-1", "priceSet": money("5.00"), "quantity": 1},
]
TAX = [{"title": "State", "rate": "0.1"}]
SHIPPING = [{"title": "Std", "priceSet": money("4.00")}]
REFUND = """mutation($input: RefundInput!) { refundCreate(input: $input) @idempotent(key: "%s") {
  refund { id totalRefundedSet { shopMoney { amount } }
    refundLineItems(first: 5) { nodes { quantity subtotalSet { shopMoney { amount } }
      totalTaxSet { shopMoney { amount } } } } }
  userErrors { field message } } }"""
CANCEL = """mutation($id: ID!, $refund: Boolean!) { orderCancel(orderId: $id, refund: $refund,
  restock: true, reason: CUSTOMER) { job { id done } orderCancelUserErrors { code message } } }"""


def sale(amount: str, kind: str = "SALE", status: str = "SUCCESS", gateway: str = "paypal"):
    """A transaction input."""
    return {"kind": kind, "status": status, "gateway": gateway, "amountSet": money(amount)}


STATUS_CASES = {
    "no transactions": ({}, "PENDING"),
    "paid in full": ({"transactions": [sale("22.00")]}, "PAID"),
    "paid in part": ({"transactions": [sale("10.00")]}, "PARTIALLY_PAID"),
    "authorized": ({"transactions": [sale("22.00", kind="AUTHORIZATION")]}, "AUTHORIZED"),
    "failed sale": ({"transactions": [sale("22.00", status="FAILURE")]}, "PENDING"),
    "financialStatus PAID": ({"financialStatus": "PAID"}, "PAID"),
    "financialStatus PENDING": ({"financialStatus": "PENDING"}, "PENDING"),
}


@pytest.mark.parametrize("extra,status", STATUS_CASES.values(), ids=STATUS_CASES.keys())
def test_display_financial_status_from_transactions(shop_client, extra, status):
    order = create_order(shop_client, lineItems=[WIDGETS[0]], taxLines=TAX, **extra)
    assert shop_amount(order["totalPriceSet"]) == "22.00"
    assert order["displayFinancialStatus"] == status


def test_given_financial_status_persists_until_an_operation(shop_client):
    order = create_order(
        shop_client, lineItems=WIDGETS, financialStatus="PAID", transactions=[sale("5.00")]
    )
    assert order["displayFinancialStatus"] == "PAID"  # kept although only 5.00 was paid
    assert shop_amount(order["totalReceivedSet"]) == "5.00"
    line = next(li["id"] for li in order["lineItems"]["nodes"] if li["sku"] == "G-1")
    shop_client.data(
        REFUND % "op",
        {
            "input": {
                "orderId": order["id"],
                "refundLineItems": [{"lineItemId": line, "quantity": 1}],
            }
        },
    )
    after = shop_client.data(ORDER_QUERY, {"id": order["id"]})["order"]
    assert after["displayFinancialStatus"] == "PARTIALLY_PAID"  # recalculated


def paid_order(client):
    """Two widgets + a gadget, 10 % tax, 4.00 shipping, paid 31.50 by PayPal."""
    return create_order(
        client,
        lineItems=WIDGETS,
        taxLines=TAX,
        shippingLines=SHIPPING,
        transactions=[sale("31.50")],
    )


def refund(client, order, lines, amount, key="k", shipping=None):
    """refundCreate returning the payload."""
    ids = {li["sku"]: li["id"] for li in order["lineItems"]["nodes"]}
    data = {
        "orderId": order["id"],
        "refundLineItems": [
            {"lineItemId": ids[sku], "quantity": q, "restockType": "NO_RESTOCK"} for sku, q in lines
        ],
        "transactions": [
            {"orderId": order["id"], "gateway": "paypal", "kind": "REFUND", "amount": amount}
        ],
    }
    if shipping:
        data["shipping"] = shipping
    return client.data(REFUND % key, {"input": data})["refundCreate"]


def test_partial_refund_moves_current_totals_not_original(shop_client):
    order = paid_order(shop_client)
    payload = refund(shop_client, order, [("W-1", 1)], "11.00")
    assert payload["userErrors"] == []
    rli = payload["refund"]["refundLineItems"]["nodes"][0]
    assert (shop_amount(rli["subtotalSet"]), shop_amount(rli["totalTaxSet"])) == ("10.00", "1.00")
    after = shop_client.data(ORDER_QUERY, {"id": order["id"]})["order"]
    assert after["displayFinancialStatus"] == "PARTIALLY_REFUNDED"
    assert shop_amount(after["totalPriceSet"]) == "31.50"
    assert shop_amount(after["currentSubtotalPriceSet"]) == "15.00"
    assert shop_amount(after["currentTotalTaxSet"]) == "1.50"
    assert shop_amount(after["currentTotalPriceSet"]) == "20.50"
    assert shop_amount(after["totalRefundedSet"]) == "11.00"
    assert shop_amount(after["netPaymentSet"]) == "20.50"
    assert shop_amount(after["totalOutstandingSet"]) == "0.00"
    assert [li["currentQuantity"] for li in after["lineItems"]["nodes"]] == [1, 1]


def test_full_refund_with_shipping_is_refunded(shop_client):
    order = paid_order(shop_client)
    payload = refund(
        shop_client, order, [("W-1", 2), ("G-1", 1)], "31.50", shipping={"fullRefund": True}
    )
    assert payload["userErrors"] == []
    after = shop_client.data(ORDER_QUERY, {"id": order["id"]})["order"]
    assert after["displayFinancialStatus"] == "REFUNDED"
    assert shop_amount(after["currentTotalPriceSet"]) == "0.00"
    assert shop_amount(after["currentShippingPriceSet"]) == "0.00"


def test_refund_rejects_more_units_or_money_than_left(shop_client):
    order = paid_order(shop_client)
    assert refund(shop_client, order, [("W-1", 3)], "1.00")["userErrors"][0]["field"] == [
        "refundLineItems",
        "0",
        "quantity",
    ]
    too_much = refund(shop_client, order, [("W-1", 1)], "40.00", key="k2")
    assert too_much["userErrors"][0]["field"] == ["transactions"]


def test_idempotent_refund_create_runs_once(shop_client):
    order = paid_order(shop_client)
    first = refund(shop_client, order, [("W-1", 1)], "11.00", key="same")
    second = refund(shop_client, order, [("W-1", 1)], "11.00", key="same")
    assert first["refund"]["id"] == second["refund"]["id"]
    after = shop_client.data(ORDER_QUERY, {"id": order["id"]})["order"]
    assert shop_amount(after["totalRefundedSet"]) == "11.00"


def test_cancel_with_refund_gives_everything_back(shop_client):
    order = paid_order(shop_client)
    result = shop_client.data(CANCEL, {"id": order["id"], "refund": True})["orderCancel"]
    assert result["orderCancelUserErrors"] == [] and result["job"]["done"] is True
    after = shop_client.data(ORDER_QUERY, {"id": order["id"]})["order"]
    assert after["cancelledAt"] and after["closed"] is True
    assert after["displayFinancialStatus"] == "REFUNDED"
    assert shop_amount(after["totalRefundedSet"]) == "31.50"
    assert shop_amount(after["currentTotalPriceSet"]) == "0.00"


def test_cancel_authorized_order_voids_it(shop_client):
    order = create_order(
        shop_client, lineItems=WIDGETS, transactions=[sale("25.00", kind="AUTHORIZATION")]
    )
    shop_client.data(CANCEL, {"id": order["id"], "refund": True})
    after = shop_client.data(ORDER_QUERY, {"id": order["id"]})["order"]
    assert after["displayFinancialStatus"] == "VOIDED"


def test_cancel_twice_and_unknown_order_are_user_errors(shop_client):
    order = paid_order(shop_client)
    shop_client.data(CANCEL, {"id": order["id"], "refund": False})
    again = shop_client.data(CANCEL, {"id": order["id"], "refund": False})["orderCancel"]
    assert again["orderCancelUserErrors"][0]["code"] == "INVALID"
    missing = shop_client.data(CANCEL, {"id": "gid://shopify/Order/1", "refund": False})
    assert missing["orderCancel"]["orderCancelUserErrors"][0]["code"] == "NOT_FOUND"


def test_cancel_presentment_currency_order_refunds_both_currencies(shop_client):
    shop_client.control(
        "POST", "/settings", json={"exchange_rates": {"test-shop.myshopify.com": {"EUR": "0.9137"}}}
    )
    order = create_paid_order(
        shop_client,
        presentmentCurrency="EUR",
        lineItems=[{"title": "X", "priceSet": money("33.33"), "quantity": 3}],
    )
    assert order["totalPriceSet"]["presentmentMoney"]["amount"] == "91.35"  # unit converted, × 3
    shop_client.data(CANCEL, {"id": order["id"], "refund": True})
    after = shop_client.data(ORDER_QUERY, {"id": order["id"]})["order"]
    assert after["displayFinancialStatus"] == "REFUNDED"
    assert after["totalRefundedSet"] == after["totalReceivedSet"]
    assert after["totalRefundedSet"]["presentmentMoney"]["amount"] == "91.35"


def test_refund_with_return_restocks(shop_client, catalog):
    order = create_order(
        shop_client,
        financialStatus="PAID",
        lineItems=[{"variantId": catalog["variant"], "quantity": 2}],
        options={"inventoryBehaviour": "DECREMENT_IGNORING_POLICY"},
    )
    line = order["lineItems"]["nodes"][0]["id"]
    shop_client.data(
        REFUND % "r1",
        {
            "input": {
                "orderId": order["id"],
                "refundLineItems": [{"lineItemId": line, "quantity": 2, "restockType": "RETURN"}],
            }
        },
    )
    qty = shop_client.data(
        "query($id: ID!) { productVariant(id: $id) { inventoryQuantity } }",
        {"id": catalog["variant"]},
    )
    assert qty["productVariant"]["inventoryQuantity"] == 10


MARK_PAID = """mutation($id: ID!) { orderMarkAsPaid(input: {id: $id}) {
  order { displayFinancialStatus transactions(first: 5) { kind gateway amountSet {
    shopMoney { amount } } } } userErrors { message } } }"""


def test_mark_as_paid_records_manual_sale_for_outstanding(shop_client):
    order = create_order(shop_client, lineItems=WIDGETS, transactions=[sale("5.00")])
    paid = shop_client.data(MARK_PAID, {"id": order["id"]})["orderMarkAsPaid"]["order"]
    assert paid["displayFinancialStatus"] == "PAID"
    assert [
        (t["kind"], t["gateway"], t["amountSet"]["shopMoney"]["amount"])
        for t in paid["transactions"]
    ] == [("SALE", "paypal", "5.00"), ("SALE", "manual", "20.00")]
    again = shop_client.data(MARK_PAID, {"id": order["id"]})["orderMarkAsPaid"]
    assert again["userErrors"][0]["message"] == "Order cannot be marked as paid"


def test_mark_as_paid_captures_an_authorization(shop_client):
    order = create_order(
        shop_client, lineItems=WIDGETS, transactions=[sale("25.00", kind="AUTHORIZATION")]
    )
    paid = shop_client.data(MARK_PAID, {"id": order["id"]})["orderMarkAsPaid"]["order"]
    assert paid["displayFinancialStatus"] == "PAID"
    assert paid["transactions"][-1]["kind"] == "CAPTURE"


def test_partial_shipping_refund_prorates_shipping_tax(shop_client):
    ship = [
        {"title": "Std", "priceSet": money("4.00"), "taxLines": [{"title": "State", "rate": "0.1"}]}
    ]
    order = create_order(
        shop_client, lineItems=[WIDGETS[0]], shippingLines=ship, transactions=[sale("24.40")]
    )
    payload = refund(
        shop_client,
        order,
        [],
        "2.20",
        shipping={"amount": "2.00"},
    )
    assert payload["userErrors"] == []
    after = shop_client.data(ORDER_QUERY, {"id": order["id"]})["order"]
    assert shop_amount(after["currentShippingPriceSet"]) == "2.00"
    assert shop_amount(after["currentTotalTaxSet"]) == "0.20"
    assert shop_amount(after["currentTotalPriceSet"]) == "22.20"
    too_much = refund(
        shop_client,
        order,
        [],
        "0.00",
        key="k9",
        shipping={"amount": "3.00"},
    )
    assert too_much["userErrors"][0]["field"] == ["shipping"]


def test_refund_of_unknown_line_or_order_is_a_user_error(shop_client):
    order = paid_order(shop_client)
    bad_line = shop_client.data(
        REFUND % "x1",
        {
            "input": {
                "orderId": order["id"],
                "refundLineItems": [{"lineItemId": "gid://shopify/LineItem/1", "quantity": 1}],
            }
        },
    )
    assert bad_line["refundCreate"]["userErrors"][0]["field"] == [
        "refundLineItems",
        "0",
        "lineItemId",
    ]
    bad_order = shop_client.data(REFUND % "x2", {"input": {"orderId": "gid://shopify/Order/1"}})
    assert bad_order["refundCreate"]["userErrors"][0]["field"] == ["orderId"]
