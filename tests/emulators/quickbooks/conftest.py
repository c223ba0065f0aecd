"""Fixtures: one QBO emulator per test session; each test gets its own company (realm)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from intuitlib.client import AuthClient
from intuitlib.enums import Scopes
from quickbooks import QuickBooks

from emulators.common.serve import ServerHandle, serve_in_thread
from emulators.quickbooks import create_app
from emulators.quickbooks.store import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REDIRECT_URIS

# python-quickbooks talks through requests-oauthlib, which refuses plain http without this.
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
REDIRECT_URI = DEMO_REDIRECT_URIS[0]
logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log per request


class Emulator:
    """The running emulator plus helpers that act as a developer, a user and an app."""

    def __init__(self, handle: ServerHandle) -> None:
        self.handle, self.url = handle, handle.url
        self.discovery = f"{handle.url}/.well-known/openid_configuration"

    def control(self, method: str, path: str, **body: Any) -> requests.Response:
        """Call a /_emulator/ endpoint."""
        return requests.request(method, f"{self.url}/_emulator/{path}", json=body, timeout=10)

    def company(self, template: str = "us") -> str:
        """A fresh company from a template; its realm id."""
        return self.control("POST", "companies", template=template).json()["realm_id"]

    def auth_client(self) -> AuthClient:
        """intuit-oauth's client pointed at the emulator's discovery document."""
        return AuthClient(
            DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, REDIRECT_URI, environment=self.discovery
        )

    def authorize(self, client: AuthClient, realm: str) -> dict[str, str]:
        """Follow the authorize URL as the user's browser would; the redirect's query."""
        url = client.get_authorization_url([Scopes.ACCOUNTING]) + f"&realm_id={realm}"
        resp = requests.get(url, allow_redirects=False, timeout=10)
        assert resp.status_code == 302
        return {k: v[0] for k, v in parse_qs(urlsplit(resp.headers["Location"]).query).items()}

    def connect(self, realm: str) -> AuthClient:
        """An AuthClient holding tokens for `realm`, obtained through the OAuth flow."""
        client = self.auth_client()
        params = self.authorize(client, realm)
        client.get_bearer_token(params["code"], realm_id=params["realmId"])
        return client

    def qb(self, realm: str, client: AuthClient | None = None) -> QuickBooks:
        """A python-quickbooks client for `realm` talking to the emulator."""
        client = client or self.connect(realm)
        qb = QuickBooks(
            auth_client=client,
            refresh_token=client.refresh_token,
            company_id=realm,
            minorversion=75,
            use_decimal=True,
        )
        qb.api_url_v3 = f"{self.url}/v3"
        return qb

    def raw(self, qb: QuickBooks, method: str, path: str, **kwargs: Any) -> requests.Response:
        """A raw request to the realm's API with the client's bearer token."""
        headers = {
            "Authorization": f"Bearer {qb.auth_client.access_token}",
            "Accept": "application/json",
            **kwargs.pop("headers", {}),
        }
        url = f"{self.url}/v3/company/{qb.company_id}/{path}"
        return requests.request(method, url, headers=headers, timeout=10, **kwargs)


@pytest.fixture(scope="session")
def qbo() -> Iterator[Emulator]:
    """The emulator, served over real HTTP on a free port."""
    handle = serve_in_thread(create_app())
    yield Emulator(handle)
    handle.shutdown()


@pytest.fixture(autouse=True)
def _clean_control(qbo: Emulator) -> Iterator[None]:
    """Every test leaves faults, clock and knobs as it found them."""
    yield
    qbo.control("POST", "faults")
    qbo.control("POST", "clock", reset=True)
    qbo.control(
        "POST",
        "settings",
        oauth_deny=False,
        rotate_refresh_tokens=False,
        per_minute=500,
        batch_per_minute=40,
        concurrent=10,
        handler_delay_ms=0,
        check_deposit_accounts=True,
    )


@pytest.fixture
def qb(qbo: Emulator) -> QuickBooks:
    """python-quickbooks connected to a fresh US company."""
    return qbo.qb(qbo.company("us"))


@pytest.fixture
def qb_ca(qbo: Emulator) -> QuickBooks:
    """python-quickbooks connected to a fresh Canadian company."""
    return qbo.qb(qbo.company("ca"))
