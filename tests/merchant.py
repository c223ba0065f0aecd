"""The merchant of one shop, as the tests drive the app: open it from Shopify's admin, consent to
QuickBooks (in the same client, as the callback must come back to the browser that started the
flow), call the embedded page's API with a fresh session token, and sync with a real worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from extensions import db
from models import RunStatus, SyncRun


class Merchant:
    """One shop's merchant in one browser (a Flask test client, or tests.deployed.WebClient)."""

    def __init__(
        self,
        domain: str,
        client: Any,
        session_token: Callable[..., str],
        worker: Any = None,
    ) -> None:
        self.domain, self.client, self.session_token, self.worker = (
            domain,
            client,
            session_token,
            worker,
        )

    def on(self, client: Any) -> Merchant:
        """The same merchant in another browser (e.g. the deployed web process's client)."""
        return Merchant(self.domain, client, self.session_token, self.worker)

    def token(self, **claims: object) -> str:
        """A fresh App Bridge session token for the shop."""
        return self.session_token(self.domain, **claims)

    def headers(self) -> dict[str, str]:
        """The Authorization header the embedded page sends."""
        return {"Authorization": f"Bearer {self.token()}"}

    # opening the app and connecting QuickBooks

    def open_app(self):
        """What Shopify's admin requests when the merchant opens the app (installs on first
        use)."""
        return self.client.get(f"/app?shop={self.domain}&embedded=1&id_token={self.token()}")

    def intuit_consent_url(self) -> str:
        """Click "Connect": the page's start URL opened at top level in this client (its cookie
        jar is the browser), which redirects to Intuit's consent; that URL."""
        response = self.client.post("/api/quickbooks/connect", headers=self.headers())
        assert response.status_code == 200, response.get_data(as_text=True)
        start = urlsplit(response.get_json()["authorize_url"])
        assert start.path == "/quickbooks/start"
        intuit = self.client.get(f"{start.path}?{start.query}")
        assert intuit.status_code == 302, intuit.get_data(as_text=True)
        return intuit.location

    def quickbooks_consent(self, **choices: str) -> dict[str, str]:
        """Start the connection in this client and consent as the merchant (`realm_id=` picks
        the company on Intuit's screen); the callback's query."""
        url = self.intuit_consent_url()
        intuit = requests.get(url, params=choices, allow_redirects=False, timeout=10)
        assert intuit.status_code == 302
        back = urlsplit(intuit.headers["Location"])
        assert back.path == "/quickbooks/callback"
        return {k: v[0] for k, v in parse_qs(back.query).items()}

    def connect_quickbooks(self) -> None:
        """The whole connect flow, ending back in the embedded app."""
        response = self.client.get("/quickbooks/callback", query_string=self.quickbooks_consent())
        assert response.status_code == 302, response.get_data(as_text=True)
        assert response.location.startswith("https://admin.shopify.com/store/")

    def install_and_connect(self) -> None:
        """The merchant opens the app and connects QuickBooks."""
        assert self.open_app().status_code == 200
        self.connect_quickbooks()

    # the embedded page's API

    def api(self, method: str, path: str, body: Any = None):
        """An embedded-page API call for the shop."""
        return self.client.open(path, method=method, json=body, headers=self.headers())

    def put_settings(self, body: dict) -> dict:
        """PUT /api/settings as the settings pages do; asserts it was accepted."""
        response = self.client.put("/api/settings", json=body, headers=self.headers())
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def first_choice(self, lookup: str, name_part: str) -> str:
        """The id of the first lookup choice whose name contains `name_part`."""
        body = self.client.get(f"/api/lookups/{lookup}", headers=self.headers()).get_json()
        return next(c["id"] for c in body["choices"] if name_part in c["name"])

    def put_sales_settings(self, **sales: object) -> dict:
        """Save sales settings with QBO's 'Sales' income account (every sales test needs one)."""
        income = self.first_choice("accounts?type=Income", "Sales")
        return self.put_settings({"sales": {"qbo_income_account_id": income, **sales}})

    def map_taxes(self, codes: dict[str, str]) -> None:
        """Map every Shopify tax seen to the QBO code named for its label."""
        taxes = self.api("GET", "/api/settings").get_json()["tax_mappings"]
        choices = self.api("GET", "/api/lookups/tax_codes").get_json()
        ids = {c["name"]: c["id"] for c in choices["choices"]}
        mapping = [{"id": t["id"], "qbo_tax_code_id": ids[codes[t["title"]]]} for t in taxes]
        self.put_settings({"tax_mappings": mapping})

    # syncing

    def sync(self, retry: bool = False) -> SyncRun:
        """Sync now (or retry every failed order) and let the worker run it."""
        if retry:
            self.api("POST", "/api/sync/sales/retry", {"all_failed": True})
        else:
            self.api("POST", "/api/sync/sales")
        self.worker.run()
        db.session.expire_all()
        return db.session.query(SyncRun).order_by(SyncRun.id.desc()).first()

    def assert_second_run_posts_nothing(self) -> None:
        """Re-running a finished sync creates nothing."""
        again = self.sync()
        assert again.status == RunStatus.SUCCEEDED and again.created_count == 0, again.error
