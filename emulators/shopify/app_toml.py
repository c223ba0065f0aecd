"""An app's shopify.app.toml [webhooks] section: its API version and declared subscriptions.

Shopify delivers these app-specific subscriptions on every shop the app is installed on, in the
section's api_version; a relative `uri` is appended to `application_url`.
ref: https://shopify.dev/docs/apps/build/cli-for-apps/app-configuration
ref: https://shopify.dev/docs/apps/build/webhooks/subscribe/get-started?deliveryMethod=https
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from typing import Any


@dataclass
class AppWebhookConfig:
    """The webhooks an app declares: API version, topic → absolute URI pairs, compliance ones."""

    api_version: str
    subscriptions: list[tuple[str, str]] = field(default_factory=list)
    compliance: list[tuple[str, str]] = field(default_factory=list)
    # [access_scopes]: the scopes the app declares (None: the file has none) and whether it
    # installs through the legacy OAuth flow (then it declares none Shopify can check).
    access_scopes: str | None = None
    legacy_install_flow: bool = False


def parse(text: str, application_url: str | None = None) -> tuple[str, AppWebhookConfig]:
    """(client_id, config) from TOML text; `application_url` overrides the file's, as
    `shopify app dev` does with its tunnel URL."""
    data = tomllib.loads(text)
    base = (application_url or str(data.get("application_url", ""))).rstrip("/")
    hooks: dict[str, Any] = data.get("webhooks") or {}
    config = AppWebhookConfig(str(hooks.get("api_version", "")))
    access: dict[str, Any] = data.get("access_scopes") or {}
    if "scopes" in access:
        config.access_scopes = str(access["scopes"])
    config.legacy_install_flow = bool(access.get("use_legacy_install_flow", False))
    for sub in hooks.get("subscriptions") or []:
        uri = str(sub.get("uri", ""))
        url = f"{base}{uri}" if uri.startswith("/") else uri
        config.subscriptions += [(str(t), url) for t in sub.get("topics") or []]
        config.compliance += [(str(t), url) for t in sub.get("compliance_topics") or []]
    return str(data.get("client_id", "")), config
