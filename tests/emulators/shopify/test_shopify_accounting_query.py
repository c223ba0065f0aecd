"""The app's accounting query (every accounting field of Order) runs without errors."""

from __future__ import annotations

from tests.emulators.shopify.builders import create_paid_order, money, refund_first_line

BAG = "{ shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }"
ACCOUNTING_QUERY = f"""query($q: String) {{ orders(first: 2, query: $q, sortKey: UPDATED_AT) {{
  pageInfo {{ hasNextPage endCursor }}
  nodes {{
    id name processedAt updatedAt cancelledAt test taxesIncluded dutiesIncluded currencyCode
    presentmentCurrencyCode displayFinancialStatus displayFulfillmentStatus paymentGatewayNames
    currentTotalPriceSet {BAG} totalPriceSet {BAG} subtotalPriceSet {BAG}
    currentSubtotalPriceSet {BAG} totalTaxSet {BAG} currentTotalTaxSet {BAG}
    totalDiscountsSet {BAG} currentTotalDiscountsSet {BAG} totalShippingPriceSet {BAG}
    totalRefundedSet {BAG} netPaymentSet {BAG} totalReceivedSet {BAG} totalOutstandingSet {BAG}
    originalTotalPriceSet {BAG}
    taxLines {{ title rate ratePercentage priceSet {BAG} channelLiable source }}
    discountApplications(first: 2) {{ nodes {{ index allocationMethod targetType
      value {{ ... on MoneyV2 {{ amount currencyCode }} ... on PricingPercentageValue {{
        percentage }} }} ... on DiscountCodeApplication {{ code }} }} }}
    shippingLines(first: 2) {{ nodes {{ title code originalPriceSet {BAG}
      discountedPriceSet {BAG} isRemoved taxLines {{ rate priceSet {BAG} }}
      discountAllocations {{ allocatedAmountSet {BAG} }} }} }}
    transactions(first: 3) {{ id kind status gateway formattedGateway amountSet {BAG}
      processedAt test parentTransaction {{ id }} fees {{ amount {{ amount }} }} }}
    refunds(first: 2) {{ id createdAt note totalRefundedSet {BAG}
      refundLineItems(first: 2) {{ nodes {{ quantity restockType subtotalSet {BAG}
        totalTaxSet {BAG} lineItem {{ id sku }} }} }}
      refundShippingLines(first: 1) {{ nodes {{ subtotalAmountSet {BAG} }} }}
      orderAdjustments(first: 1) {{ nodes {{ amountSet {BAG} }} }}
      transactions(first: 2) {{ nodes {{ id kind gateway amountSet {BAG} }} }}
      duties {{ amountSet {BAG} }} return {{ id }} }}
    lineItems(first: 5) {{ nodes {{ id sku name title quantity currentQuantity
      refundableQuantity originalUnitPriceSet {BAG} discountedUnitPriceSet {BAG}
      totalDiscountSet {BAG} taxable requiresShipping isGiftCard
      discountAllocations {{ allocatedAmountSet {BAG} discountApplication {{ index }} }}
      taxLines {{ rate ratePercentage title priceSet {BAG} channelLiable source }}
      variant {{ id sku }} duties {{ id }} }} }}
    customer {{ id email firstName lastName displayName }}
  }} }} }}"""


def test_accounting_query_returns_every_field(shop_client, catalog):
    order = create_paid_order(
        shop_client,
        presentmentCurrency="EUR",
        lineItems=[{"variantId": catalog["variant"], "quantity": 2}],
        taxLines=[{"title": "VAT", "rate": "0.2"}],
        taxesIncluded=True,
        discountCode={"itemPercentageDiscountCode": {"code": "TEN", "percentage": 10}},
        shippingLines=[{"title": "Post", "priceSet": money("4.00")}],
        customer={"toUpsert": {"email": "a@example.com", "firstName": "A"}},
    )
    refund_first_line(shop_client, order, "5.00")
    body = shop_client.execute(ACCOUNTING_QUERY, {"q": "updated_at:>2000-01-01"})
    assert "errors" not in body, body.get("errors")
    assert body["extensions"]["cost"]["requestedQueryCost"] <= 1000
    node = body["data"]["orders"]["nodes"][0]
    assert node["displayFinancialStatus"] == "PARTIALLY_REFUNDED"
    assert node["transactions"][0]["fees"] == []
    assert node["lineItems"]["nodes"][0]["duties"] == []
    assert node["refunds"][0]["return"] is None
    assert node["discountApplications"]["nodes"][0]["code"] == "TEN"
