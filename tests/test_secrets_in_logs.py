"""OAuth codes and session tokens ride in query strings; no log line may keep them. The web
process is started as the Procfile starts it (real gunicorn, gunicorn.conf.py from the repo)."""

from __future__ import annotations

import http.client
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import requests
from werkzeug.serving import make_server

from extensions import db
from models import Shop
from tests.deployed import Deployment
from tests.support import signed_webhook_headers

SHOP = "alpha.myshopify.com"
SECRETS = ("SECRETCODE", "SECRETTOKEN", "SECRETREFERER")
BODY_LIMIT = 65536
JSON = "application/json"


@dataclass
class Web:
    """The Procfile's `web` process (real gunicorn, gunicorn.conf.py from the repo)."""

    deployment: Deployment
    url: str
    port: int

    def stop(self) -> str:
        """Stop gunicorn (flushing its logs) and return everything it wrote."""
        self.deployment.stop_all()
        return self.deployment.logs("web")


@pytest.fixture
def web(deployment) -> Web:
    """gunicorn serving the app on this test's database, with an installed shop."""
    db.session.add(Shop(shop_domain=SHOP, installed_at=datetime.now(UTC), shopify_access_token="t"))
    db.session.commit()
    deployment.start("web", WEB_CONCURRENCY="1", MAX_CONTENT_LENGTH=str(BODY_LIMIT))
    return Web(deployment, deployment.url, deployment.port)


def test_gunicorn_logs_no_oauth_code_nor_session_token(web: Web) -> None:
    callback = requests.get(
        f"{web.url}/quickbooks/callback",
        params={"code": "SECRETCODE", "state": "x", "realmId": "1"},
        timeout=10,
    )
    assert callback.status_code == 403
    opened = requests.get(
        f"{web.url}/app",
        params={"shop": SHOP, "embedded": "1", "id_token": "SECRETTOKEN"},
        headers={"Referer": "https://admin.shopify.com/store/alpha?id_token=SECRETREFERER"},
        timeout=10,
    )
    assert opened.status_code == 401
    output = web.stop()
    assert "GET /quickbooks/callback HTTP/1.1" in output and "GET /app HTTP/1.1" in output
    for secret in SECRETS:
        assert secret not in output


def chunked(web: Web, method: str, path: str, body: bytes, headers: dict[str, str]) -> int:
    """Send a request with a chunked body (no Content-Length); the status."""
    connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=30)
    chunks = (body[i : i + 8192] for i in range(0, len(body), 8192))
    try:
        connection.request(method, path, body=chunks, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def test_chunked_bodies_are_bounded_by_max_content_length(web: Web, session_token) -> None:
    def settings(body: bytes) -> int:
        headers = {"Authorization": f"Bearer {session_token(SHOP)}"}
        return chunked(web, "PUT", "/api/settings", body, headers | {"Content-Type": JSON})

    assert settings(b'{"sales": {"order_number_prefix": "CH-"}}') == 200  # chunked bodies are read
    big = b'{"sales": {"order_number_prefix": "' + b"x" * (BODY_LIMIT * 2) + b'"}}'
    assert settings(big) == 413
    headers = signed_webhook_headers(big, "orders/paid", SHOP, "chunked-1")
    assert chunked(web, "POST", "/webhooks", big, headers) == 413


def test_werkzeug_request_log_has_no_query_strings(app, caplog) -> None:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            url = f"http://127.0.0.1:{server.server_port}"
            requests.get(f"{url}/app", params={"shop": SHOP, "id_token": "SECRETTOKEN"}, timeout=10)
            requests.get(f"{url}/quickbooks/callback", params={"code": "SECRETCODE"}, timeout=10)
    finally:
        server.shutdown()
    assert "GET /app HTTP/1.1" in caplog.text and "/quickbooks/callback" in caplog.text
    assert "SECRETTOKEN" not in caplog.text and "SECRETCODE" not in caplog.text
