"""Bad input gets a 4xx naming the problem, never a 500, and changes nothing: deep JSON, NaN,
wrong types and out-of-range ids in settings, huge route ids, oversize bodies, long webhook ids."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from extensions import db
from models import PaymentGatewayMapping, ProcessedWebhook, QuickBooksConnection, Shop, TaxMapping
from request_limits import MAX_JSON_DEPTH, json_depth
from tests.support import signed_webhook_headers

SHOP = "alpha.myshopify.com"
DEEP = ("[" * 100_000).encode()


@pytest.fixture
def shop(app) -> Shop:
    """An installed shop connected to QuickBooks, its settings saved once."""
    shop = Shop(shop_domain=SHOP, installed_at=datetime.now(UTC), shopify_access_token="t")
    shop.quickbooks_connection = QuickBooksConnection(realm_id="1", custom_txn_numbers=True)
    db.session.add(shop)
    shop.ensure_settings()
    db.session.commit()
    return shop


def auth(session_token) -> dict[str, str]:
    """The embedded page's Authorization header."""
    return {"Authorization": f"Bearer {session_token(SHOP)}"}


def put_settings(client, session_token, body: bytes | object):
    """PUT /api/settings with a raw or JSON body."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.put(
        "/api/settings",
        data=data,
        content_type="application/json",
        headers=auth(session_token),
    )


def settings(client, session_token) -> dict:
    """The settings document as GET returns it."""
    return client.get("/api/settings", headers=auth(session_token)).get_json()


def test_json_depth_counts_nesting_outside_strings() -> None:
    assert json_depth(b'{"a": [1, {"b": "[[[[{{{{"}]}') == 3
    assert json_depth(b'"\\"[[[["') == 0
    assert json_depth(DEEP) == 100_000


def test_deep_json_to_settings_is_a_400(client, shop, session_token) -> None:
    before = settings(client, session_token)
    response = put_settings(client, session_token, DEEP)
    assert response.status_code == 400
    assert f"deeper than {MAX_JSON_DEPTH} levels" in response.get_json()["error"]
    nested: object = 1
    for _ in range(MAX_JSON_DEPTH):
        nested = [nested]
    assert put_settings(client, session_token, {"sales": nested}).status_code == 400
    assert settings(client, session_token) == before


def test_deep_json_webhook_with_a_valid_signature_is_a_400(client, shop) -> None:
    headers = signed_webhook_headers(DEEP, "orders/paid", SHOP, "deep-1")
    response = client.post("/webhooks", data=DEEP, headers=headers)
    assert response.status_code == 400
    assert "deeper than" in response.get_json()["error"]
    assert db.session.scalar(select(func.count()).select_from(ProcessedWebhook)) == 0


def test_nan_and_infinity_are_refused(client, shop, session_token) -> None:
    before = settings(client, session_token)
    for value in ("NaN", "Infinity", "-Infinity", "sNaN", "1e999999", True, [], {}):
        response = put_settings(client, session_token, {"inventory": {"max_zero_share": value}})
        assert response.status_code == 422, value
        assert "between 0 and 1" in response.get_json()["errors"]["inventory.max_zero_share"]
    raw = b'{"inventory": {"max_zero_share": NaN}}'
    assert put_settings(client, session_token, raw).status_code == 400
    assert settings(client, session_token) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"tax_mappings": 5}, "tax_mappings"),
        ({"gateway_mappings": 5}, "gateway_mappings"),
        ({"gateway_mappings": "shopify_payments"}, "gateway_mappings"),
        ({"sales": [1]}, "sales"),
        ({"sync": "yes"}, "sync"),
        ({"payroll": {}}, "payroll"),
        ({"gateway_mappings": [{"gateway": f"g{i}"} for i in range(201)]}, "gateway_mappings"),
    ],
)
def test_wrong_containers_and_unknown_sections_are_a_400_naming_them(
    client, shop, session_token, body, field
) -> None:
    before = settings(client, session_token)
    response = put_settings(client, session_token, body)
    assert response.status_code == 400
    assert field in response.get_json()["errors"]
    assert settings(client, session_token) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"tax_mappings": [{"id": "abc"}]}, "tax_mappings[0].id"),
        ({"tax_mappings": [{"id": 10**30}]}, "tax_mappings[0].id"),
        ({"tax_mappings": [{"id": {}}]}, "tax_mappings[0].id"),
        ({"tax_mappings": [{"id": -1}]}, "tax_mappings[0].id"),
        ({"tax_mappings": [{"id": True}]}, "tax_mappings[0].id"),
        ({"tax_mappings": [7]}, "tax_mappings[0]"),
        ({"gateway_mappings": [{"gateway": ["x"]}]}, "gateway_mappings[0].gateway"),
        ({"gateway_mappings": [{"gateway": "a\x00b"}]}, "gateway_mappings[0].gateway"),
        ({"gateway_mappings": [{"gateway": "x" * 256}]}, "gateway_mappings[0].gateway"),
        (
            {"gateway_mappings": [{"gateway": "cash"}, {"gateway": "cash"}]},
            "gateway_mappings[1].gateway",
        ),
        (
            {"gateway_mappings": [{"gateway": "cash", "qbo_clearing_account_id": 10**40}]},
            "gateway_mappings[0].qbo_clearing_account_id",
        ),
        ({"sales": {"qbo_class_id": "١٢"}}, "sales.qbo_class_id"),
        ({"sales": {"qbo_class_id": 1.5}}, "sales.qbo_class_id"),
        ({"sales": {"order_number_prefix": ["SH-"]}}, "sales.order_number_prefix"),
        ({"sales": {"generic_customer_name": {"a": 1}}}, "sales.generic_customer_name"),
        ({"sales": {"generic_customer_name": "Shop\ud800"}}, "sales.generic_customer_name"),
        ({"sales": {"inventory_start_date": 20260101}}, "sales.inventory_start_date"),
        (
            {"inventory": {"shopify_location_id": "gid://shopify/\x00/1"}},
            "inventory.shopify_location_id",
        ),
    ],
)
def test_wrong_types_and_ranges_name_the_field_and_save_only_the_good_change(
    client, shop, session_token, body, field
) -> None:
    tax = TaxMapping(shop_id=shop.id, title="GST", rate=1)
    db.session.add(tax)
    db.session.commit()
    before = settings(client, session_token)
    body = {"inventory": {"max_zero_share": "0.5"}} | body  # a good change alongside
    response = put_settings(client, session_token, body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]
    after = settings(client, session_token)
    if "max_zero_share" in body["inventory"]:
        assert after["inventory"].pop("max_zero_share") == "0.5000"  # the good change is kept
        before["inventory"].pop("max_zero_share")
    after["gateway_mappings"] = [m for m in after["gateway_mappings"] if m["gateway"] != "cash"]
    assert after == before


def test_gateway_mappings_are_bounded_per_shop(client, shop, session_token) -> None:
    db.session.add_all(
        PaymentGatewayMapping(shop_id=shop.id, gateway=f"old-{i}") for i in range(199)
    )
    db.session.commit()
    one_more = put_settings(client, session_token, {"gateway_mappings": [{"gateway": "new-1"}]})
    assert one_more.status_code == 200
    response = put_settings(client, session_token, {"gateway_mappings": [{"gateway": "new-2"}]})
    assert response.status_code == 422
    assert "at most 200" in response.get_json()["errors"]["gateway_mappings"]
    count = select(func.count()).select_from(PaymentGatewayMapping)
    assert db.session.scalar(count) == 200


@pytest.mark.parametrize("run_id", ["1180591620717411303424", "2147483648", "0"])
def test_route_ids_beyond_the_database_range_are_a_404(client, shop, session_token, run_id) -> None:
    response = client.get(f"/api/runs/{run_id}", headers=auth(session_token))
    assert response.status_code == 404
    assert response.is_json and response.get_json()["error"]


def test_every_int_route_parameter_is_bounded(app) -> None:
    from request_limits import BoundedIntConverter

    for rule in app.url_map.iter_rules():
        for converter in rule._converters.values():
            if "int" in type(converter).__name__.lower() or converter.regex == r"\d+":
                assert isinstance(converter, BoundedIntConverter), rule.rule


def test_oversize_bodies_are_a_413_in_json(client, shop, session_token) -> None:
    big = b"{" + b" " * (3 * 1024 * 1024) + b"}"
    response = put_settings(client, session_token, big)
    assert response.status_code == 413
    assert response.is_json and "limit" in response.get_json()["error"]
    webhook = client.post(
        "/webhooks", data=big, headers=signed_webhook_headers(big, "orders/paid", SHOP, "big")
    )
    assert webhook.status_code == 413


def test_the_body_limit_comes_from_the_environment() -> None:
    from config import ConfigError, load_config

    env = {"TESTING": "1", "ENCRYPTION_KEY": "x"}
    overrides = {"ENCRYPTION_KEY": __import__("tests.support").support.ENCRYPTION_KEY}
    assert load_config(env, overrides)["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024
    env["MAX_CONTENT_LENGTH"] = "4194304"
    assert load_config(env, overrides)["MAX_CONTENT_LENGTH"] == 4 * 1024 * 1024
    env["MAX_CONTENT_LENGTH"] = "lots"
    with pytest.raises(ConfigError, match="MAX_CONTENT_LENGTH"):
        load_config(env, overrides)


def test_api_errors_are_json_without_html(client, shop, session_token) -> None:
    cases = [
        client.get("/api/nowhere", headers=auth(session_token)),
        client.delete("/api/settings", headers=auth(session_token)),
        client.put(
            "/api/settings", data="{", content_type="application/json", headers=auth(session_token)
        ),
        client.post("/api/sync/sales/retry", json=[1], headers=auth(session_token)),
        client.post(
            "/api/sync/sales/retry", json={"order_ids": [{"a": 1}]}, headers=auth(session_token)
        ),
    ]
    assert [r.status_code for r in cases] == [404, 405, 400, 400, 400]
    for response in cases:
        assert response.is_json and isinstance(response.get_json()["error"], str)
        assert "<html" not in response.get_data(as_text=True).lower()
    assert "PUT" in cases[1].headers["Allow"]


def deliver(client, webhook_id: str):
    """A signed app/uninstalled-style delivery for an unhandled topic, with this id."""
    body = b"{}"
    headers = signed_webhook_headers(body, "ledgerbridge/test", SHOP, webhook_id)
    return client.post("/webhooks", data=body, headers=headers)


def test_long_webhook_ids_do_not_collide(client, shop) -> None:
    first, second = "a" * 255 + "1" * 45, "a" * 255 + "2" * 45
    assert deliver(client, first).get_json()["status"] == "ignored"
    assert deliver(client, second).get_json()["status"] == "ignored"
    assert deliver(client, first).get_json()["status"] == "duplicate"
    assert deliver(client, second).get_json()["status"] == "duplicate"
    short = "b" * 255
    assert deliver(client, short).get_json()["status"] == "ignored"
    stored = set(db.session.scalars(select(ProcessedWebhook.webhook_id)))
    assert short in stored and all(len(i) <= 255 for i in stored)
    assert sum(i.startswith("sha256:") for i in stored) == 2
