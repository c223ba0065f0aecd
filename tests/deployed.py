"""The app as Heroku runs it: the Procfile's processes as real subprocesses, each in its own
session, on a test's database, Redis and emulators, with stdout and stderr kept in log files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import requests
from flask import Flask

from bench.backfill import free_port
from tests.support import TEST_LEASE_SECONDS

if TYPE_CHECKING:
    from tests.merchant import Merchant

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")

# The engine's timings, shortened so a deployed test takes seconds (defaults: 10,60,300,900 /
# 300 / 30 / 60).
FAST_SETTINGS = {
    "SYNC_RETRY_INTERVALS": "1,1,2,2,3",
    "LEASE_SECONDS": str(TEST_LEASE_SECONDS),
    "SCHEDULER_INTERVAL_S": "1",
    "WATCHDOG_INTERVAL_S": "2",
}
# The app's settings a process needs to share this test's secrets and emulators.
SHARED_CONFIG = (
    "SECRET_KEY",
    "ENCRYPTION_KEY",
    "SHOPIFY_API_KEY",
    "SHOPIFY_API_SECRET",
    "QBO_CLIENT_ID",
    "QBO_CLIENT_SECRET",
    "APP_URL",
    "SHOPIFY_ADMIN_BASE_URL",
    "QBO_ENVIRONMENT",
    "QBO_API_BASE_URL",
)


def worker_env(app: Flask, database_uri: str, redis_url: str) -> dict[str, str]:
    """The environment of an app process sharing this test's database and emulators."""
    env = {k: v for k, v in os.environ.items() if k != "SANDBOX"}
    env.update(
        TESTING="1",
        DATABASE_URL=database_uri,
        REDIS_URL=redis_url,
        OAUTHLIB_INSECURE_TRANSPORT="1",
        **{name: str(app.config[name]) for name in SHARED_CONFIG},
    )
    return env


def procfile(path: Path = ROOT / "Procfile") -> dict[str, str]:
    """Process type → command, read as Heroku reads the Procfile (at run time, never copied)."""
    commands: dict[str, str] = {}
    for line in path.read_text().splitlines():
        name, colon, command = line.partition(":")
        if colon and name.strip() and not name.lstrip().startswith("#"):
            commands[name.strip()] = command.strip()
    return commands


def wait_until(
    predicate: Callable[[], T], timeout: float, message: str = "", every: float = 0.2
) -> T:
    """Poll until `predicate()` is truthy and return it; AssertionError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {message or predicate}")
        time.sleep(every)


@dataclass
class Process:
    """One started process: its Procfile name, handle and log file."""

    name: str
    popen: subprocess.Popen
    log: Path

    @property
    def alive(self) -> bool:
        """True while the process runs."""
        return self.popen.poll() is None


class WebResponse:
    """A requests response under the names of a Flask test response (for tests/merchant.py)."""

    def __init__(self, response: requests.Response) -> None:
        self.raw, self.status_code = response, response.status_code
        self.location = response.headers.get("Location")

    def get_json(self) -> Any:
        """The JSON body, or None."""
        try:
            return self.raw.json()
        except ValueError:
            return None

    def get_data(self, as_text: bool = False) -> str | bytes:
        """The body."""
        return self.raw.text if as_text else self.raw.content


class WebClient:
    """The `web` process over HTTP, called like a Flask test client (cookies kept)."""

    def __init__(self, base_url: str) -> None:
        self.base_url, self.session = base_url, requests.Session()

    def open(self, path: str, method: str = "GET", **kwargs: Any) -> WebResponse:
        """One request, redirects not followed."""
        params = kwargs.pop("query_string", None)
        response = self.session.request(
            method, self.base_url + path, params=params, allow_redirects=False, timeout=30, **kwargs
        )
        return WebResponse(response)

    def get(self, path: str, **kwargs: Any) -> WebResponse:
        """GET."""
        return self.open(path, "GET", **kwargs)

    def post(self, path: str, **kwargs: Any) -> WebResponse:
        """POST."""
        return self.open(path, "POST", **kwargs)

    def put(self, path: str, **kwargs: Any) -> WebResponse:
        """PUT."""
        return self.open(path, "PUT", **kwargs)


class Deployment:
    """Start, kill and restart the Procfile's processes; read their logs."""

    def __init__(self, env: dict[str, str], logs: Path, redis_url: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        bin_dir = str(Path(sys.executable).parent)
        self.env = {
            **env,
            **FAST_SETTINGS,
            "PORT": str(self.port),
            "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "INFO",
        }
        self.logs_dir, self.redis_url = logs, redis_url
        logs.mkdir(parents=True, exist_ok=True)
        self.processes: list[Process] = []

    @classmethod
    def for_test(cls, app: Flask, database_uri: str, redis_url: str, logs: Path) -> Deployment:
        """The processes of a test: its database (tables created), Redis and emulators."""
        return cls(worker_env(app, database_uri, redis_url), logs, redis_url)

    def start(self, name: str, **env: str) -> Process:
        """Start a Procfile process (env overrides win); `web` is awaited until it answers."""
        command = procfile()[name]
        log = self.logs_dir / f"{name}.{sum(p.name == name for p in self.processes) + 1}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen(
                ["/bin/sh", "-c", f"exec {command}"],
                cwd=ROOT,
                env={**self.env, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name, popen, log)
        self.processes.append(process)
        if name == "web":
            wait_until(lambda: self._answers(process), 60, f"web never answered:\n{self.tails()}")
        return process

    def start_all(self, workers: int = 1, web: bool = True) -> None:
        """web (optional), `workers` workers and the scheduler."""
        for name in ["web"] * web + ["worker"] * workers + ["scheduler"]:
            self.start(name)

    def _answers(self, web: Process) -> bool:
        """True once the web process serves HTTP; fails at once if it exited."""
        assert web.alive, f"web exited ({web.popen.returncode}):\n{web.log.read_text()}"
        try:
            requests.get(f"{self.url}/healthz", timeout=5)
        except (requests.ConnectionError, requests.Timeout):
            return False
        return True

    def kill(self, process: Process) -> None:
        """SIGKILL the process's whole session (a worker and its work horse), as a crash would."""
        signal_session(process.popen.pid, signal.SIGKILL)
        process.popen.wait(timeout=10)

    def restart(self, process: Process) -> Process:
        """Kill a process and start another of its kind (as Heroku replaces a crashed dyno)."""
        self.kill(process)
        return self.start(process.name)

    def stop_all(self) -> None:
        """SIGTERM every group, SIGKILL what is left after 3 s: nothing outlives the test."""
        for process in self.processes:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 3
        for process in self.processes:
            try:
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            _signal_group(process, signal.SIGKILL)  # work horses too, even if the leader left
            process.popen.wait(timeout=10)

    def of(self, name: str) -> list[Process]:
        """The live processes of a kind."""
        return [p for p in self.processes if p.name == name and p.alive]

    def logs(self, name: str | None = None) -> str:
        """Everything the processes (of one kind, if named) wrote so far."""
        return "".join(
            f"--- {p.log.name}\n{p.log.read_text(errors='replace')}"
            for p in self.processes
            if name in (None, p.name)
        )

    def client(self) -> WebClient:
        """A Flask-test-client lookalike talking to the web process."""
        return WebClient(self.url)

    def activity(self) -> str:
        """RQ's queued and scheduled (retry) jobs and the jobs live workers run, e.g.
        "sync: 2 queued"; "" when idle (a killed worker's job left "started" does not count)."""
        from redis import Redis
        from rq import Queue, Worker
        from rq.registry import ScheduledJobRegistry

        from extensions import QUEUE_NAMES

        found = []
        with Redis.from_url(self.redis_url) as redis:
            for name in QUEUE_NAMES:
                queue = Queue(name, connection=redis)
                counts = {
                    "queued": queue.count,
                    "scheduled": ScheduledJobRegistry(queue=queue).count,
                }
                found += [f"{name}: {n} {state}" for state, n in counts.items() if n]
            live = {p.popen.pid for p in self.of("worker")}
            running = [
                w.get_current_job_id() for w in Worker.all(connection=redis) if w.pid in live
            ]
        return ", ".join(found + [f"running {job}" for job in running if job])

    def tails(self, lines: int = 15) -> str:
        """The last lines of every log, for a failure message."""
        return "\n".join(
            f"--- {p.log.name}\n"
            + "\n".join(p.log.read_text(errors="replace").splitlines()[-lines:])
            for p in self.processes
        )


def _signal_group(process: Process, sig: signal.Signals) -> None:
    """Signal every process of the process's session (it may be gone already)."""
    signal_session(process.popen.pid, sig)


def signal_session(session_id: int, sig: signal.Signals) -> None:
    """Signal every process of a session: RQ's work horses leave their worker's process group
    (os.setpgrp) but not its session, and a dyno restart kills them all."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session_id:  # after ") state ppid pgrp session"
            try:
                os.kill(int(stat.parent.name), sig)
            except ProcessLookupError:
                pass


def posted(shop_id: int) -> int:
    """The shop's ledger rows (orders, variants) posted so far."""
    from extensions import db
    from models import LedgerEntry, LedgerStatus

    db.session.expire_all()
    count = db.session.query(LedgerEntry).filter_by(shop_id=shop_id, status=LedgerStatus.POSTED)
    result = count.count()
    db.session.rollback()
    return result


def busy_worker(deployment: Deployment) -> Process | None:
    """The worker process running a job right now, if any."""
    from redis import Redis
    from rq import Worker

    with Redis.from_url(deployment.redis_url) as redis:
        pids = {w.pid for w in Worker.all(connection=redis) if w.get_current_job_id()}
    return next((p for p in deployment.of("worker") if p.popen.pid in pids), None)


def kill_busy_workers(deployment: Deployment, shop_id: int, total: int, kills: int) -> None:
    """SIGKILL the worker running the shop's run `kills` times, each time once it has posted
    more, replacing it as Heroku would; asserts the run had not finished before each kill."""
    done = 0
    for kill in range(1, kills + 1):
        victim = wait_until(
            lambda: posted(shop_id) > done and busy_worker(deployment),  # noqa: B023
            30,
            f"kill {kill}: no worker resumed the run\n{deployment.tails()}",
            every=0.1,
        )
        done = posted(shop_id)
        assert done < total, f"the run finished before kill {kill}: nothing tested"
        deployment.kill(victim)
        deployment.start("worker")


def settled(
    deployment: Deployment, timeout: float, done: Callable[[], bool] = lambda: True
) -> None:
    """Wait until RQ has no work left and `done()` holds, three polls in a row."""
    streak, last = 0, ""

    def quiet() -> bool:
        nonlocal streak, last
        last = deployment.activity() or ("" if done() else "not done")
        streak = 0 if last else streak + 1
        return streak >= 3

    try:
        wait_until(quiet, timeout, every=0.5)
    except AssertionError:
        raise AssertionError(
            f"still busy after {timeout} s ({last})\n{deployment.tails()}"
        ) from None


def open_runs(shop_id: int) -> list:
    """The shop's runs still queued or running (fresh from the database)."""
    from extensions import db
    from models import RunStatus, SyncRun

    db.session.expire_all()
    runs = db.session.query(SyncRun).filter(
        SyncRun.shop_id == shop_id, SyncRun.status.in_([RunStatus.QUEUED, RunStatus.RUNNING])
    )
    result = runs.all()
    db.session.rollback()
    return result


@dataclass
class Books:
    """What a shop's QBO company holds, as the exactly-once checks need it."""

    invoices: Counter  # per Shopify order name
    payments: Counter  # per invoice id
    unpaid: list[str]  # order names of invoices with a balance
    customers: Counter  # per display name


def books(domain: str) -> Books:
    """Read the shop's invoices, payments and customers from QBO (python-quickbooks over HTTP)."""
    from quickbooks.objects.customer import Customer
    from quickbooks.objects.invoice import Invoice
    from quickbooks.objects.payment import Payment

    from models import Shop
    from services.quickbooks_connection import client_for

    qb = client_for(Shop.by_domain(domain).quickbooks_connection)
    invoices = Invoice.all(max_results=1000, qb=qb)
    payments = Counter(
        link.TxnId
        for payment in Payment.all(max_results=1000, qb=qb)
        for line in payment.Line
        for link in line.LinkedTxn
        if link.TxnType == "Invoice"
    )
    return Books(
        invoices=Counter(order_name(i) for i in invoices),
        payments=Counter({i.Id: payments[i.Id] for i in invoices}),
        unpaid=[order_name(i) for i in invoices if Decimal(str(i.Balance)) != 0],
        customers=Counter(c.DisplayName for c in Customer.all(max_results=1000, qb=qb)),
    )


def order_name(document: Any) -> str:
    """The Shopify order name a document's PrivateNote starts with ("Shopify order #1001 …")."""
    return document.PrivateNote.split()[2]


def assert_each_order_posted_once(domain: str, names: list[str]) -> None:
    """One paid invoice and one payment per order, no duplicate customer, every row POSTED."""
    from extensions import db
    from models import LedgerEntry, LedgerKind, LedgerStatus, Shop

    found = books(domain)
    wrong = {
        n: found.invoices[n] for n in set(names) | set(found.invoices) if found.invoices[n] != 1
    }
    assert wrong == {}, f"invoices per order, where not exactly one: {wrong}"
    assert set(found.payments.values()) == {1}, f"payments per invoice: {found.payments}"
    assert found.unpaid == [], f"unpaid invoices: {found.unpaid}"
    assert [n for n, c in found.customers.items() if c > 1] == [], found.customers
    db.session.expire_all()
    shop = Shop.by_domain(domain)
    rows = db.session.query(LedgerEntry).filter_by(shop_id=shop.id, kind=LedgerKind.ORDER).all()
    assert sorted(r.shopify_name for r in rows) == sorted(names)
    assert {r.status for r in rows} == {LedgerStatus.POSTED}, Counter(r.status for r in rows)
    db.session.rollback()


def paid_orders(store: Any, count: int, customers: int = 5) -> list[str]:
    """`count` paid one-line orders shared among `customers` buyers; their names."""
    from tests.sales_store import money

    for n in range(count):
        buyer = n % customers
        line = {"title": f"Mug {n % 3}", "sku": f"MUG-{n % 3}", "quantity": 1}
        store.order(
            lineItems=[{**line, "priceSet": money(f"{12 + n}.50")}],
            customer={"toUpsert": {"email": f"buyer{buyer}@example.com", "firstName": f"B{buyer}"}},
        )
    return [o["name"] for o in store.orders]


def connect_for_invoices(owner: Merchant, **sales: object) -> None:
    """Install through the web process, connect QuickBooks, post invoices (with payments)."""
    owner.install_and_connect()
    owner.put_sales_settings(document_type="invoice", **sales)


def deploy_shop(deployment: Deployment, owner: Merchant, workers: int, **sales: object) -> Merchant:
    """web, `workers` workers and the scheduler running; the shop installed and connected
    through the web process, posting invoices; its merchant, now browsing the web process."""
    deployment.start_all(workers=workers)
    web = owner.on(deployment.client())
    connect_for_invoices(web, **sales)
    return web


def deliver(url: str, domain: str, topic: str, payload: dict, webhook_id: str) -> int:
    """POST one signed webhook to the web process, as Shopify would; the status."""
    import json

    from tests.support import signed_webhook_headers

    body = json.dumps(payload).encode()
    headers = signed_webhook_headers(body, topic, domain, webhook_id)
    return requests.post(f"{url}/webhooks", data=body, headers=headers, timeout=30).status_code


def legacy_id(order: dict) -> int:
    """The numeric id webhooks carry for an order's gid."""
    return int(order["id"].rsplit("/", 1)[1])
