"""The shop's QuickBooks connection: connect, keep the token fresh, mark for reconnect, revoke."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from quickbooks import QuickBooks

from clients.errors import AuthError, RetryableError, RetryReason
from clients.quickbooks import CompanyProfile, make_client, read_company_profile
from clients.quickbooks_auth import RECONNECT_FIX, QuickBooksAuth, QuickBooksTokens
from clients.quickbooks_faults import sdk_call
from clients.quickbooks_pacing import BatchPacer
from extensions import db
from models import ConnectionStatus, QuickBooksConnection, Shop, utcnow
from services.tokens import compare_and_set, needs_refresh, refresh_lock

log = logging.getLogger(__name__)
T = TypeVar("T")
REFUSED_AGAIN = "QuickBooks refused the access token again right after it was refreshed"


def quickbooks_auth() -> QuickBooksAuth:
    """The Intuit OAuth client of this app (QBO_ENVIRONMENT may be the emulator's discovery URL)."""
    config = current_app.config
    if str(config.get("QBO_API_BASE_URL") or "").startswith("http://"):
        # requests-oauthlib refuses plain http; only the local emulator is ever served that way.
        os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")
    return QuickBooksAuth(
        str(config["QBO_CLIENT_ID"]),
        str(config["QBO_CLIENT_SECRET"]),
        f"{config['APP_URL']}/quickbooks/callback",
        str(config["QBO_ENVIRONMENT"]),
    )


def _token_columns(tokens: QuickBooksTokens) -> dict:
    """The connection columns a token pair writes."""
    return {
        "access_token": tokens.access_token,
        "access_token_expires_at": tokens.access_token_expires_at,
        "refresh_token": tokens.refresh_token,
        "refresh_token_expires_at": tokens.refresh_token_expires_at,
    }


def connect(shop: Shop, code: str, realm_id: str) -> QuickBooksConnection:
    """Finish Intuit's consent: store the tokens encrypted and cache the company facts."""
    tokens = quickbooks_auth().exchange_code(code, realm_id, utcnow())
    # Read the company with the new tokens before writing anything: a wrong realm or refused
    # token fails here, and the shop's working connection is never touched.
    auth = quickbooks_auth().client(
        access_token=tokens.access_token, refresh_token=tokens.refresh_token, realm_id=realm_id
    )
    qb = make_client(auth, realm_id, current_app.config.get("QBO_API_BASE_URL"))
    facts = sdk_call(lambda: read_company_profile(qb))
    connection = shop.quickbooks_connection or QuickBooksConnection(shop_id=shop.id)
    connection.realm_id = realm_id
    for name, value in {**_token_columns(tokens), **vars(facts)}.items():
        setattr(connection, name, value)
    connection.facts_refreshed_at = utcnow()
    connection.token_version = (connection.token_version or 0) + 1
    connection.status, connection.status_reason = ConnectionStatus.CONNECTED, None
    connection.connected_at = utcnow()
    db.session.add(connection)
    db.session.commit()
    log.info("%s connected to QuickBooks company %s", shop.shop_domain, realm_id)
    return connection


def mark_needs_reconnect(connection: QuickBooksConnection, reason: str) -> None:
    """Pause syncing and tell the merchant plainly that QuickBooks must be reconnected."""
    connection.status = ConnectionStatus.NEEDS_RECONNECT
    connection.status_reason = reason
    db.session.commit()
    log.warning(
        "QuickBooks connection of shop %s needs reconnecting: %s", connection.shop_id, reason
    )


def _held_token(connection: QuickBooksConnection) -> str:
    """The stored access token; a connection without one must be connected again."""
    if not connection.access_token:
        raise AuthError("QuickBooks holds no access token for this shop", RECONNECT_FIX)
    return connection.access_token


def access_token(connection: QuickBooksConnection, force: bool = False) -> str:
    """A QBO access token valid beyond the refresh margin; refreshes under lock + CAS.

    `force` refreshes even a fresh token, so a refresh token nearing its end is renewed.
    """
    if connection.status != ConnectionStatus.CONNECTED or not connection.refresh_token:
        raise AuthError("QuickBooks is not connected", "Connect QuickBooks from Ledgerbridge.")
    version = connection.token_version
    if not force and not needs_refresh(connection.access_token_expires_at, utcnow()):
        return _held_token(connection)
    with refresh_lock(f"quickbooks-{connection.id}"):
        db.session.refresh(connection)
        renewed = connection.token_version != version  # someone refreshed while we waited
        if renewed or not needs_refresh(connection.access_token_expires_at, utcnow()) and not force:
            return _held_token(connection)
        try:
            tokens = quickbooks_auth().refresh(connection.refresh_token, utcnow())
        except AuthError as exc:
            mark_needs_reconnect(connection, exc.reason)
            raise
        if not compare_and_set(
            QuickBooksConnection, connection.id, connection.token_version, _token_columns(tokens)
        ):
            raise RetryableError(
                "QuickBooks tokens changed during the refresh; retrying.", why=RetryReason.BUSY
            )
        db.session.refresh(connection)
        return _held_token(connection)


def client_for(connection: QuickBooksConnection) -> QuickBooks:
    """A python-quickbooks client for the connection's company, with a fresh token."""
    token = access_token(connection)
    auth = quickbooks_auth().client(
        access_token=token, refresh_token=connection.refresh_token, realm_id=connection.realm_id
    )
    return make_client(
        auth, connection.realm_id, current_app.config.get("QBO_API_BASE_URL"), batch_pacer()
    )


def batch_pacer() -> BatchPacer:
    """The app's pacer of QBO batch requests (QBO_BATCH_RATE, shared through Redis)."""
    pacer = current_app.extensions.get("qbo_batch_pacer")
    if pacer is None:
        pacer = BatchPacer(current_app.extensions["redis"], current_app.config["QBO_BATCH_RATE"])
        current_app.extensions["qbo_batch_pacer"] = pacer
    return pacer


def _attempt(connection: QuickBooksConnection, fn: Callable[[QuickBooks], T]) -> T:
    """One call of `fn` with a client, python-quickbooks failures as our errors."""
    qb = client_for(connection)
    return sdk_call(lambda: fn(qb))


def call_with_refresh(connection: QuickBooksConnection, fn: Callable[[QuickBooks], T]) -> T:
    """Run `fn(client)`; on a 401 refresh the token once (lock + compare-and-set), run it again.

    SDK failures come out as our errors. Intuit may refuse an access token before its stated
    expiry, so a 401 is first answered by a refresh; only a refused refresh (invalid_grant:
    `access_token` marks the connection) or a second 401 asks the merchant to reconnect.
    ref: https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0
    """
    version = connection.token_version
    try:
        return _attempt(connection, fn)
    except AuthError as exc:
        if exc.code != "401":
            raise
    db.session.refresh(connection)
    if connection.token_version == version:  # nobody refreshed since our call: refresh now
        access_token(connection, force=True)
    try:
        return _attempt(connection, fn)
    except AuthError as exc:
        if exc.code != "401":
            raise
        mark_needs_reconnect(connection, REFUSED_AGAIN)
        raise AuthError(REFUSED_AGAIN, RECONNECT_FIX, code="401") from exc


def refresh_company_facts(connection: QuickBooksConnection) -> CompanyProfile:
    """Read and cache country, currency, tax model and tracking preferences."""
    facts = call_with_refresh(connection, read_company_profile)
    for name, value in vars(facts).items():
        setattr(connection, name, value)
    connection.facts_refreshed_at = utcnow()
    db.session.commit()
    return facts


def disconnect(connection: QuickBooksConnection) -> None:
    """Revoke the tokens at Intuit, then forget them (one click for the merchant)."""
    if connection.refresh_token:
        try:
            quickbooks_auth().revoke(connection.refresh_token)
        except AuthError:
            log.info("QuickBooks tokens of shop %s were already revoked", connection.shop_id)
    connection.access_token = connection.refresh_token = None
    connection.access_token_expires_at = connection.refresh_token_expires_at = None
    connection.status = ConnectionStatus.DISCONNECTED
    connection.status_reason = "Disconnected by the merchant."
    connection.token_version += 1
    db.session.commit()
