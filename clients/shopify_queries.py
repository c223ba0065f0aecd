"""GraphQL documents for reading orders (Admin API 2025-01); parsed by rules.orders.parse_order.

Every amount is a MoneyBag (*Set) with shopMoney and presentmentMoney: the books are kept in shop
money, presentment money serves multi-currency QBO companies.
ref: https://shopify.dev/docs/api/admin-graphql/2025-01/objects/Order

Requested cost (Shopify: objects 1, connections 2 + first × node cost; a list without `first`
counts once), as the emulator computes it: one order costs about 45 + 19 per line item + 15 per
shipping line + 4 per transaction + 1 per discount application. Shopify refuses a single query
above 1,000 points; every query here keeps a 25 % margin (at most 750 requested). A page of
ORDERS_QUERY (5 orders of 3 lines, 1 shipping line, 1 discount, 3 transactions) requests 662
points, ORDER_QUERY (20, 5, 5, 10) 547. What a page leaves out is read on by
clients.shopify_order_read: connections page from their endCursor, transactions (a list without
paging) are read again at up to 180. Reading many orders needs a bulk operation
(bulkOperationRunQuery), which has no per-query cost limit. The figures are asserted in
tests/test_orders_read_whole.py and tests/rules/test_shopify_queries.py.
ref: https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
"""

MONEY_BAG = """
fragment MoneyBagFields on MoneyBag {
  shopMoney { amount currencyCode }
  presentmentMoney { amount currencyCode }
}
"""

LINE_ITEM = """
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
"""

SHIPPING_LINE = """
      title
      code
      isRemoved
      originalPriceSet { ...MoneyBagFields }
      discountedPriceSet { ...MoneyBagFields }
      discountAllocations { allocatedAmountSet { ...MoneyBagFields } }
      taxLines { title rate priceSet { ...MoneyBagFields } }
"""

TRANSACTION = """
    id
    kind
    status
    gateway
    formattedGateway
    processedAt
    test
    amountSet { ...MoneyBagFields }
"""

DISCOUNT_APPLICATION = """
      index
      allocationMethod
      targetType
      value {
        ... on MoneyV2 { amount currencyCode }
        ... on PricingPercentageValue { percentage }
      }
"""

# The order's connections (paged to their end by clients.shopify_order_read) and their nodes.
CONNECTIONS = {
    "lineItems": LINE_ITEM,
    "shippingLines": SHIPPING_LINE,
    "discountApplications": DISCOUNT_APPLICATION,
}


def _connection(name: str) -> str:
    """One connection of OrderFields, sized by the variable of the same name."""
    return (
        f"  {name}(first: ${name}) {{\n    pageInfo {{ hasNextPage endCursor }}\n"
        f"    nodes {{{CONNECTIONS[name]}    }}\n  }}\n"
    )


ORDER_FIELDS = (
    """
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
  email
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
"""
    + "".join(_connection(name) for name in CONNECTIONS)
    + "  transactions(first: $transactions) {"
    + TRANSACTION
    + "  }\n}\n"
)

# Sizes of the inner lists in one order of a page of ORDERS_QUERY and in ORDER_QUERY: what is
# longer is paged on (lineItems, shippingLines, discountApplications) or read again (transactions).
ORDERS_SIZES = {"lineItems": 3, "shippingLines": 1, "discountApplications": 1, "transactions": 3}
ORDERS_PAGE_SIZE = 5
ORDER_SIZES = {"lineItems": 20, "shippingLines": 5, "discountApplications": 5, "transactions": 10}


def _sizes(sizes: dict[str, int]) -> str:
    """The query variables of the inner list sizes, with their defaults."""
    return "".join(f"  ${name}: Int = {size}\n" for name, size in sizes.items())


ORDERS_QUERY = (
    """
query Orders(
  $first: Int!
  $after: String
  $query: String
"""
    + _sizes(ORDERS_SIZES)
    + """) {
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
"""
    + _sizes(ORDER_SIZES)
    + """) {
  order(id: $id) { ...OrderFields }
}
"""
    + ORDER_FIELDS
    + MONEY_BAG
)

# The shop's time zone (documents are dated in it) and currency.
SHOP_QUERY = "{ shop { ianaTimezone currencyCode } }"
# The locations a merchant picks from (settings).
LOCATIONS = """query($first: Int!, $after: String) {
  locations(first: $first, after: $after) { nodes { id name isActive }
    pageInfo { hasNextPage endCursor } } }"""
