"""Test control (/_emulator/) through the Shopify emulator."""

from __future__ import annotations

import time
import urllib.error
from datetime import UTC, datetime

import pytest
import requests

from emulators.shopify.templates import DEMO_TOKEN
from tests.emulators.shopify.builders import create_order

SHOP_QUERY = "{ shop { name currencyCode } }"
GRAPHQL_KEY = "graphql query shop"


def test_request_log_counts_per_endpoint(shop_client):
    shop_client.data(SHOP_QUERY)
    shop_client.data(SHOP_QUERY)
    log = shop_client.control("GET", "/requests").json()
    assert log["counts"] == {GRAPHQL_KEY: 2}
    assert [e["status"] for e in log["requests"]] == [200, 200]
    assert log["requests"][0]["path"] == "/admin/api/2025-01/graphql.json"


def test_log_keys_name_mutations_and_oauth(shop_client):
    create_order(shop_client)
    shop_client.execute("{ shop { nope } }")
    requests.post(f"{shop_client.url}/admin/oauth/access_token", data={}, timeout=10)
    counts = shop_client.control("GET", "/requests").json()["counts"]
    assert counts == {
        "graphql mutation orderCreate": 1,
        "graphql query shop": 1,
        "POST /admin/oauth/access_token": 1,
    }


def test_control_routes_are_not_logged_and_log_can_be_cleared(shop_client):
    shop_client.data(SHOP_QUERY)
    shop_client.control("GET", "/clock")
    assert shop_client.control("DELETE", "/requests").status_code == 200
    assert shop_client.control("GET", "/requests").json()["total"] == 0


def test_reset_forgets_shops_and_tokens(shop_client):
    shop_client.control("POST", "/reset")
    with pytest.raises(urllib.error.HTTPError) as err:
        shop_client.execute(SHOP_QUERY)
    assert err.value.code == 401


def test_template_loads_and_unknown_template_is_404(shop_client):
    resp = shop_client.control("POST", "/template", json={"name": "empty"})
    assert resp.status_code == 200
    assert shop_client.control("POST", "/template", json={"name": "nope"}).status_code == 404
    body = shop_client.execute(SHOP_QUERY, token=DEMO_TOKEN)
    assert body["data"]["shop"]["name"] == "Ledgerbridge Demo"


def test_latency_fault_delays_answers(shop_client):
    shop_client.control("POST", "/faults", json={"latency_ms": 300})
    started = time.monotonic()
    shop_client.data(SHOP_QUERY)
    assert time.monotonic() - started >= 0.3


def test_error_rate_fault_answers_with_configured_status(shop_client):
    shop_client.control("POST", "/faults", json={"error_rate": 1.0, "error_status": 503})
    with pytest.raises(urllib.error.HTTPError) as err:
        shop_client.execute(SHOP_QUERY)
    assert err.value.code == 503
    shop_client.control("POST", "/faults", json={})
    assert shop_client.data(SHOP_QUERY)["shop"]["currencyCode"] == "USD"


def test_throttle_burst_returns_shopify_throttled_body(shop_client):
    shop_client.control("POST", "/faults", json={"throttle_burst": 2})
    first = shop_client.execute(SHOP_QUERY)
    second = shop_client.execute(SHOP_QUERY)
    third = shop_client.execute(SHOP_QUERY)
    for body in (first, second):
        assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
        assert body["extensions"]["cost"]["actualQueryCost"] is None
    assert third["data"]["shop"]["name"]


@pytest.mark.parametrize(
    "faults",
    [
        {"bogus": 1},
        {"latency_ms": "slow"},
        {"error_rate": 2},
        {"expire_tokens": "yes"},
        {"throttle_burst": -1},
    ],
)
def test_bad_fault_config_is_rejected(shop_client, faults):
    assert shop_client.control("POST", "/faults", json=faults).status_code == 400
    assert shop_client.control("GET", "/faults").json()["latency_ms"] == 0


def test_expire_tokens_fault_makes_every_token_invalid(shop_client):
    shop_client.control("POST", "/faults", json={"expire_tokens": True})
    with pytest.raises(urllib.error.HTTPError) as err:
        shop_client.execute(SHOP_QUERY)
    assert err.value.code == 401


def test_clock_can_be_set_and_advanced(shop_client):
    resp = shop_client.control("POST", "/clock", json={"now": "2030-01-01T00:00:00Z"})
    now = datetime.fromisoformat(resp.json()["now"])
    assert abs((now - datetime(2030, 1, 1, tzinfo=UTC)).total_seconds()) < 5
    resp = shop_client.control("POST", "/clock", json={"advance": 86400})
    assert datetime.fromisoformat(resp.json()["now"]).date().isoformat() == "2030-01-02"
    resp = shop_client.control("POST", "/clock", json={"reset": True})
    assert datetime.fromisoformat(resp.json()["now"]).year == datetime.now(UTC).year


def test_clock_rejects_bad_dates(shop_client):
    assert shop_client.control("POST", "/clock", json={"now": "not a date"}).status_code == 400


def test_drop_after_commit_applies_the_change_then_drops_the_connection(shop_client):
    shop_client.control("POST", "/faults", json={"drop_after_commit": 1})
    with pytest.raises((urllib.error.URLError, ConnectionError)):  # RemoteDisconnected
        create_order(shop_client)
    log = shop_client.control("GET", "/requests").json()
    assert log["requests"][-1]["status"] == 0
    orders = shop_client.data("{ orders(first: 5) { nodes { name } } }")["orders"]["nodes"]
    assert orders == [{"name": "#1001"}]  # the order was created before the drop


def test_drop_is_a_connection_error_for_requests(shop_client):
    shop_client.control("POST", "/faults", json={"drop_after_commit": 1})
    with pytest.raises(requests.ConnectionError):
        requests.post(
            f"{shop_client.url}/admin/api/2025-01/graphql.json",
            json={"query": SHOP_QUERY},
            headers={"X-Shopify-Access-Token": shop_client.token},
            timeout=10,
        )
    assert shop_client.data(SHOP_QUERY)["shop"]["name"]
