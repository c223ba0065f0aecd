"""The webhook endpoint: HMAC before anything, once per delivery id, work done on a worker."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from extensions import db
from jobs import enqueue
from models import (
    ConnectionStatus,
    LedgerEntry,
    LedgerKind,
    PrivacyRequest,
    ProcessedWebhook,
    QuickBooksConnection,
    SalesSettings,
    Shop,
)
from tests.support import make_test_app, signed_webhook_headers

SHOP = "alpha.myshopify.com"
OTHER = "beta.myshopify.com"


def post(
    client,
    topic: str,
    payload: object,
    webhook_id: str = "wh-1",
    shop: str = SHOP,
    headers: dict | None = None,
):
    """Deliver a correctly signed webhook (unless headers override)."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    signed = signed_webhook_headers(body, topic, shop, webhook_id)
    signed.update(headers or {})
    return client.post("/webhooks", data=body, headers=signed)


def install(domain: str, customer_orders: dict[str, list[str]]) -> Shop:
    """An installed shop with tokens, a QBO connection, settings and ledger rows per customer."""
    shop = Shop(
        shop_domain=domain,
        installed_at=datetime.now(UTC),
        shopify_access_token="tok",
        shopify_refresh_token="ref",
    )
    shop.quickbooks_connection = QuickBooksConnection(
        realm_id="1", access_token="qa", refresh_token="qr"
    )
    shop.sales_settings = SalesSettings(order_number_prefix="SH-")
    db.session.add(shop)
    db.session.flush()
    for customer, orders in customer_orders.items():
        for order in orders:
            db.session.add(
                LedgerEntry(
                    shop_id=shop.id,
                    kind=LedgerKind.ORDER,
                    shopify_id=order,
                    shopify_customer_id=customer,
                    qbo_type="SalesReceipt",
                    qbo_id=f"q{order}",
                    last_error=f"note about {customer}",
                )
            )
    db.session.commit()
    return shop


def count(model: type) -> int:
    """Rows in a table."""
    return db.session.scalar(select(func.count()).select_from(model))


def queued(app) -> int:
    """Jobs waiting on every queue."""
    return sum(q.count for q in app.extensions["rq"].values())


@pytest.mark.parametrize("hmac_header", [None, "", "bm90IHRoZSByaWdodCBobWFj"])
def test_webhook_rejects_bad_hmac_without_side_effects(app, client, hmac_header) -> None:
    headers = {"X-Shopify-Hmac-Sha256": hmac_header} if hmac_header is not None else {}
    body = b'{"id": 1}'
    signed = signed_webhook_headers(body, "shop/redact", SHOP, "wh-x")
    signed.pop("X-Shopify-Hmac-Sha256")
    signed.update(headers)
    response = client.post("/webhooks", data=body, headers=signed)
    assert response.status_code == 401
    assert count(ProcessedWebhook) == 0 and queued(app) == 0


def test_webhook_signed_with_another_secret_is_refused(app, client) -> None:
    body = b'{"shop_domain": "alpha.myshopify.com"}'
    headers = signed_webhook_headers(body, "shop/redact", SHOP, "wh-f", secret="forged")
    assert client.post("/webhooks", data=body, headers=headers).status_code == 401
    assert queued(app) == 0


def test_oversized_webhook_is_refused_unread(app, client) -> None:
    body = b'{"pad": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    assert post(client, "orders/create", body).status_code == 413
    assert count(ProcessedWebhook) == 0 and queued(app) == 0


def test_malformed_body_with_good_signature_is_refused_and_not_recorded(app, client) -> None:
    assert post(client, "shop/redact", b"{not json").status_code == 400
    assert count(ProcessedWebhook) == 0 and queued(app) == 0


def test_webhook_needs_a_myshopify_shop_domain(app, client) -> None:
    response = post(client, "shop/redact", {"x": 1}, shop="evil.example.com")
    assert response.status_code == 400 and queued(app) == 0


def test_replayed_delivery_is_processed_once(app, client) -> None:
    install(SHOP, {})
    first = post(client, "app/uninstalled", {"id": 1}, webhook_id="same")
    second = post(client, "app/uninstalled", {"id": 1}, webhook_id="same")
    assert first.get_json()["status"] == "queued"
    assert second.get_json()["status"] == "duplicate"
    assert count(ProcessedWebhook) == 1 and queued(app) == 1


def test_unhandled_topic_is_acknowledged_and_ignored(app, client) -> None:
    response = post(client, "products/update", {"id": 9})
    assert response.status_code == 200 and response.get_json()["status"] == "ignored"
    assert queued(app) == 0


def test_queue_outage_answers_503_so_shopify_retries(database_uri) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = make_test_app(database_uri, REDIS_URL=f"redis://127.0.0.1:{port}/0")
    with app.app_context():
        db.create_all()
        response = post(app.test_client(), "shop/redact", {"shop_domain": SHOP})
        assert response.status_code == 503
        assert count(ProcessedWebhook) == 0
        db.session.remove()


def test_uninstall_stops_jobs_and_discards_both_sides_tokens(app, client, worker) -> None:
    shop, other = install(SHOP, {"c1": ["1"]}), install(OTHER, {"c9": ["9"]})
    pending = enqueue("sync", "jobs.maintenance.mark_abandoned_runs", shop_domain=SHOP)
    untouched = enqueue("sync", "jobs.maintenance.mark_abandoned_runs", shop_domain=OTHER)
    assert post(client, "app/uninstalled", {"domain": SHOP}).status_code == 200
    worker.run()
    db.session.expire_all()
    assert shop.uninstalled_at is not None and not shop.is_installed
    assert shop.shopify_access_token is None and shop.shopify_refresh_token is None
    connection = shop.quickbooks_connection
    assert connection.access_token is None and connection.refresh_token is None
    assert connection.status == ConnectionStatus.DISCONNECTED
    assert shop.sales_settings.order_number_prefix == "SH-"  # kept for a reinstall
    assert count(LedgerEntry) == 2
    pending.refresh()
    untouched.refresh()
    assert pending.is_canceled and untouched.is_finished
    assert other.shopify_access_token == "tok" and other.is_installed


def test_customer_data_request_reports_only_that_customers_records(app, client, worker) -> None:
    shop = install(SHOP, {"c1": ["1", "2"], "c2": ["3"]})
    install(OTHER, {"c1": ["4"]})
    payload = {
        "shop_domain": SHOP,
        "customer": {"id": "c1", "email": "a@example.com"},
        "orders_requested": ["1", "2"],
        "data_request": {"id": 77},
    }
    post(client, "customers/data_request", payload)
    worker.run()
    request = db.session.scalars(select(PrivacyRequest)).one()
    assert request.shop_id == shop.id and request.shopify_request_id == "77"
    assert [r["shopify_id"] for r in request.report["records"]] == ["1", "2"]
    assert "a@example.com" not in json.dumps(request.report)


def test_customer_redact_erases_the_customer_link_but_keeps_order_ids(app, client, worker):
    install(SHOP, {"c1": ["1", "2"], "c2": ["3"]})
    install(OTHER, {"c1": ["4"]})
    post(
        client,
        "customers/data_request",
        {"customer": {"id": "c1"}, "orders_requested": []},
        webhook_id="wh-req",
    )
    post(
        client,
        "customers/redact",
        {"customer": {"id": "c1"}, "orders_to_redact": ["1", "2"]},
        webhook_id="wh-red",
    )
    worker.run()
    db.session.expire_all()
    rows = {(r.shop_id, r.shopify_id): r for r in db.session.scalars(select(LedgerEntry))}
    mine = [row for (shop_id, _), row in rows.items() if row.shopify_id in {"1", "2"}]
    assert all(r.shopify_customer_id is None and r.last_error is None for r in mine)
    assert all(r.qbo_id for r in mine)  # exactly-once posting still knows these orders
    assert next(r for r in rows.values() if r.shopify_id == "3").shopify_customer_id == "c2"
    assert next(r for r in rows.values() if r.shopify_id == "4").shopify_customer_id == "c1"
    kinds = [p.kind.value for p in db.session.scalars(select(PrivacyRequest))]
    assert kinds == ["customers/redact"]  # the earlier report naming c1's records is gone


def test_shop_redact_erases_everything_of_that_shop_only(app, client, worker) -> None:
    install(SHOP, {"c1": ["1"]})
    install(OTHER, {"c2": ["2"]})
    post(client, "shop/redact", {"shop_domain": SHOP}, webhook_id="wh-1")
    post(client, "orders/create", {"id": 2}, webhook_id="wh-2", shop=OTHER)
    worker.run()
    db.session.expire_all()
    assert [s.shop_domain for s in db.session.scalars(select(Shop))] == [OTHER]
    assert count(LedgerEntry) == 1 and count(QuickBooksConnection) == 1
    assert [w.shop_domain for w in db.session.scalars(select(ProcessedWebhook))] == [OTHER]


def test_queued_jobs_carry_no_personal_data(app, client) -> None:
    install(SHOP, {})
    order = {
        "id": 820982911946154508,
        "email": "jon@example.com",
        "customer": {"id": 1, "email": "jon@example.com", "phone": "555-625-1199"},
        "billing_address": {"address1": "1 Main St"},
    }
    post(client, "orders/create", order, webhook_id="wh-order")
    post(
        client,
        "customers/redact",
        {
            "customer": {"id": 1, "email": "jon@example.com", "phone": "555-625-1199"},
            "orders_to_redact": [1],
        },
        webhook_id="wh-redact",
    )
    jobs = [job for queue in app.extensions["rq"].values() for job in queue.get_jobs()]
    assert len(jobs) == 2
    stored = json.dumps([job.args for job in jobs])
    assert "820982911946154508" in stored  # what the jobs need is there
    assert "jon@example.com" not in stored and "555-625-1199" not in stored
    assert "Main St" not in stored
