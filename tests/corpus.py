"""Generated order corpora for non-US stores, made through the Shopify emulator's API.

Every case of issue 5's "to the cent" list appears: several tax lines per line, zero-rated lines,
tax-inclusive prices, order- and line-level discounts, taxed and free shipping, partially paid,
refunded and cancelled orders, test orders, company customers, SKUs with quotes, backslashes,
spaces and non-ASCII characters.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from tests.sales_store import Store

SKUS = ("MAPLE-1", "MAPLE-2", "TOQUE 'L'", "CAFÉ-Ω", "SLASH\\1", "MUG 12OZ", "BOOK-9", "PEN-3")
PEOPLE = (
    {"email": "ava@example.ca", "firstName": "Ava", "lastName": "Martin"},
    {"email": "liam@example.ca", "firstName": "Liam", "lastName": "Tremblay"},
    {"email": "zoe@example.ca", "firstName": "Zoë", "lastName": "O'Connor"},
    {"email": "buyer@acme.example", "firstName": "Pat", "lastName": "Buyer"},
)
COMPANIES = (None, None, None, "Acme: Wholesale Ltd")  # ':' is not allowed in QBO names
CANCEL = """mutation($id: ID!) { orderCancel(orderId: $id, refund: true, restock: true,
  reason: CUSTOMER) { orderCancelUserErrors { message } } }"""
LINE_IDS = "query($id: ID!) { order(id: $id) { lineItems(first: 5) { nodes { id } } } }"
# @idempotent is required on refundCreate from 2026-04 (the app's version is 2026-10):
# https://shopify.dev/changelog/making-idempotency-mandatory-for-inventory-adjustments-and-refund-mutations
REFUND = """mutation($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) { refund { id } userErrors { message } } }"""


def money(amount: Decimal | str, currency: str) -> dict[str, Any]:
    """A MoneyBagInput in the shop's currency."""
    return {"shopMoney": {"amount": str(amount), "currencyCode": currency}}


def _lines(rng: random.Random, currency: str, tax_sets: list[list]) -> list[dict]:
    """One to three lines; each may carry its own tax lines (several, or none)."""
    lines = []
    for _ in range(rng.randint(1, 3)):
        taxes = rng.choice(tax_sets)
        line = {
            "title": f"Product {rng.randint(1, 40)}",
            "sku": rng.choice(SKUS),
            "quantity": rng.randint(1, 3),
            "priceSet": money(Decimal(rng.randint(100, 9999)) / 100, currency),
        }
        if taxes:
            line["taxLines"] = [{"title": t, "rate": str(r)} for t, r in taxes]
        lines.append(line)
    return lines


def order_input(
    rng: random.Random, i: int, currency: str, tax_sets: list[list], inclusive: bool
) -> dict[str, Any]:
    """One varied OrderCreateOrderInput."""
    person = PEOPLE[i % len(PEOPLE)]
    company = COMPANIES[i % len(COMPANIES)]
    order: dict[str, Any] = {
        "lineItems": _lines(rng, currency, tax_sets),
        "taxesIncluded": inclusive,
        "currency": currency,
        "customer": {"toUpsert": person},
        "test": i % 37 == 5,
        "billingAddress": {
            "firstName": person["firstName"],
            "lastName": person["lastName"],
            "company": company,
            "countryCode": "CA",
        },
    }
    if rng.random() < 0.6:
        shipping = {
            "title": "Post",
            "priceSet": money(rng.choice(["0.00", "7.50", "12.99"]), currency),
        }
        taxes = rng.choice(tax_sets)
        if taxes:
            shipping["taxLines"] = [{"title": t, "rate": str(r)} for t, r in taxes]
        order["shippingLines"] = [shipping]
    if rng.random() < 0.25:
        order["discountCode"] = rng.choice(
            [
                {"itemPercentageDiscountCode": {"code": "TEN", "percentage": 10}},
                {"itemFixedDiscountCode": {"code": "FIVE", "amountSet": money("5.00", currency)}},
            ]
        )
    return order


def _after(store: Store, created: dict, i: int, currency: str) -> None:
    """Some orders are then refunded in part, or cancelled."""
    if i % 17 == 2:
        lines = store.owner.execute(LINE_IDS, {"id": created["id"]})["data"]["order"]
        first = lines["lineItems"]["nodes"][0]["id"]
        store.owner.execute(
            REFUND,
            {
                "input": {
                    "orderId": created["id"],
                    "refundLineItems": [{"lineItemId": first, "quantity": 1}],
                    "transactions": [],
                },
                "key": f"corpus-refund-{created['id']}",
            },
        )
    elif i % 29 == 3:
        store.owner.execute(CANCEL, {"id": created["id"]})


def generate(
    store: Store,
    count: int,
    currency: str,
    tax_sets: list[list],
    inclusive: bool,
    seed: int = 7,
    presentment: str | None = None,
) -> None:
    """`count` orders in the store: most paid in full, some partly, some not at all; with a
    `presentment` currency every other order is sold in it (amounts converted by Shopify)."""
    rng = random.Random(seed)
    for i in range(count):
        order = order_input(rng, i, currency, tax_sets, inclusive)
        if presentment and i % 2:
            order["presentmentCurrency"] = presentment
        if i % 13 == 6:  # a deposit paid, the rest owed
            order["financialStatus"] = "PARTIALLY_PAID"
            order["transactions"] = [
                {"gateway": "manual", "kind": "SALE", "amountSet": money("5.00", currency)}
            ]
            created = store.order(paid=False, **order)
        else:
            created = store.order(paid=i % 11 != 4, **order)
        _after(store, created, i, currency)
