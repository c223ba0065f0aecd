"""Helpers shared by tests: building an app on a given database, in test mode."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import create_engine, text

from app import create_app
from config import database_url

ENCRYPTION_KEY = Fernet.generate_key().decode()
API_KEY = "test-api-key"
# 32+ bytes: HS256 keys shorter than the hash are refused by careful verifiers (RFC 7518 §3.2).
API_SECRET = "test-api-secret-0123456789abcdef-0123456789"


TEST_LEASE_SECONDS = 4


def _xdist_index() -> int:
    """0 for a plain run, n+1 for xdist worker gw<n>."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(name[2:]) + 1 if name.startswith("gw") else 0


def _redis_url() -> str | None:
    """REDIS_URL with the database number of this xdist worker."""
    raw = os.environ.get("REDIS_URL")
    if not raw:
        return None
    parts = urlsplit(raw)
    return urlunsplit(parts._replace(path=f"/{1 + _xdist_index()}"))


def using_postgres() -> bool:
    """True when the suite runs against a Postgres DATABASE_URL."""
    return database_url(os.environ.get("DATABASE_URL")).startswith("postgresql")


@contextmanager
def isolated_database(sqlite_file: Path, prefix: str) -> Iterator[str]:
    """A database URI nobody else uses: the SQLite file, or (DATABASE_URL set) a fresh Postgres
    schema named `prefix_…`, dropped afterwards."""
    if not using_postgres():
        yield f"sqlite:///{sqlite_file}"
        return
    base = database_url(os.environ["DATABASE_URL"])
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def make_test_app(database_uri: str, **overrides: object) -> Flask:
    """An app in test mode on the given database; overrides win."""
    config: dict[str, object] = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "REDIS_URL": _redis_url(),
        "SECRET_KEY": "test-secret-key",
        "ENCRYPTION_KEY": ENCRYPTION_KEY,
        "SHOPIFY_API_KEY": API_KEY,
        "SHOPIFY_API_SECRET": API_SECRET,
        "QBO_CLIENT_ID": "test-qbo-client",
        "QBO_CLIENT_SECRET": "test-qbo-secret",
        "APP_URL": "http://127.0.0.1:5000",
        # Nothing in a test may reach the internet: unless a test starts an emulator, both APIs
        # point at a closed local port (connection refused at once).
        "SHOPIFY_ADMIN_BASE_URL": "http://127.0.0.1:9",
        "QBO_ENVIRONMENT": "http://127.0.0.1:9/.well-known/openid_configuration",
        "QBO_API_BASE_URL": "http://127.0.0.1:9/v3",
        # RQ's real retries, without the production backoff's waits; a lease short enough that
        # a test can let a killed worker's lease run out.
        "SYNC_RETRY_INTERVALS": "0,0,0,0,0,0",
        "LEASE_SECONDS": str(TEST_LEASE_SECONDS),
    }
    config.update(overrides)
    return create_app(config)


def signed_webhook_headers(
    body: bytes,
    topic: str,
    shop_domain: str,
    webhook_id: str,
    secret: str = API_SECRET,
) -> dict[str, str]:
    """The headers Shopify sends with a delivery, HMAC included."""
    import base64
    import hashlib
    import hmac

    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": shop_domain,
        "X-Shopify-Webhook-Id": webhook_id,
        "X-Shopify-Hmac-Sha256": base64.b64encode(digest).decode(),
        "X-Shopify-API-Version": "2026-10",
    }


def race(app: Flask, action, threads: int = 2) -> list:
    """Run `action()` in several threads at once, each in its own app context and database
    session, released together at a barrier; returns their results (errors re-raised)."""
    import threading

    from extensions import db

    barrier = threading.Barrier(threads)
    results: list = []
    errors: list[BaseException] = []

    def run() -> None:
        with app.app_context():
            try:
                barrier.wait()
                results.append(action())
            except BaseException as exc:  # noqa: BLE001 - handed to the test below
                errors.append(exc)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    if errors:
        raise errors[0]
    return results


def register_shopify_app(app: Flask, emulator_url: str, **registration: object) -> None:
    """Register the app with the Shopify emulator (its key, secret and scopes; extra terms such
    as `protected_customer_data` win)."""
    import requests

    requests.post(
        f"{emulator_url}/_emulator/apps",
        json={
            "client_id": app.config["SHOPIFY_API_KEY"],
            "secret": app.config["SHOPIFY_API_SECRET"],
            "scopes": app.config["SHOPIFY_SCOPES"],
            **registration,
        },
        timeout=10,
    ).raise_for_status()
