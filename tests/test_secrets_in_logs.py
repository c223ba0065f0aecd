"""OAuth codes and session tokens ride in query strings; no log line may keep them. The web
process is started as the Procfile starts it (real gunicorn, gunicorn.conf.py from the repo)."""

from __future__ import annotations

import http.client
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from extensions import db
from models import Shop
from tests.support import signed_webhook_headers

ROOT = Path(__file__).resolve().parent.parent
SHOP = "alpha.myshopify.com"
SECRETS = ("SECRETCODE", "SECRETTOKEN", "SECRETREFERER")
BODY_LIMIT = 65536
JSON = "application/json"
SHARED_CONFIG = (
    "SECRET_KEY",
    "ENCRYPTION_KEY",
    "SHOPIFY_API_KEY",
    "SHOPIFY_API_SECRET",
    "QBO_CLIENT_ID",
    "QBO_CLIENT_SECRET",
    "APP_URL",
)


def web_command() -> str:
    """The Procfile's `web` command, as Heroku would run it."""
    lines = (ROOT / "Procfile").read_text().splitlines()
    return next(line.split(":", 1)[1].strip() for line in lines if line.startswith("web:"))


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Web:
    """A running gunicorn and the file its stdout and stderr go to."""

    def __init__(self, app, database_uri: str, redis_url: str, log: Path) -> None:  # noqa: ANN001
        self.port, self.log = free_port(), log
        env = dict(os.environ, TESTING="1", DATABASE_URL=database_uri, REDIS_URL=redis_url)
        env.update({name: str(app.config[name]) for name in SHARED_CONFIG})
        env.update(PORT=str(self.port), WEB_CONCURRENCY="1", MAX_CONTENT_LENGTH=str(BODY_LIMIT))
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        env.pop("SANDBOX", None)
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                ["bash", "-c", f"exec {web_command()}"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_until_up(self, timeout: float = 30) -> None:
        """Block until gunicorn answers HTTP."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                requests.get(f"{self.url}/", timeout=2)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn did not start:\n{self.log.read_text()}")

    def stop(self) -> str:
        """Stop gunicorn (flushing its logs) and return everything it wrote."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        return self.log.read_text(errors="replace")


@pytest.fixture
def web(app, database_uri, redis_server_url, tmp_path) -> Iterator[Web]:  # noqa: ANN001
    """gunicorn serving the app on this test's database, with an installed shop."""
    db.session.add(Shop(shop_domain=SHOP, installed_at=datetime.now(UTC), shopify_access_token="t"))
    db.session.commit()
    server = Web(app, database_uri, redis_server_url, tmp_path / "gunicorn.log")
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()


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


def test_chunked_bodies_are_bounded_by_max_content_length(web: Web, session_token) -> None:  # noqa: ANN001
    def settings(body: bytes) -> int:
        headers = {"Authorization": f"Bearer {session_token(SHOP)}"}
        return chunked(web, "PUT", "/api/settings", body, headers | {"Content-Type": JSON})

    assert settings(b'{"sales": {"order_number_prefix": "CH-"}}') == 200  # chunked bodies are read
    big = b'{"sales": {"order_number_prefix": "' + b"x" * (BODY_LIMIT * 2) + b'"}}'
    assert settings(big) == 413
    headers = signed_webhook_headers(big, "orders/paid", SHOP, "chunked-1")
    assert chunked(web, "POST", "/webhooks", big, headers) == 413


def test_werkzeug_request_log_has_no_query_strings(app, caplog) -> None:  # noqa: ANN001
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
