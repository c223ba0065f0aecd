"""Every route, every method, with a valid session token: wrong types, NaN, 100k-deep JSON and a
body over the limit never give a 5xx, and a rejected settings write changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from blueprints.settings_fields import SECTIONS
from tests.sales_store import Store

SHOP = "sweep.myshopify.com"
WRONG: list[Any] = [
    5,
    -1,
    1.5,
    10**30,
    "x",
    "NaN",
    "",
    True,
    None,
    [],
    [1, "a", None],
    {},
    {"a": {"b": [1]}},
]
DOCUMENTS: list[Any] = [
    *WRONG,
    {"sales": 5, "tax_mappings": "x", "gateway_mappings": {"a": 1}},
    {"order_ids": "x", "all_failed": "yes"},
    {"order_ids": [{"a": 1}, 10**30, None]},
    {"all_failed": 1, "order_ids": list(range(1000))},
    {"tax_mappings": [{"id": v} for v in WRONG]},
    {"gateway_mappings": [{"gateway": v, "qbo_clearing_account_id": v} for v in WRONG]},
    {"sales": None, "products": [], "inventory": "x", "sync": 7, "extra": {}},
]
DEEP = b"[" * 100_000
HUGE = b'{"a": "' + b"x" * (3 * 1024 * 1024) + b'"}'
QUERY = {
    "type": ["Income", "\x00"],
    "shop": "x" * 300,
    "id_token": "x",
    "code": "x",
    "state": "x" * 300,
    "realmId": "abc",
    "ticket": "",
    "hmac": "zz",
    "timestamp": "NaN",
}
PARAMS = {"int": ["1", "2147483647", "2147483648", "1180591620717411303424"], "default": ["x"]}


@pytest.fixture
def shop(shopify_emulator, qbo_emulator, merchant) -> Store:
    """An installed shop connected to QuickBooks on the emulators, so lookups answer."""
    store = Store(shopify_emulator, SHOP)
    merchant(store.domain).install_and_connect()
    return store


def urls(app) -> list[tuple[str, str]]:
    """(method, url) of every rule, its parameters filled with good and bad values."""
    calls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        filled = [rule.rule]
        for name, converter in rule._converters.items():
            kind = "int" if "Integer" in type(converter).__mro__[1].__name__ else "default"
            if kind == "default" and rule.endpoint == "pickers.choices":
                values = ["accounts", "taxes", "tax_codes", "nope"]
            else:
                values = PARAMS[kind]
            filled = [u.replace(f"<{_spec(rule, name)}>", v) for u in filled for v in values]
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        calls += [(m, u) for u in filled for m in methods]
    # Disconnecting last keeps the QuickBooks lookups answering for the rest of the sweep.
    return sorted(calls, key=lambda c: c[1] == "/api/quickbooks/disconnect")


def _spec(rule, name: str) -> str:
    """The `<...>` text of a rule's parameter, e.g. `int:run_id`."""
    return next(
        part.strip("<>") for part in rule.rule.split("/") if part.strip("<>").endswith(name)
    )


def test_no_route_answers_bad_input_with_a_5xx(app, client, shop, session_token) -> None:
    def send(method: str, url: str, data: bytes | None, query: dict | None = None) -> int:
        headers = {"Authorization": f"Bearer {session_token(SHOP)}"}
        response = client.open(
            url,
            method=method,
            data=data,
            query_string=query,
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code < 500, (method, url, data[:80] if data else data)
        if response.status_code >= 400 and response.is_json:
            assert response.get_json().get("error") or response.get_json().get("errors")
        return response.status_code

    bodies = [json.dumps(d).encode() for d in DOCUMENTS] + [b"{", b"\xff", DEEP, HUGE]
    calls = urls(app)
    assert ("GET", "/api/runs/1180591620717411303424") in calls
    for method, url in calls:
        for body in [None, *bodies]:
            send(method, url, body)
        send(method, url, None, QUERY)
    assert send("PUT", "/api/settings", HUGE) == 413
    assert send("PUT", "/api/settings", DEEP) == 400


def test_rejected_settings_writes_change_nothing(client, shop, session_token) -> None:
    headers = {"Authorization": f"Bearer {session_token(SHOP)}"}
    before = client.get("/api/settings", headers=headers).get_json()
    bodies: list[Any] = list(DOCUMENTS)
    for section in SECTIONS:
        for field in section.fields:
            bodies += [{section.name: {field: value}} for value in WRONG]
    for body in bodies:
        response = client.put(
            "/api/settings",
            data=json.dumps(body),
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code < 500, body
        after = client.get("/api/settings", headers=headers).get_json()
        if response.status_code >= 400:
            assert after == before, body
        before = after
