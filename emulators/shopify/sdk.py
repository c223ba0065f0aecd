"""Point the real ShopifyAPI SDK at the emulator without leaking global state.

The SDK builds its URLs in shopify/session.py and keeps them per thread in shopify/base.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import shopify

API_VERSION = "2025-01"
_SESSION_SETTINGS = ("protocol", "myshopify_domain", "port")


@contextmanager
def emulator_session(port: int, token: str, version: str = API_VERSION) -> Iterator[None]:
    """Activate a ShopifyAPI session on http://127.0.0.1:PORT/admin/api/VERSION, then restore.

    ShopifyAPI keeps only the text before the first dot of the host and appends
    Session.myshopify_domain, so "127" + ".0.0.1" gives back 127.0.0.1; the emulator knows the
    shop from the access token. Session settings are class-level, so they are put back after.
    """
    saved = {name: getattr(shopify.Session, name) for name in _SESSION_SETTINGS}
    shopify.Session.setup(protocol="http", myshopify_domain="0.0.1", port=port)
    try:
        shopify.ShopifyResource.activate_session(shopify.Session("127.0.0.1", version, token))
        yield
    finally:
        shopify.ShopifyResource.clear_session()
        shopify.Session.setup(**saved)


def execute(
    port: int,
    token: str,
    query: str,
    variables: dict[str, Any] | None = None,
    version: str = API_VERSION,
) -> dict[str, Any]:
    """Run one document with shopify.GraphQL against the emulator; the decoded JSON body."""
    with emulator_session(port, token, version):
        return json.loads(shopify.GraphQL().execute(query, variables))
