"""Configuration from the environment, and a production start that refuses missing secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from config import REQUIRED_IN_PRODUCTION, ConfigError, database_url, load_config

ROOT = Path(__file__).resolve().parents[1]


def production_env(**changes: str | None) -> dict[str, str]:
    """A complete production environment, with some variables changed or removed."""
    env = {
        "DATABASE_URL": "postgres://u:p@db.example/ledger",
        "REDIS_URL": "redis://cache.example:6379/0",
        "SECRET_KEY": "s" * 40,
        "ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "SHOPIFY_API_KEY": "key",
        "SHOPIFY_API_SECRET": "secret",
        "APP_URL": "https://ledgerbridge.example/",
        "QBO_CLIENT_ID": "qbo-id",
        "QBO_CLIENT_SECRET": "qbo-secret",
    }
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def test_production_config_reads_every_value_from_the_environment() -> None:
    config = load_config(production_env())
    assert config["PRODUCTION"] is True
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.example/ledger"
    assert config["REDIS_URL"] == "redis://cache.example:6379/0"
    assert config["APP_URL"] == "https://ledgerbridge.example"
    assert config["SHOPIFY_API_VERSION"] == "2026-10"
    assert "read_all_orders" in str(config["SHOPIFY_SCOPES"])


@pytest.mark.parametrize("name", REQUIRED_IN_PRODUCTION)
def test_production_refuses_to_start_without_a_required_variable(name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_config(production_env(**{name: None}))


def test_production_start_fails_at_once_naming_the_variable() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SANDBOX", "TESTING"}}
    env.update(production_env(SHOPIFY_API_SECRET=None))
    result = subprocess.run(
        [sys.executable, "-c", "from app import create_app; create_app()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SHOPIFY_API_SECRET is not set" in result.stderr


def test_malformed_encryption_key_is_refused_with_a_how_to() -> None:
    with pytest.raises(ConfigError, match="Fernet"):
        load_config(production_env(ENCRYPTION_KEY="not-a-key"))


def test_malformed_api_version_is_refused() -> None:
    with pytest.raises(ConfigError, match="SHOPIFY_API_VERSION"):
        load_config(production_env(SHOPIFY_API_VERSION="october"))


@pytest.mark.parametrize("value", ["0", "-5", "lots", ""])
def test_bulk_threshold_must_be_a_positive_whole_number(value: str) -> None:
    with pytest.raises(ConfigError, match="SHOPIFY_BULK_MIN_ORDERS"):
        load_config(production_env(SHOPIFY_BULK_MIN_ORDERS=value))
    assert (
        load_config(production_env(SHOPIFY_BULK_MIN_ORDERS="250"))["SHOPIFY_BULK_MIN_ORDERS"] == 250
    )


def test_sandbox_needs_no_secrets_and_keeps_generated_keys_stable() -> None:
    first = load_config({"SANDBOX": "1"})
    second = load_config({"SANDBOX": "true"})
    assert first["PRODUCTION"] is False
    assert first["ENCRYPTION_KEY"] == second["ENCRYPTION_KEY"]
    assert str(first["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite:///")
    assert first["REDIS_URL"] is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgres://a@h/d", "postgresql+psycopg://a@h/d"),
        ("postgresql://a@h/d", "postgresql+psycopg://a@h/d"),
        ("postgresql+psycopg://a@h/d", "postgresql+psycopg://a@h/d"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_url_is_normalised(raw: str, expected: str) -> None:
    assert database_url(raw) == expected
