"""The browser harness: the app served in sandbox mode for a real Chromium (Debian's, driven by
Playwright), once per pytest session (once per xdist worker).

`sandbox` serves the app on a free port the way `flask sandbox` wires it — both emulators seeded
with a small demo store and the demo QBO company, a worker and the scheduler in-process — on the
suite's database and Redis settings: a session-wide SQLite file (or a fresh Postgres schema when
DATABASE_URL is set) and the in-process Redis stand-in (or a database number of its own on
REDIS_URL, so its worker never takes the jobs of the other tests). The merchant connects
QuickBooks once, in the browser, before the first test.

`browser` is one Chromium per session; every test gets a fresh context (`new_page`).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
import requests
from flask import Flask

from extensions import db as _db
from tests.support import _xdist_index, isolated_database, make_test_app

CHROMIUM = "/usr/bin/chromium"
# No network beyond localhost, no GPU, nothing Chromium does on its own in the background.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_ORDERS = 30
ARTIFACTS = Path(
    os.environ.get("BROWSER_ARTIFACTS") or Path(__file__).resolve().parent / "artifacts"
)


@dataclass
class SandboxServer:
    """The app in sandbox mode, served for the browser."""

    app: Flask
    url: str
    shop_domain: str
    realm_id: str

    @property
    def admin_url(self) -> str:
        """The sandbox admin: the demo store's 'Shopify admin' framing the app."""
        return f"{self.url}/sandbox/"

    def token(self) -> str:
        """A fresh App Bridge session token for the demo shop."""
        from emulators.shopify.session_tokens import mint_session_token

        config = self.app.config
        return mint_session_token(
            self.shop_domain, str(config["SHOPIFY_API_KEY"]), str(config["SHOPIFY_API_SECRET"])
        )

    def api(self, method: str, path: str, json: dict | None = None) -> dict:
        """An embedded-page API call for the demo shop (JSON answer)."""
        headers = {"Authorization": f"Bearer {self.token()}"}
        response = requests.request(
            method, f"{self.url}{path}", headers=headers, json=json, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def app_url(self, path: str = "/app") -> str:
        """An embedded page opened as the admin's frame opens it: with a fresh session token."""
        query = urlencode({"shop": self.shop_domain, "embedded": "1", "id_token": self.token()})
        return f"{self.url}{path}?{query}"


@pytest.fixture(scope="session")
def browser_database_uri(tmp_path_factory) -> Iterator[str]:
    """A database for the session's sandbox: a SQLite file, or a Postgres schema of its own."""
    sqlite_file = tmp_path_factory.mktemp("browser") / "sandbox.sqlite3"
    with isolated_database(sqlite_file, "browser") as uri:
        yield uri


def _sandbox_redis_url(offset: int = 15) -> str | None:
    """None (in-process stand-in), or REDIS_URL on a database number no other fixture uses:
    the per-test fixtures use 1 + the xdist worker index; the sandboxes take `offset` minus it
    (15 for the session's, 12 for a fresh one)."""
    raw = os.environ.get("REDIS_URL")
    if not raw:
        return None
    return urlunsplit(urlsplit(raw)._replace(path=f"/{offset - _xdist_index()}"))


@contextmanager
def serve_sandbox(database_uri: str, redis_url: str | None, orders: int) -> Iterator[SandboxServer]:
    """The app in sandbox mode on a free port, with seeded emulators, a worker and the
    scheduler, as `flask sandbox` starts it; stopped and its Redis emptied on exit."""
    from emulators import sandbox as emulators
    from emulators.common.serve import serve_in_thread
    from jobs.runner import start_in_process

    app = make_test_app(database_uri, SANDBOX=True, REDIS_URL=redis_url)
    redis = app.extensions["redis"]
    redis.flushdb()
    with app.app_context():
        _db.create_all()
    web = serve_in_thread(app)
    app.config["APP_URL"] = web.url  # before the emulators learn the QBO redirect URI
    seeded = emulators.start(
        app, shopify_port=0, quickbooks_port=0, orders=orders, say=lambda _: None
    )
    app.extensions["sandbox"] = seeded
    stop = threading.Event()
    threads = start_in_process(app, stop)
    yield SandboxServer(app, web.url, seeded.shop_domain, seeded.realm_id)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    web.shutdown()
    seeded.stop()
    redis.flushdb()
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture(scope="session")
def sandbox(browser_database_uri: str) -> Iterator[SandboxServer]:
    """The session's sandbox (a small demo store, for speed), connected by `connected`."""
    with serve_sandbox(browser_database_uri, _sandbox_redis_url(), DEMO_ORDERS) as server:
        yield server


@pytest.fixture
def fresh_sandbox(tmp_path) -> Iterator[SandboxServer]:
    """A sandbox of its own, just as a new merchant finds it: the app not yet opened, QuickBooks
    not connected, nothing synced."""
    with isolated_database(tmp_path / "fresh.sqlite3", "fresh") as uri:
        with serve_sandbox(uri, _sandbox_redis_url(12), DEMO_ORDERS) as server:
            yield server


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium (Debian's) for the session, on a fresh profile."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"The browser tests drive Debian's Chromium at {CHROMIUM}, which is not installed: "
            "run `apt-get install chromium` (CI does it), then the tests again.",
            pytrace=False,
        )
    # launch() starts Chromium on a new temporary profile (--user-data-dir) of its own and
    # deletes it on close: every session's browser starts fresh.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def connect_over_http(sandbox: SandboxServer) -> None:
    """Install Ledgerbridge on the demo store and connect QuickBooks over HTTP, as the admin and
    the merchant's browser would (open the app, ask for the connect URL, follow it through
    Intuit's consent, which the emulator gives at once)."""
    browser = requests.Session()
    assert browser.get(sandbox.app_url(), timeout=30).status_code == 200
    start = browser.post(
        f"{sandbox.url}/api/quickbooks/connect",
        headers={"Authorization": f"Bearer {sandbox.token()}"},
        timeout=30,
    )
    assert start.status_code == 200, start.text
    result = browser.get(start.json()["authorize_url"], timeout=30)
    assert result.status_code == 200 and "is now connected" in result.text, result.text


@pytest.fixture(scope="session")
def connected(sandbox: SandboxServer) -> SandboxServer:
    """The demo store with Ledgerbridge installed and QuickBooks connected over HTTP, so that it
    holds whichever way the pages present the Connect button."""
    connect_over_http(sandbox)
    # One sync on the worker, so that every page shows what a merchant's does: runs, failed
    # orders (the demo store's settings are left as installed), taxes and gateways seen.
    run = sandbox.api("POST", "/api/sync/sales")
    for _ in range(600):
        if run["status"] not in ("queued", "running"):
            break
        time.sleep(0.1)
        run = sandbox.api("GET", f"/api/runs/{run['id']}")
    assert run["status"] not in ("queued", "running"), run
    return sandbox


@pytest.fixture
def new_page(browser) -> Iterator[Callable[..., object]]:
    """`new_page(width=1280, height=900)`: a page in a fresh context of the session's browser
    (own cookies and storage), closed after the test."""
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (BROWSER_ARTIFACTS, default tests/browser/artifacts/)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
