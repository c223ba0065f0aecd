"""shopify.app.toml declares what the code does: scopes, embedding, webhook topics and handlers."""

from __future__ import annotations

import tomllib
from pathlib import Path

from config import DEFAULT_SHOPIFY_API_VERSION, DEFAULT_SHOPIFY_SCOPES
from jobs.topics import WEBHOOK_JOBS

CONFIG = tomllib.loads((Path(__file__).resolve().parents[1] / "shopify.app.toml").read_text())


def declared_topics() -> set[str]:
    """Every topic and compliance topic subscribed in the app configuration."""
    topics: set[str] = set()
    for subscription in CONFIG["webhooks"]["subscriptions"]:
        assert subscription["uri"] == "/webhooks"
        topics |= set(subscription.get("topics", [])) | set(
            subscription.get("compliance_topics", [])
        )
    return topics


def test_app_is_embedded_with_managed_install_and_the_least_scopes() -> None:
    assert CONFIG["embedded"] is True
    assert CONFIG["access_scopes"]["use_legacy_install_flow"] is False
    assert CONFIG["access_scopes"]["scopes"] == DEFAULT_SHOPIFY_SCOPES
    assert "read_all_orders" in CONFIG["access_scopes"]["scopes"].split(",")
    assert CONFIG["application_url"].endswith("/app")
    assert CONFIG["auth"]["redirect_urls"][0].endswith("/auth/callback")
    assert CONFIG["webhooks"]["api_version"] == DEFAULT_SHOPIFY_API_VERSION


def test_every_declared_topic_has_a_handler_and_compliance_topics_are_declared() -> None:
    topics = declared_topics()
    assert {"customers/data_request", "customers/redact", "shop/redact"} <= topics
    assert "app/uninstalled" in topics
    assert topics <= set(WEBHOOK_JOBS)
