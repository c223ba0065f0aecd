"""Configuration: every value comes from the environment (see README, `.env.example`)."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet
from limits import parse

from config_errors import ConfigError  # raised here; `from config import ConfigError` still works
from encryption import parse_keys

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# Quarterly Admin API versions are supported for at least 12 months; 2026-10 is the current stable
# release on 2026-11-28 (https://shopify.dev/docs/api/usage/versioning).
DEFAULT_SHOPIFY_API_VERSION = "2026-10"
# Exactly what the app's GraphQL documents select (tests/test_app_scopes.py derives it):
# read_orders (orders), read_customers (Order.customer), read_products (LineItem.variant),
# read_locations (location pickers). read_all_orders no document needs by itself: backfills
# reach orders older than 60 days only with it, and Shopify must approve it for a public app
# (https://shopify.dev/docs/api/usage/access-scopes#orders-permissions).
DEFAULT_SHOPIFY_SCOPES = (
    "read_orders,read_all_orders,read_customers,read_products,read_locations,write_inventory"
)

# Variables a production start cannot do without; a missing one stops the start at once.
REQUIRED_IN_PRODUCTION = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ENCRYPTION_KEY",
    "SHOPIFY_API_KEY",
    "SHOPIFY_API_SECRET",
    "APP_URL",
    "QBO_CLIENT_ID",
    "QBO_CLIENT_SECRET",
)


DEFAULT_MAX_CONTENT_LENGTH = 2 * 1024 * 1024


def env_flag(name: str, environ: dict[str, str] | None = None) -> bool:
    """Read a boolean switch such as SANDBOX=1 / true / yes."""
    value = (environ if environ is not None else os.environ).get(name, "")
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(raw: str | None) -> str:
    """Normalise DATABASE_URL; Heroku still hands out the `postgres://` scheme."""
    if not raw:
        INSTANCE_DIR.mkdir(exist_ok=True)
        return f"sqlite:///{INSTANCE_DIR / 'ledgerbridge.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def _local_secrets() -> dict[str, str]:
    """Sandbox/development keys, generated once and kept in instance/ so tokens stay readable."""
    path = INSTANCE_DIR / "local-secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    INSTANCE_DIR.mkdir(exist_ok=True)
    values = {
        "SECRET_KEY": secrets.token_urlsafe(32),
        "ENCRYPTION_KEY": Fernet.generate_key().decode(),
    }
    path.write_text(json.dumps(values))
    path.chmod(0o600)
    return values


def load_config(
    environ: dict[str, str] | None = None, overrides: dict[str, object] | None = None
) -> dict[str, object]:
    """Build the Flask config mapping from environment variables, then apply overrides."""
    env = dict(os.environ if environ is None else environ)
    overrides = overrides or {}
    sandbox = bool(overrides.get("SANDBOX", env_flag("SANDBOX", env)))
    testing = bool(overrides.get("TESTING", env_flag("TESTING", env)))
    production = not (sandbox or testing)
    if production:
        missing = [name for name in REQUIRED_IN_PRODUCTION if not env.get(name)]
        if missing:
            raise ConfigError(
                f"{missing[0]} is not set. Production needs: {', '.join(missing)} "
                "(see README, Configuration). For a local try-out set SANDBOX=1."
            )
    local = {} if production or "ENCRYPTION_KEY" in overrides else _local_secrets()
    config: dict[str, object] = {
        "SANDBOX": sandbox,
        "TESTING": testing,
        "PRODUCTION": production,
        "SECRET_KEY": env.get("SECRET_KEY") or local.get("SECRET_KEY"),
        "ENCRYPTION_KEY": env.get("ENCRYPTION_KEY") or local.get("ENCRYPTION_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url(env.get("DATABASE_URL")),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": env.get("REDIS_URL") or None,
        # Heroku Data for Redis serves TLS with a self-signed certificate and documents
        # ssl_cert_reqs=None for redis-py (https://devcenter.heroku.com/articles/connecting-heroku-redis#connecting-in-python).
        "REDIS_SSL_CERT_REQS": env.get("REDIS_SSL_CERT_REQS", "required"),
        "SHOPIFY_API_KEY": env.get("SHOPIFY_API_KEY", "ledgerbridge-dev"),
        "SHOPIFY_API_SECRET": env.get("SHOPIFY_API_SECRET", "ledgerbridge-dev-secret"),
        "SHOPIFY_SCOPES": env.get("SHOPIFY_SCOPES", DEFAULT_SHOPIFY_SCOPES),
        "SHOPIFY_API_VERSION": env.get("SHOPIFY_API_VERSION", DEFAULT_SHOPIFY_API_VERSION),
        "APP_URL": env.get("APP_URL", "http://127.0.0.1:5000").rstrip("/"),
        # Sandbox and tests only: send Shopify Admin API and OAuth calls to the emulator.
        "SHOPIFY_ADMIN_BASE_URL": env.get("SHOPIFY_ADMIN_BASE_URL") or None,
        "QBO_CLIENT_ID": env.get("QBO_CLIENT_ID", "ledgerbridge-dev"),
        "QBO_CLIENT_SECRET": env.get("QBO_CLIENT_SECRET", "ledgerbridge-dev-secret"),
        "QBO_ENVIRONMENT": env.get("QBO_ENVIRONMENT", "sandbox"),
        # Sandbox and tests only: the emulator's /v3 base instead of Intuit's.
        "QBO_API_BASE_URL": env.get("QBO_API_BASE_URL") or None,
        # A sales run reading at least this many orders uses one Shopify bulk operation (5–11
        # requests however many) instead of pages (about 5 orders each under the 1,000-point
        # query cost limit). See docs/sales-workflow.md, Economy.
        "SHOPIFY_BULK_MIN_ORDERS": env.get("SHOPIFY_BULK_MIN_ORDERS", "25"),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
        # Exactly once with many workers (docs/operations.md): RQ's retry backoff in seconds, the
        # lease a run and its claimed ledger rows hold without a heartbeat, how often the
        # scheduler process ticks and the watchdog looks for dead runs, and how long a run waits
        # before trying again when another run of the same shop holds the slot.
        "SYNC_RETRY_INTERVALS": env.get("SYNC_RETRY_INTERVALS", "10,60,300,900"),
        "LEASE_SECONDS": env.get("LEASE_SECONDS", "300"),
        "SCHEDULER_INTERVAL_S": env.get("SCHEDULER_INTERVAL_S", "30"),
        "WATCHDOG_INTERVAL_S": env.get("WATCHDOG_INTERVAL_S", "60"),
        "RUN_WAIT_S": env.get("RUN_WAIT_S", "15"),
        # QBO's batch endpoint allows 40 requests a minute per company and app; every worker paces
        # its batches to this (the `limits` library's notation) through Redis.
        "QBO_BATCH_RATE": env.get("QBO_BATCH_RATE", "40/minute"),
        # Werkzeug answers 413 for a larger body, chunked ones included, before anything parses it.
        "MAX_CONTENT_LENGTH": env.get("MAX_CONTENT_LENGTH", str(DEFAULT_MAX_CONTENT_LENGTH)),
        # The QuickBooks consent is bound to the browser by the session cookie: Lax lets it ride
        # on Intuit's top-level redirect back, and nowhere cross-site else.
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("APP_URL", "").startswith("https://"),
    }
    config.update(overrides)
    validate(config)
    return config


def validate(config: dict[str, object]) -> None:
    """Check values whose mistakes would only surface later (bad keys, unknown versions)."""
    parse_keys(str(config.get("ENCRYPTION_KEY") or ""))
    version = str(config["SHOPIFY_API_VERSION"])
    if version != "unstable" and not (
        len(version) == 7 and version[4] == "-" and version.replace("-", "").isdigit()
    ):
        raise ConfigError(f"SHOPIFY_API_VERSION must look like 2026-10, not {version!r}")
    _validate_timing(config)
    bulk_from = str(config["SHOPIFY_BULK_MIN_ORDERS"])
    if not bulk_from.isdigit() or int(bulk_from) < 1:
        raise ConfigError(
            f"SHOPIFY_BULK_MIN_ORDERS must be a whole number from 1, not {bulk_from!r}"
        )
    config["SHOPIFY_BULK_MIN_ORDERS"] = int(bulk_from)
    max_body = str(config["MAX_CONTENT_LENGTH"])
    if not max_body.isdigit() or int(max_body) < 1024:
        raise ConfigError(
            f"MAX_CONTENT_LENGTH must be a number of bytes from 1024, not {max_body!r}"
        )
    config["MAX_CONTENT_LENGTH"] = int(max_body)
    if config["REDIS_SSL_CERT_REQS"] not in {"required", "optional", "none"}:
        raise ConfigError("REDIS_SSL_CERT_REQS must be required, optional or none")
    if config["QBO_ENVIRONMENT"] not in {"sandbox", "production"} and not str(
        config["QBO_ENVIRONMENT"]
    ).startswith(("http://", "https://")):
        raise ConfigError("QBO_ENVIRONMENT must be sandbox, production or a discovery-document URL")


def _validate_timing(config: dict[str, object]) -> None:
    """Retry intervals and leases are whole seconds; a lease or tick of 0 would never hold."""
    intervals = str(config["SYNC_RETRY_INTERVALS"]).split(",")
    if not all(i.strip().isdigit() for i in intervals):
        raise ConfigError(
            f"SYNC_RETRY_INTERVALS must be seconds separated by commas, like 10,60,300,900, "
            f"not {config['SYNC_RETRY_INTERVALS']!r}"
        )
    for name in ("LEASE_SECONDS", "SCHEDULER_INTERVAL_S", "WATCHDOG_INTERVAL_S", "RUN_WAIT_S"):
        value = str(config[name])
        if not value.isdigit() or int(value) < 1:
            raise ConfigError(f"{name} must be a whole number of seconds ≥ 1, not {value!r}")
    try:
        parse(str(config["QBO_BATCH_RATE"]))
    except ValueError as exc:
        raise ConfigError(
            f"QBO_BATCH_RATE must be a rate like 40/minute, not {config['QBO_BATCH_RATE']!r}"
        ) from exc
