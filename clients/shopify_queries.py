"""GraphQL documents for reading orders (Admin API 2025-01); parsed by rules.orders.parse_order.

Every amount is a MoneyBag (*Set) with shopMoney and presentmentMoney: the books are kept in shop
money, presentment money serves multi-currency QBO companies (SPEC §2.1).
ref: https://shopify.dev/docs/api/admin-graphql/2025-01/objects/Order

Requested cost (Shopify: objects 1, connections 2 + first × node cost; a list without `first`
counts once), as the emulator computes it: one order costs about 45 + 20 per line item + 15 per
shipping line + 4 per transaction + 2 per discount application. ORDER_QUERY with its defaults
(20 lines, 5 shipping lines, 10 transactions, 5 discounts) requests about 550 points. ORDERS_QUERY
with its defaults (5, 2, 5, 2) requests about 195 points per order plus 2, so pages hold 4 orders:
Shopify refuses a single query above 1,000 points. An order whose lineItems.pageInfo.hasNextPage
is true is read again in full with ORDER_QUERY. Reading 100+ orders per request needs a bulk
operation (bulkOperationRunQuery), which has no per-query cost limit. The figures are asserted in
tests/rules/test_shopify_queries.py.
"""

MONEY_BAG = """
fragment MoneyBagFields on MoneyBag {
  shopMoney { amount currencyCode }
  presentmentMoney { amount currencyCode }
}
"""

ORDER_FIELDS = """
fragment OrderFields on Order {
  id
  name
  createdAt
  processedAt
  updatedAt
  cancelledAt
  test
  taxesIncluded
  dutiesIncluded
  currencyCode
  presentmentCurrencyCode
  displayFinancialStatus
  customer { id email firstName lastName displayName }
  billingAddress { company firstName lastName countryCodeV2 provinceCode }
  shippingAddress { countryCodeV2 provinceCode }
  currentTotalPriceSet { ...MoneyBagFields }
  currentSubtotalPriceSet { ...MoneyBagFields }
  currentTotalTaxSet { ...MoneyBagFields }
  currentTotalDiscountsSet { ...MoneyBagFields }
  currentShippingPriceSet { ...MoneyBagFields }
  currentTotalDutiesSet { ...MoneyBagFields }
  totalShippingPriceSet { ...MoneyBagFields }
  totalPriceSet { ...MoneyBagFields }
  totalTaxSet { ...MoneyBagFields }
  totalRefundedSet { ...MoneyBagFields }
  totalTipReceivedSet { ...MoneyBagFields }
  taxLines { title rate priceSet { ...MoneyBagFields } }
  lineItems(first: $lineItems) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      sku
      name
      title
      quantity
      currentQuantity
      isGiftCard
      requiresShipping
      taxable
      originalUnitPriceSet { ...MoneyBagFields }
      discountedUnitPriceSet { ...MoneyBagFields }
      totalDiscountSet { ...MoneyBagFields }
      discountAllocations {
        allocatedAmountSet { ...MoneyBagFields }
        discountApplication { index }
      }
      taxLines { title rate ratePercentage priceSet { ...MoneyBagFields } }
      variant { id sku }
    }
  }
  shippingLines(first: $shippingLines) {
    nodes {
      title
      code
      isRemoved
      originalPriceSet { ...MoneyBagFields }
      discountedPriceSet { ...MoneyBagFields }
      discountAllocations { allocatedAmountSet { ...MoneyBagFields } }
      taxLines { title rate priceSet { ...MoneyBagFields } }
    }
  }
  transactions(first: $transactions) {
    id
    kind
    status
    gateway
    formattedGateway
    processedAt
    test
    amountSet { ...MoneyBagFields }
  }
  discountApplications(first: $discountApplications) {
    nodes {
      index
      allocationMethod
      targetType
      value {
        ... on MoneyV2 { amount currencyCode }
        ... on PricingPercentageValue { percentage }
      }
    }
  }
}
"""

ORDERS_QUERY = (
    """
query Orders(
  $first: Int!
  $after: String
  $query: String
  $lineItems: Int = 5
  $shippingLines: Int = 2
  $transactions: Int = 5
  $discountApplications: Int = 2
) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { ...OrderFields }
  }
}
"""
    + ORDER_FIELDS
    + MONEY_BAG
)

ORDER_QUERY = (
    """
query Order(
  $id: ID!
  $lineItems: Int = 20
  $shippingLines: Int = 5
  $transactions: Int = 10
  $discountApplications: Int = 5
) {
  order(id: $id) { ...OrderFields }
}
"""
    + ORDER_FIELDS
    + MONEY_BAG
)
