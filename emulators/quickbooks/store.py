"""In-memory state: apps and OAuth grants, and per-realm companies holding QBO entities."""

from __future__ import annotations

import copy
import secrets
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from emulators.common.clock import Clock
from emulators.quickbooks.faults import qbo_time

DEMO_CLIENT_ID = "ledgerbridge-demo-client"
DEMO_CLIENT_SECRET = "ledgerbridge-demo-secret"
DEMO_REDIRECT_URIS = (
    "http://localhost:5000/quickbooks/callback",
    "http://127.0.0.1:5000/quickbooks/callback",
)
FIRST_REALM = 9341450000000001


@dataclass
class App:
    """An app registered with the emulated Intuit developer portal."""

    client_id: str
    secret: str
    redirect_uris: list[str]


@dataclass
class Grant:
    """An authorization code, access token or refresh token."""

    kind: str
    client_id: str
    realm_id: str
    expires_at: float
    redirect_uri: str = ""
    spent: bool = False


@dataclass
class Limits:
    """Per-realm throttling knobs (defaults: API_NOTES E1)."""

    per_minute: int = 500
    concurrent: int = 10
    handler_delay_ms: int = 0


class Company:
    """One QBO company (realm): entities by type and Id, tombstones, replay cache, counters."""

    def __init__(self, realm_id: str, country: str, clock: Clock) -> None:
        self.realm_id, self.country, self.clock = realm_id, country, clock
        self.lock = threading.RLock()
        self.entities: dict[str, dict[str, dict[str, Any]]] = {}
        self.tombstones: list[tuple[str, str, datetime]] = []
        self.replay: dict[str, tuple[int, str]] = {}
        self.hits: deque[float] = deque()
        self.inflight = 0
        self._next_id = 1
        self.doc_seq: dict[str, int] = {}
        self.ast_rates: dict[str, Any] = {}

    @property
    def us(self) -> bool:
        """True for a US company (automated sales tax model)."""
        return self.country == "US"

    def new_id(self) -> str:
        """The next entity Id (numeric strings, as QBO issues)."""
        with self.lock:
            ident, self._next_id = str(self._next_id), self._next_id + 1
            return ident

    def add(self, kind: str, obj: dict[str, Any], ident: str | None = None) -> dict[str, Any]:
        """Store a new entity: Id, SyncToken "0", MetaData, domain."""
        now = qbo_time(self.clock.now(), millis=False)
        obj["Id"] = ident or obj.get("Id") or self.new_id()
        obj["SyncToken"] = "0"
        obj["MetaData"] = {"CreateTime": now, "LastUpdatedTime": now}
        obj.setdefault("domain", "QBO")
        obj["sparse"] = False
        self.entities.setdefault(kind, {})[obj["Id"]] = obj
        return obj

    def get(self, kind: str, ident: Any) -> dict[str, Any] | None:
        """The stored entity (the live dict) or None."""
        return self.entities.get(kind, {}).get(str(ident))

    def all(self, kind: str) -> list[dict[str, Any]]:
        """Every stored entity of a type, in creation order."""
        return list(self.entities.get(kind, {}).values())

    def replace(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        """Store a new version: SyncToken + 1 and LastUpdatedTime now."""
        old = self.entities[kind][obj["Id"]]
        obj["SyncToken"] = str(int(old["SyncToken"]) + 1)
        obj["MetaData"] = {
            **old["MetaData"],
            "LastUpdatedTime": qbo_time(self.clock.now(), millis=False),
        }
        obj["domain"], obj["sparse"] = "QBO", False
        self.entities[kind][obj["Id"]] = obj
        return obj

    def remove(self, kind: str, ident: str) -> None:
        """Delete an entity, leaving a tombstone for CDC."""
        self.entities.get(kind, {}).pop(ident, None)
        self.tombstones.append((kind, ident, self.clock.now()))

    def next_doc_number(self, kind: str) -> str:
        """QBO's next-in-sequence DocNumber for a sales form type."""
        seq = self.doc_seq.get(kind, 1001)
        taken = {o.get("DocNumber") for o in self.all(kind)}
        while str(seq) in taken:
            seq += 1
        self.doc_seq[kind] = seq + 1
        return str(seq)

    def snapshot(self, kind: str, ident: str) -> dict[str, Any] | None:
        """A deep copy of a stored entity."""
        obj = self.get(kind, ident)
        return copy.deepcopy(obj) if obj is not None else None


class EmulatorState:
    """Everything the emulator holds; reset() returns it to a fresh start."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock or Clock()
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        """Forget companies, apps (but the demo app) and grants."""
        with self.lock:
            self.companies: dict[str, Company] = {}
            self.apps: dict[str, App] = {}
            self.grants: dict[str, Grant] = {}
            self.oauth_deny = False
            self.limits = Limits()
            self._next_realm = FIRST_REALM
            self.register_app(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, list(DEMO_REDIRECT_URIS))

    def register_app(self, client_id: str, secret: str, redirect_uris: list[str]) -> App:
        """Register (or replace) an app."""
        app = App(client_id, secret, list(redirect_uris))
        self.apps[client_id] = app
        return app

    def new_company(self, country: str, realm_id: str | None = None) -> Company:
        """An empty company (templates fill it)."""
        with self.lock:
            if realm_id is None:
                realm_id, self._next_realm = str(self._next_realm), self._next_realm + 1
            company = Company(realm_id, country, self.clock)
            self.companies[realm_id] = company
            return company

    def issue(self, kind: str, client_id: str, realm_id: str, ttl: int, **extra: Any) -> str:
        """Mint a grant value of `kind` valid for `ttl` seconds."""
        prefix = {"code": "AB11", "access": "eyJlbmMi", "refresh": "RT1-"}[kind]
        value = prefix + secrets.token_urlsafe(24)
        self.grants[value] = Grant(kind, client_id, realm_id, self.clock.timestamp() + ttl, **extra)
        return value

    def valid(self, value: str, kind: str) -> Grant | None:
        """The grant if it exists, has this kind, is unspent and unexpired."""
        grant = self.grants.get(value)
        if grant is None or grant.kind != kind or grant.spent:
            return None
        return grant if grant.expires_at > self.clock.timestamp() else None
