"""Shared fixtures: an app on an isolated database per test, Redis, and a real RQ worker.

The database is SQLite (a fresh file per test) unless DATABASE_URL points at Postgres, where every
test gets its own schema. Redis is an in-process stand-in unless REDIS_URL points at a server,
where every pytest-xdist worker gets its own database number, flushed around each test.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest
import requests
from flask import Flask
from rq import SimpleWorker

from extensions import db as _db
from jobs.runner import queues_in_priority
from tests.support import _redis_url, isolated_database, make_test_app, register_shopify_app

if TYPE_CHECKING:
    from tests.merchant import Merchant
    from tests.sales_store import Store


@pytest.fixture
def database_uri(tmp_path) -> Iterator[str]:
    """A database URI nobody else uses: a temp SQLite file, or a fresh Postgres schema."""
    with isolated_database(tmp_path / "test.sqlite3", "test") as uri:
        yield uri


@pytest.fixture
def bare_app(database_uri: str) -> Iterator[Flask]:
    """The app on an empty isolated database (no tables), with Redis flushed."""
    app = make_test_app(database_uri)
    redis = app.extensions["redis"]
    redis.flushdb()
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()
    redis.flushdb()


@pytest.fixture
def app(bare_app: Flask) -> Flask:
    """The app with every table created from the models."""
    _db.create_all()
    return bare_app


@pytest.fixture
def db(app: Flask):
    """The Flask-SQLAlchemy handle, bound to this test's database."""
    return _db


@pytest.fixture
def client(app: Flask):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    """A CLI runner for the app's `flask` commands."""
    return app.test_cli_runner()


@pytest.fixture
def redis(app: Flask):
    """The app's Redis connection (server or in-process stand-in)."""
    return app.extensions["redis"]


class BurstWorker:
    """A real RQ worker that executes every queued job in this process, then returns."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def run(self) -> None:
        """Work the queues (webhooks, sync, maintenance) until they are empty."""
        worker = SimpleWorker(queues_in_priority(self.app), connection=self.app.extensions["redis"])
        worker.work(burst=True, logging_level="WARNING")


@pytest.fixture
def worker(app: Flask) -> BurstWorker:
    """Run enqueued jobs for real: `worker.run()` drains the queues."""
    return BurstWorker(app)


@pytest.fixture
def redis_server_url() -> Iterator[str]:
    """A Redis URL other processes can reach: REDIS_URL, or a TCP stand-in started here."""
    url = _redis_url()
    if url:
        yield url
        return
    from fakeredis import TcpFakeServer
    from fakeredis._clients._tcp_server import TCPFakeRequestHandler

    class Handler(TCPFakeRequestHandler):
        """fakeredis reports CLIENT INFO addresses as tuples; redis-py expects host:port."""

        def setup(self) -> None:
            super().setup()
            info = self.current_client.get_socket()._client_info
            for key in ("addr", "laddr"):
                host, port = info[key][:2]
                info[key] = f"{host}:{port}"

    server = TcpFakeServer(("127.0.0.1", 0), server_type="redis")
    server.RequestHandlerClass = Handler
    # A killed worker's BLPOP keeps its handler thread waiting: closing must not join them.
    server.daemon_threads, server.block_on_close = True, False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.server_address[1]}/0"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def shopify_emulator_server() -> Iterator:
    """The Shopify Admin API emulator on a free port, shared by the session's tests."""
    from emulators.common.serve import serve_in_thread
    from emulators.shopify import create_app as create_emulator

    handle = serve_in_thread(create_emulator())
    yield handle
    handle.shutdown()


@pytest.fixture
def shopify_emulator(app: Flask, shopify_emulator_server):
    """A reset Shopify emulator that knows this app; the app sends its Shopify calls there."""
    url = shopify_emulator_server.url
    requests.post(f"{url}/_emulator/reset", timeout=10).raise_for_status()
    register_shopify_app(app, url)
    app.config["SHOPIFY_ADMIN_BASE_URL"] = url
    return shopify_emulator_server


@pytest.fixture
def session_token(app: Flask):
    """Mint App Bridge session tokens for a shop: `session_token("a.myshopify.com", **claims)`."""
    from emulators.shopify.session_tokens import mint_session_token

    def mint(shop_domain: str, secret: str | None = None, **overrides: object) -> str:
        return mint_session_token(
            shop_domain,
            str(app.config["SHOPIFY_API_KEY"]),
            secret or str(app.config["SHOPIFY_API_SECRET"]),
            **overrides,
        )

    return mint


@pytest.fixture(scope="session")
def qbo_emulator_server() -> Iterator:
    """The QuickBooks Online API emulator on a free port, shared by the session's tests."""
    from emulators.common.serve import serve_in_thread
    from emulators.quickbooks import create_app as create_emulator

    handle = serve_in_thread(create_emulator())
    yield handle
    handle.shutdown()


class QboEmulator:
    """The running QBO emulator, reset for one test, with one company of a template."""

    def __init__(self, handle, realm_id: str) -> None:
        self.handle, self.url, self.realm_id = handle, handle.url, realm_id

    def control(self, method: str, path: str, **body: object) -> requests.Response:
        """Call a /_emulator/ endpoint."""
        return requests.request(
            method, f"{self.url}/_emulator/{path}", json=body or None, timeout=10
        )

    def request_count(self, endpoint: str) -> int:
        """How many requests an endpoint key has served since the reset."""
        return self.control("GET", "requests").json()["counts"].get(endpoint, 0)


@pytest.fixture
def qbo_emulator(app: Flask, qbo_emulator_server) -> QboEmulator:
    """A reset QBO emulator knowing this app, with a US company; the app talks to it."""
    url = qbo_emulator_server.url
    requests.post(f"{url}/_emulator/reset", timeout=10).raise_for_status()
    requests.post(
        f"{url}/_emulator/apps",
        timeout=10,
        json={
            "client_id": app.config["QBO_CLIENT_ID"],
            "client_secret": app.config["QBO_CLIENT_SECRET"],
            "redirect_uris": [f"{app.config['APP_URL']}/quickbooks/callback"],
        },
    ).raise_for_status()
    realm = requests.post(f"{url}/_emulator/companies", json={"template": "us"}, timeout=10)
    realm.raise_for_status()
    app.config["QBO_ENVIRONMENT"] = f"{url}/.well-known/openid_configuration"
    app.config["QBO_API_BASE_URL"] = f"{url}/v3"
    return QboEmulator(qbo_emulator_server, realm.json()["realm_id"])


@pytest.fixture
def merchant(client, session_token, worker) -> Callable[..., Merchant]:
    """The merchant of a shop: `merchant("a.myshopify.com")` drives the app through this test's
    client, session tokens and worker (`client=`/`session_token=` for another browser)."""
    from tests.merchant import Merchant

    def of(domain: str, client=client, session_token=session_token) -> Merchant:
        return Merchant(domain, client, session_token, worker)

    return of


@pytest.fixture
def connect(qbo_emulator, merchant):
    """Connect a store to a new QBO company of a template, as the merchant would."""

    def connect_to(
        store: Store, template: str, preferences: dict | None = None, **options: object
    ) -> None:
        qbo_emulator.control("POST", "companies", template=template, **options).raise_for_status()
        companies = qbo_emulator.control("GET", "companies").json()["companies"]
        realm = companies[-1]["realm_id"]
        if preferences:  # as the company's owner set them in QBO before connecting
            path = f"companies/{realm}/preferences"
            qbo_emulator.control("POST", path, **preferences).raise_for_status()
        owner = merchant(store.domain)
        assert owner.open_app().status_code == 200
        # pick the new company on Intuit's consent screen
        params = owner.quickbooks_consent(realm_id=realm)
        assert owner.client.get("/quickbooks/callback", query_string=params).status_code == 302

    return connect_to


@pytest.fixture
def make_store(request, shopify_emulator, merchant) -> Callable[..., Store]:
    """A store on the Shopify emulator, ready for a test:

    `make_store(domain, currency="USD", orders=None, install=True, template=None,
    preferences=None, company=None, sales=None)` creates the shop, lets `orders(store)` make its
    orders (before the app is installed), then — unless `install=False` — the merchant opens the
    app and connects QuickBooks: to the US company every test has (`template=None`) or to a new
    company of `template` (with `preferences` and `company` options, see `connect`); `sales`, if
    given, is saved as the sales settings (with the 'Sales' income account).
    """
    from tests.sales_store import Store

    def make(
        domain: str,
        *,
        currency: str = "USD",
        orders: Callable[[Store], object] | None = None,
        install: bool = True,
        template: str | None = None,
        preferences: dict | None = None,
        company: dict | None = None,
        sales: dict | None = None,
    ) -> Store:
        store = Store(shopify_emulator, domain, currency=currency)
        if orders is not None:
            orders(store)
        if not install:
            return store
        owner = merchant(domain)
        if template is None:
            request.getfixturevalue("qbo_emulator")
            owner.install_and_connect()
        else:
            request.getfixturevalue("connect")(store, template, preferences, **(company or {}))
        if sales is not None:
            owner.put_sales_settings(**sales)
        return store

    return make


@pytest.fixture
def deployment(app, database_uri, redis_server_url, shopify_emulator, qbo_emulator, tmp_path):
    """The Procfile's processes on this test's tables, Redis and emulators (tests/deployed.py)."""
    from tests.deployed import Deployment

    deployed = Deployment.for_test(app, database_uri, redis_server_url, tmp_path / "logs")
    yield deployed
    deployed.stop_all()
