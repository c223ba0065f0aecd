"""A Shopify store with orders on the emulator, connected to a QBO emulator company, and the
embedded-page calls a merchant makes to sync it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import requests

from clients.shopify import ShopifyClient
from extensions import db
from models import RunStatus, SyncRun
from tests.flows import connect_quickbooks, open_app

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


def install_and_connect(client, session_token, store: Store) -> None:
    """The merchant opens the app and connects QuickBooks."""
    assert open_app(client, session_token, store.domain).status_code == 200
    connect_quickbooks(client, session_token, store.domain)


def put_settings(client, session_token, domain: str, body: dict) -> dict:
    """PUT /api/settings as the settings pages do; asserts it was accepted."""
    response = client.put(
        "/api/settings", json=body, headers={"Authorization": f"Bearer {session_token(domain)}"}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def put_sales_settings(client, session_token, domain: str, **sales: object) -> dict:
    """Save sales settings with QBO's 'Sales' income account (every sales test needs one)."""
    income = first_choice(client, session_token, domain, "accounts?type=Income", "Sales")
    return put_settings(
        client, session_token, domain, {"sales": {"qbo_income_account_id": income, **sales}}
    )


def first_choice(
    client,
    session_token,
    domain: str,
    lookup: str,
    name_part: str,
) -> str:
    """The id of the first lookup choice whose name contains `name_part`."""
    body = client.get(
        f"/api/lookups/{lookup}", headers={"Authorization": f"Bearer {session_token(domain)}"}
    ).get_json()
    return next(c["id"] for c in body["choices"] if name_part in c["name"])


ALL_STATUSES = ["PAID", "PENDING", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "REFUNDED"]


def api(client, session_token, domain: str, method: str, path: str, body=None):
    """An embedded-page API call for the shop."""
    return client.open(
        path, method=method, json=body, headers={"Authorization": f"Bearer {session_token(domain)}"}
    )


def sync(client, session_token, worker, domain: str, retry: bool = False) -> SyncRun:
    """Sync now (or retry every failed order) and let a worker run it."""
    if retry:
        api(client, session_token, domain, "POST", "/api/sync/sales/retry", {"all_failed": True})
    else:
        api(client, session_token, domain, "POST", "/api/sync/sales")
    worker.run()
    db.session.expire_all()
    return db.session.query(SyncRun).order_by(SyncRun.id.desc()).first()


def map_taxes(client, session_token, domain: str, codes: dict[str, str]) -> None:
    """Map every Shopify tax seen to the QBO code named for its label."""
    taxes = api(client, session_token, domain, "GET", "/api/settings").get_json()["tax_mappings"]
    choices = api(client, session_token, domain, "GET", "/api/lookups/tax_codes").get_json()
    ids = {c["name"]: c["id"] for c in choices["choices"]}
    mapping = [{"id": t["id"], "qbo_tax_code_id": ids[codes[t["title"]]]} for t in taxes]
    put_settings(client, session_token, domain, {"tax_mappings": mapping})


def assert_second_run_posts_nothing(client, session_token, worker, domain: str) -> None:
    """Re-running a finished sync creates nothing."""
    again = sync(client, session_token, worker, domain)
    assert again.status == RunStatus.SUCCEEDED and again.created_count == 0, again.error


def retries_of(run: SyncRun) -> int:
    """How many times RQ retried the run's job."""
    from flask import current_app
    from rq.job import Job

    redis = current_app.extensions["redis"]
    return Job.fetch(run.rq_job_id, connection=redis).number_of_retries or 0
