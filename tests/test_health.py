"""GET /healthz answers 200 only when the database and Redis both answer."""

from __future__ import annotations

import socket

from tests.support import make_test_app


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_is_ok_when_both_answer(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_healthz_is_503_when_redis_is_down(database_uri) -> None:
    app = make_test_app(database_uri, REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")
    response = app.test_client().get("/healthz")
    body = response.get_json()
    assert response.status_code == 503
    assert body["database"] == "ok"
    assert body["redis"].startswith("error: ")


def test_healthz_is_503_and_leaks_nothing_when_the_database_is_down() -> None:
    url = f"postgresql+psycopg://ledger:hunter2@127.0.0.1:{closed_port()}/nowhere"
    app = make_test_app(url)
    response = app.test_client().get("/healthz")
    body = response.get_json()
    assert response.status_code == 503
    assert body["redis"] == "ok" and body["database"].startswith("error: ")
    assert "hunter2" not in response.get_data(as_text=True)
