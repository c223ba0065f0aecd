"""Seed a realistic demo store through the emulator's own GraphQL API with shopify.GraphQL.

Deterministic (seeded random): one location, 20 products (one with quotes and non-ASCII in its
title and SKU), and a few hundred orders over the last 90 days with taxes, discount codes,
shipping, several gateways, refunds, cancellations, test orders, tax-inclusive EUR orders.
Each order is created at its historical time by moving the emulator clock (test control), so
createdAt/updatedAt look like a store that has been trading for three months.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import requests

from emulators.common.serve import serve_in_thread
from emulators.shopify import sdk
from emulators.shopify.context import Emulator
from emulators.shopify.seed_catalog import CUSTOMERS, PRODUCTS, US_TAXES

CENT = Decimal("0.01")
GATEWAYS = [("shopify_payments", 70), ("paypal", 20), ("manual", 5), ("gift_card", 5)]

LOCATION_ADD = """mutation($input: LocationAddInput!) {
  locationAdd(input: $input) { location { id } userErrors { field message } } }"""
PRODUCT_SET = """mutation($input: ProductSetInput!) {
  productSet(input: $input, synchronous: true) {
    product { variants(first: 10) { nodes { id price } } } userErrors { field message } } }"""
ORDER_CREATE = """mutation($order: OrderCreateOrderInput!) {
  orderCreate(order: $order) {
    order { id lineItems(first: 10) { nodes { id quantity
      discountedTotalSet { presentmentMoney { amount } }
      taxLines { priceSet { presentmentMoney { amount } } } } } }
    userErrors { field message } } }"""
REFUND_CREATE = """mutation($input: RefundInput!) {
  refundCreate(input: $input) { refund { id } userErrors { field message } } }"""
MARK_AS_PAID = """mutation($id: ID!) {
  orderMarkAsPaid(input: {id: $id}) { order { id } userErrors { field message } } }"""
ORDER_CANCEL = """mutation($id: ID!) {
  orderCancel(orderId: $id, refund: true, restock: true, reason: CUSTOMER) {
    orderCancelUserErrors { message } } }"""


class Seeder:
    """Sends the seeding documents as an app would, with shopify.GraphQL."""

    def __init__(self, base_url: str, port: int, token: str) -> None:
        self.base_url, self.port, self.token = base_url, port, token

    def run(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """Execute one document; any error or userError is a bug in the seed."""
        body = sdk.execute(self.port, self.token, query, variables)
        if body.get("errors"):
            raise RuntimeError(f"seed query failed: {body['errors']}")
        payload = next(iter(body["data"].values()))
        errors = payload.get("userErrors") or payload.get("orderCancelUserErrors")
        if errors:
            raise RuntimeError(f"seed mutation failed: {errors}")
        return payload

    def control(self, path: str, body: dict[str, Any]) -> None:
        """POST to the emulator's test control."""
        requests.post(f"{self.base_url}/_emulator{path}", json=body, timeout=10).raise_for_status()

    def at(self, when: datetime) -> None:
        """Move the emulator clock to `when`."""
        self.control("/clock", {"now": when.isoformat()})


def seed_through_server(
    emu: Emulator, shop: str, token: str, orders: int = 300, seed: int = 42
) -> None:
    """Serve the emulator on a free port for the duration of seeding, then seed it."""
    handle = serve_in_thread(emu.app)
    try:
        seed_store(handle.url, handle.port, token, orders=orders, seed=seed)
    finally:
        handle.shutdown()
    emu.control.clear_log()
    emu.state.buckets.clear()


def seed_store(base_url: str, port: int, token: str, orders: int = 300, seed: int = 42) -> None:
    """Seed the shop behind `token` on the emulator at base_url."""
    rng = random.Random(seed)
    client = Seeder(base_url, port, token)
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=90)
    settings = requests.get(f"{base_url}/_emulator/settings", timeout=10).json()
    client.control("/settings", {"bucket_max": 1_000_000})  # seeding is not rate limited
    try:
        client.at(start - timedelta(days=1))
        location = client.run(
            LOCATION_ADD, {"input": {"name": "Main Warehouse", "address": {"countryCode": "US"}}}
        )["location"]["id"]
        variants = [_create_product(client, p, location) for p in PRODUCTS]
        times = sorted(start + timedelta(seconds=rng.randrange(90 * 86400)) for _ in range(orders))
        for i, when in enumerate(times):
            _create_order(client, rng, i, when, [v for vs in variants for v in vs])
    finally:
        client.control("/clock", {"reset": True})
        client.control("/settings", {"bucket_max": settings["bucket_max"]})


def _create_product(client: Seeder, product: dict[str, Any], location: str) -> list[dict]:
    """productSet one catalog entry; returns its variants (id, price)."""
    options = [{"name": "Size", "values": [{"name": v[0]} for v in product["variants"]]}]
    variants = [
        {
            "optionValues": [{"optionName": "Size", "name": size}],
            "sku": sku,
            "price": price,
            "inventoryItem": {"cost": str(Decimal(price) * Decimal("0.4")), "tracked": True},
            "inventoryQuantities": [{"locationId": location, "name": "available", "quantity": 100}],
        }
        for size, sku, price in product["variants"]
    ]
    result = client.run(
        PRODUCT_SET,
        {
            "input": {
                "title": product["title"],
                "vendor": product["vendor"],
                "productType": product["type"],
                "productOptions": options,
                "variants": variants,
            }
        },
    )
    return result["product"]["variants"]["nodes"]


def _money(amount: Decimal, currency: str) -> dict[str, Any]:
    """A MoneyBagInput in the shop currency (presentment converted by the shop's rate)."""
    return {"shopMoney": {"amount": str(amount), "currencyCode": currency}}


def _order_input(
    rng: random.Random, i: int, when: datetime, variants: list[dict]
) -> tuple[dict[str, Any], Decimal]:
    """An OrderCreateOrderInput and the total the customer pays (shop currency)."""
    picks = rng.sample(variants, rng.randint(1, 3))
    lines = [{"variantId": v["id"], "quantity": rng.randint(1, 3)} for v in picks]
    subtotal = sum(
        Decimal(v["price"]) * line["quantity"] for v, line in zip(picks, lines, strict=True)
    )
    order: dict[str, Any] = {
        "lineItems": lines,
        "processedAt": when.isoformat(),
        "customer": {"toUpsert": CUSTOMERS[i % len(CUSTOMERS)]},
        "email": CUSTOMERS[i % len(CUSTOMERS)]["email"],
    }
    discount = Decimal(0)
    if rng.random() < 0.2:
        discount = min(Decimal(5), subtotal)
        order["discountCode"] = {
            "itemFixedDiscountCode": {"code": "WELCOME5", "amountSet": _money(discount, "USD")}
        }
    shipping = Decimal(rng.choice(["0.00", "5.99", "12.50"]))
    if shipping:
        order["shippingLines"] = [
            {"title": "Standard", "code": "STD", "priceSet": _money(shipping, "USD")}
        ]
    title, rate = rng.choice(US_TAXES)
    tax = ((subtotal - discount) * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    order["taxLines"] = [{"title": title, "rate": str(rate), "priceSet": _money(tax, "USD")}]
    return order, subtotal - discount + shipping + tax


def _create_order(
    client: Seeder, rng: random.Random, i: int, when: datetime, variants: list[dict]
) -> None:
    """One order at `when`; some are test orders, EUR tax-inclusive, refunded or cancelled."""
    client.at(when)
    order, total = _order_input(rng, i, when, variants)
    if i % 25 == 7:  # a tax-inclusive order presented in EUR (VAT 20 % included in prices)
        order.pop("taxLines")
        order.pop("discountCode", None)
        order.update(
            taxesIncluded=True,
            presentmentCurrency="EUR",
            taxLines=[{"title": "VAT", "rate": "0.2"}],
        )
        total = None
    gateway = rng.choices([g for g, _ in GATEWAYS], [w for _, w in GATEWAYS])[0]
    if total is not None:
        order["transactions"] = [
            {"gateway": gateway, "kind": "SALE", "amountSet": _money(total, "USD")}
        ]
    order["test"] = i % 40 == 3
    created = client.run(ORDER_CREATE, {"order": order})["order"]
    if total is None:  # the store owner recorded the bank transfer afterwards
        client.run(MARK_AS_PAID, {"id": created["id"]})
    roll = rng.random()
    if roll < 0.04:
        client.at(when + timedelta(days=1))
        client.run(ORDER_CANCEL, {"id": created["id"]})
    elif roll < 0.10 and total is not None:
        client.at(when + timedelta(days=2))
        _refund_first_line(client, created, gateway)


def _refund_first_line(client: Seeder, order: dict[str, Any], gateway: str) -> None:
    """Return every unit of the order's first line and refund its price and tax."""
    line = order["lineItems"]["nodes"][0]
    amount = Decimal(line["discountedTotalSet"]["presentmentMoney"]["amount"])
    amount += sum(Decimal(t["priceSet"]["presentmentMoney"]["amount"]) for t in line["taxLines"])
    client.run(
        REFUND_CREATE,
        {
            "input": {
                "orderId": order["id"],
                "note": "Customer returned the item",
                "refundLineItems": [
                    {
                        "lineItemId": line["id"],
                        "quantity": line["quantity"],
                        "restockType": "RETURN",
                    }
                ],
                "transactions": [
                    {
                        "orderId": order["id"],
                        "gateway": gateway,
                        "kind": "REFUND",
                        "amount": str(amount),
                    }
                ],
            }
        },
    )
