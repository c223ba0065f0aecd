"""In-memory state: apps and OAuth grants, and per-realm companies holding QBO entities."""

from __future__ import annotations

import copy
import secrets
import threading
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from emulators.common.clock import Clock
from emulators.quickbooks.entities import RULES, name_key
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
    issued_at: float = 0.0
    hard_expires_at: float = 0.0  # refresh tokens: the 5-year limit of the authorization


@dataclass
class Limits:
    """Per-realm throttling knobs.

    500 requests/min and 10 concurrent per realm; the batch endpoint is also "throttled at 40
    Batch requests per minute, per realm ID and app" (the stricter of the page's two batch
    figures, 40 per app and 120 per realm; one app per realm here):
    https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles
    """

    per_minute: int = 500
    batch_per_minute: int = 40
    concurrent: int = 10
    handler_delay_ms: int = 0
    window_s: int = 60  # the minute of the per-minute limits (shorter only to test pacing)


Ref = tuple[str, str]  # (entity type, Id)


def _links_of(obj: dict[str, Any] | None) -> set[Ref]:
    """(TxnType, TxnId) of every line-level LinkedTxn (payments, deposits)."""
    out: set[Ref] = set()
    for line in (obj or {}).get("Line") or []:
        for link in line.get("LinkedTxn") or []:
            out.add((str(link.get("TxnType")), str(link.get("TxnId"))))
    return out


class Company:
    """One QBO company (realm): entities by type and Id, lookups, tombstones, replay cache."""

    def __init__(self, realm_id: str, country: str, clock: Clock) -> None:
        self.realm_id, self.country, self.clock = realm_id, country, clock
        self.lock = threading.RLock()
        self.entities: dict[str, dict[str, dict[str, Any]]] = {}
        self.tombstones: list[tuple[str, str, datetime]] = []
        self.replay: dict[str, tuple[int, str]] = {}
        self.batch_items: dict[str, dict[str, Any]] = {}  # requestid -> bId -> item answer
        self.hits: deque[float] = deque()
        self.batch_hits: deque[float] = deque()
        self.inflight = 0
        self._next_id = 1
        self.doc_seq: dict[str, int] = {}
        self.ast_rates: dict[str, Any] = {}
        self.exchange_rates: dict[str, Decimal] = {}  # test control: code -> home per unit
        self.check_deposit_accounts = True  # setting: DepositToAccountRef Bank/OCA only
        self.doc_numbers: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.linked_from: dict[Ref, set[Ref]] = defaultdict(set)
        self.names: dict[tuple[str, str], set[Ref]] = defaultdict(set)
        self._journal: list[tuple[str, str, dict[str, Any] | None]] | None = None

    @property
    def us(self) -> bool:
        """True for a US company (automated sales tax model)."""
        return self.country == "US"

    def new_id(self) -> str:
        """The next entity Id (numeric strings, as QBO issues)."""
        with self.lock:
            ident, self._next_id = str(self._next_id), self._next_id + 1
            return ident

    def _put(self, kind: str, ident: str, obj: dict[str, Any] | None) -> None:
        """The one place stored objects change: journal, lookups, then the store itself."""
        objs = self.entities.setdefault(kind, {})
        old = objs.get(ident)
        if self._journal is not None:
            self._journal.append((kind, ident, old))
        if old is not None and old.get("DocNumber"):
            self.doc_numbers[(kind, old["DocNumber"])].discard(ident)
        for target in _links_of(old):
            self.linked_from[target].discard((kind, ident))
        if (key := name_key(kind, old)) is not None:
            self.names[key].discard((kind, ident))
        if obj is None:
            objs.pop(ident, None)
            return
        objs[ident] = obj
        if obj.get("DocNumber"):
            self.doc_numbers[(kind, obj["DocNumber"])].add(ident)
        for target in _links_of(obj):
            self.linked_from[target].add((kind, ident))
        if (key := name_key(kind, obj)) is not None:
            self.names[key].add((kind, ident))

    def add(self, kind: str, obj: dict[str, Any], ident: str | None = None) -> dict[str, Any]:
        """Store a new entity: Id, SyncToken "0", MetaData, domain."""
        now = qbo_time(self.clock.now(), millis=False)
        obj["Id"] = ident or obj.get("Id") or self.new_id()
        obj["SyncToken"] = "0"
        obj["MetaData"] = {"CreateTime": now, "LastUpdatedTime": now}
        obj.setdefault("domain", "QBO")
        obj["sparse"] = False
        self._put(kind, obj["Id"], obj)
        return obj

    def get(self, kind: str, ident: Any) -> dict[str, Any] | None:
        """The stored entity (the live dict: never change it in place) or None."""
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
        self._put(kind, obj["Id"], obj)
        return obj

    def patch(self, kind: str, ident: str, **fields: Any) -> None:
        """Change derived fields (QtyOnHand, Balance) without a new version; copy-on-write."""
        self._put(kind, ident, {**self.entities[kind][ident], **fields})

    def remove(self, kind: str, ident: str) -> None:
        """Delete an entity, leaving a tombstone for CDC."""
        self._put(kind, ident, None)
        self.tombstones.append((kind, ident, self.clock.now()))

    def begin(self) -> tuple[Any, ...]:
        """Start journaling changes so that rollback() can undo them."""
        self._journal = []
        return dict(self.doc_seq), len(self.tombstones), self._next_id

    def commit(self) -> None:
        """Keep the changes since begin()."""
        self._journal = None

    def rollback(self, point: tuple[Any, ...]) -> None:
        """Undo every change since begin()."""
        journal, self._journal = self._journal or [], None
        for kind, ident, old in reversed(journal):
            self._put(kind, ident, old)
        self.doc_seq, count, self._next_id = point
        del self.tombstones[count:]

    def referrers(self, kind: str, ident: str, source: str) -> list[dict[str, Any]]:
        """The `source` entities (Payment, Deposit) whose lines link to (kind, ident)."""
        refs = sorted(self.linked_from.get((kind, str(ident)), ()), key=lambda r: int(r[1]))
        return [self.entities[k][i] for k, i in refs if k == source]

    def name_holders(self, kind: str, name: str) -> list[Ref]:
        """The `kind` entities using this unique name (case-insensitive)."""
        key = name_key(kind, {RULES[kind].unique or "": name})
        return [ref for ref in self.names.get(key, ()) if ref[0] == kind] if key else []

    def name_taken(self, kind: str, obj: dict[str, Any]) -> Ref | None:
        """Another entity already using `obj`'s unique name in its namespace, if any."""
        key = name_key(kind, obj)
        others = self.names.get(key, set()) - {(kind, str(obj.get("Id")))} if key else set()
        return min(others) if others else None

    def doc_number_taken(self, kind: str, number: str, other_than: Any = None) -> str | None:
        """The Id of another `kind` document with this DocNumber, if any."""
        ids = self.doc_numbers.get((kind, number), set()) - {str(other_than)}
        return min(ids, key=int) if ids else None

    def next_doc_number(self, kind: str) -> str:
        """QBO's next-in-sequence DocNumber for a sales form type."""
        seq = self.doc_seq.get(kind, 1001)
        while self.doc_number_taken(kind, str(seq)):
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
            self.rotate_refresh_tokens = False  # strict: a new refresh token on every use
            self.limits = Limits()
            self.check_deposit_accounts = True
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
            company.check_deposit_accounts = self.check_deposit_accounts
            self.companies[realm_id] = company
            return company

    def issue(self, kind: str, client_id: str, realm_id: str, ttl: int, **extra: Any) -> str:
        """Mint a grant value of `kind` valid for `ttl` seconds."""
        prefix = {"code": "AB11", "access": "eyJlbmMi", "refresh": "RT1-"}[kind]
        value = prefix + secrets.token_urlsafe(24)
        now = self.clock.timestamp()
        self.grants[value] = Grant(kind, client_id, realm_id, now + ttl, issued_at=now, **extra)
        return value

    def valid(self, value: str, kind: str) -> Grant | None:
        """The grant if it exists, has this kind, is unspent and unexpired."""
        grant = self.grants.get(value)
        if grant is None or grant.kind != kind or grant.spent:
            return None
        return grant if grant.expires_at > self.clock.timestamp() else None
