"""A Shopify store with orders on the emulator (tests/merchant.py drives the app for it)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import requests

from clients.shopify import ShopifyClient
from models import SyncRun

ORDER_CREATE = """mutation($order: OrderCreateOrderInput!) {
  orderCreate(order: $order) { order { id name currentTotalPriceSet { shopMoney { amount } }
    currentTotalTaxSet { shopMoney { amount } } } userErrors { field message } } }"""
MARK_AS_PAID = """mutation($input: OrderMarkAsPaidInput!) {
  orderMarkAsPaid(input: $input) { userErrors { message } } }"""


def money(amount: str) -> dict[str, Any]:
    """A USD MoneyBagInput."""
    return {"shopMoney": {"amount": amount, "currencyCode": "USD"}}


class Store:
    """The merchant's store as the tests build it, through the emulator's GraphQL API."""

    def __init__(
        self,
        emulator,
        domain: str,
        bucket: int = 100_000,
        currency: str = "USD",
    ) -> None:
        # A deep cost bucket keeps these tests quick; pacing itself is tested on its own
        # (tests/test_shopify_paging.py) and measured by bench/backfill.py.
        requests.post(
            f"{emulator.url}/_emulator/settings", json={"bucket_max": bucket}, timeout=10
        ).raise_for_status()
        created = requests.post(
            f"{emulator.url}/_emulator/shops",
            json={"domain": domain, "currency": currency},
            timeout=10,
        )
        created.raise_for_status()
        self.domain = domain
        self.owner = ShopifyClient(domain, created.json()["access_token"], "2026-10", emulator.url)
        self.orders: list[dict[str, Any]] = []

    def order(self, paid: bool = True, **order: Any) -> dict[str, Any]:
        """Create an order (marked as paid unless told otherwise); returns id, name, totals."""
        result = self.owner.execute(ORDER_CREATE, {"order": order})["data"]["orderCreate"]
        assert result["userErrors"] == [], result["userErrors"]
        created = result["order"]
        if paid:
            marked = self.owner.execute(MARK_AS_PAID, {"input": {"id": created["id"]}})
            assert marked["data"]["orderMarkAsPaid"]["userErrors"] == []
        created["total"] = Decimal(created["currentTotalPriceSet"]["shopMoney"]["amount"])
        created["tax"] = Decimal(created["currentTotalTaxSet"]["shopMoney"]["amount"])
        self.orders.append(created)
        return created


def one_line_orders(store: Store, count: int, title: str, sku: str, first_price: int) -> None:
    """`count` paid orders of one unit each, priced first_price.00, first_price+1.00, …"""
    for n in range(count):
        line = {
            "title": title,
            "sku": sku,
            "priceSet": money(f"{first_price + n}.00"),
            "quantity": 1,
        }
        store.order(lineItems=[line])


ALL_STATUSES = ["PAID", "PENDING", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "REFUNDED"]


def retries_of(run: SyncRun) -> int:
    """How many times RQ retried the run's job."""
    from flask import current_app
    from rq.job import Job

    redis = current_app.extensions["redis"]
    return Job.fetch(run.rq_job_id, connection=redis).number_of_retries or 0


def uk_store_after_first_sync(
    shopify_emulator: Any, connect: Any, merchant: Any, domain: str, taxes: list, seed: int
) -> tuple[Store, Any]:
    """A GBP store of 8 VAT-inclusive generated orders (`taxes` per tests.corpus.generate),
    connected to a new UK company, its sales on one generic customer with the zero-rated code for
    untaxed lines, after a first sync (the VAT not mapped yet: taxed orders fail, untaxed ones
    post); the store and its merchant."""
    from tests.corpus import generate

    store = Store(shopify_emulator, domain, currency="GBP")
    generate(store, 8, "GBP", taxes, inclusive=True, seed=seed)
    connect(store, "uk")
    owner = merchant(domain)
    owner.put_sales_settings(
        customer_mode="generic",
        generic_customer_name="Online Sales",
        financial_statuses=["PAID", "PARTIALLY_REFUNDED"],
        qbo_untaxed_tax_code_id=owner.first_choice("tax_codes", "0.0% Z"),
    )
    owner.sync()
    return store, owner
