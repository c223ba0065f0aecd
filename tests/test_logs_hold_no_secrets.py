"""Deployed: after install, QuickBooks connect, an order webhook and Sync now through web, worker
and scheduler, no process log holds a token, code, secret or customer detail; every run wrote
one JSON line when it started and one when it ended."""

from __future__ import annotations

import json
from collections import Counter

from extensions import db
from models import Shop, SyncRun
from tests.deployed import (
    connect_for_invoices,
    deliver,
    legacy_id,
    open_runs,
    settled,
)
from tests.sales_store import Store, money

SHOP = "quiet.myshopify.com"
EMAIL = "hidden.buyer@example.com"
STREET = "42 Confidential Lane"


def run_events(logs: str) -> Counter:
    """(event, run_id) of every structured run line in the logs."""
    lines = [line for line in logs.splitlines() if '"event": "run.' in line]
    events = [json.loads(line[line.index("{") :]) for line in lines]
    return Counter((e["event"], e["run_id"]) for e in events)


def test_process_logs_hold_no_secret_and_one_line_per_run_start_and_end(
    app, deployment, shopify_emulator, session_token, merchant
) -> None:
    minted: list[str] = []

    def token(domain: str, **claims: object) -> str:
        minted.append(session_token(domain, **claims))
        return minted[-1]

    store = Store(shopify_emulator, SHOP)
    address = {"address1": STREET, "city": "Springfield", "zip": "49007", "countryCode": "US"}
    for _ in range(3):
        store.order(
            lineItems=[{"title": "Tea", "sku": "TEA-1", "priceSet": money("9.00"), "quantity": 1}],
            customer={"toUpsert": {"email": EMAIL, "firstName": "Hidden"}},
            email=EMAIL,
            shippingAddress=address,
            billingAddress=address,
        )
    deployment.start_all(workers=1)
    web = deployment.client()
    assert web.get(f"/app?shop={SHOP}&embedded=1&id_token={token(SHOP)}").status_code == 200
    owner = merchant(SHOP, client=web, session_token=token)
    consent = owner.quickbooks_consent()
    assert web.get("/quickbooks/callback", query_string=consent).status_code == 302
    connect_for_invoices(owner, enabled=True)
    owner.put_settings(
        {
            "sync": {
                "accept_terms": True,
                "integration_start_date": "2000-01-01",
                "webhook_sync_enabled": True,
            }
        }
    )
    order = store.orders[0]
    hook = {
        "id": legacy_id(order),
        "email": EMAIL,
        "customer": {"email": EMAIL, "default_address": {"address1": STREET}},
        "shipping_address": {"address1": STREET},
    }
    assert deliver(deployment.url, SHOP, "orders/create", hook, "wh-quiet") == 200
    assert owner.api("POST", "/api/sync/sales").status_code == 202
    shop = Shop.by_domain(SHOP)
    settled(deployment, timeout=45, done=lambda: not open_runs(shop.id))
    db.session.expire_all()
    connection = Shop.by_domain(SHOP).quickbooks_connection
    secrets = {
        "Shopify access token": shop.shopify_access_token,
        "Shopify refresh token": shop.shopify_refresh_token,
        "QBO access token": connection.access_token,
        "QBO refresh token": connection.refresh_token,
        "QBO OAuth code": consent["code"],
        "OAuth state": consent.get("state"),
        "customer email": EMAIL,
        "customer address": STREET,
        **{f"session token {n}": t for n, t in enumerate(minted)},
        **{
            name: str(app.config[name])
            for name in ("SECRET_KEY", "ENCRYPTION_KEY", "SHOPIFY_API_SECRET", "QBO_CLIENT_SECRET")
        },
    }
    logs = deployment.logs()
    assert SHOP in logs and "run.end" in logs  # the logs were captured
    assert [name for name, value in secrets.items() if value and value in logs] == []
    runs = [r.id for r in db.session.query(SyncRun).filter_by(shop_id=shop.id)]
    db.session.rollback()
    assert runs  # the webhook's and Sync now's (triggers may coalesce into one)
    expected = Counter({(e, r): 1 for r in runs for e in ("run.start", "run.end")})
    assert run_events(logs) == expected
