"""The QuickBooks consent as one browser's flow: started at top level, finished once, in the same
browser, without ever damaging a working connection.

The embedded page cannot set a cookie the top window will send back (it is framed by the Shopify
admin: a third-party context), so `POST /api/quickbooks/connect` hands it a one-minute ticket for
`/quickbooks/start`, which the top window opens. That page puts a random nonce in the signed
session cookie (SameSite=Lax: it rides on Intuit's top-level redirect back) and in the Redis
state; the callback needs both, so an attacker's callback URL opened in the merchant's browser is
refused (account-linking CSRF, RFC 6749 §10.12: https://www.rfc-editor.org/rfc/rfc6749#section-10.12).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from flask import session
from sqlalchemy import inspect

from blueprints.oauth_state import consume_state, issue_state
from clients.errors import SyncError
from extensions import db
from models import QuickBooksConnection, Shop
from services.quickbooks_connection import connect

TICKET_TTL_S = 60
SESSION_KEY = "quickbooks_flow"


class FlowRefused(Exception):
    """The callback is not the end of a flow this browser started; the message says so plainly."""


def issue_ticket(shop_domain: str) -> str:
    """A single-use, one-minute ticket that lets the top window start the consent for the shop."""
    return issue_state("quickbooks-start", shop_domain, TICKET_TTL_S)


def begin(ticket: str | None) -> tuple[str, str]:
    """(shop domain, state) of a new flow bound to this browser; FlowRefused for a bad ticket."""
    shop_domain = consume_state("quickbooks-start", ticket)
    if not shop_domain:
        raise FlowRefused("This link to connect QuickBooks expired or was already used.")
    binding = secrets.token_urlsafe(32)
    session[SESSION_KEY] = binding
    return shop_domain, issue_state("quickbooks", f"{shop_domain} {binding}")


def finish(state: str | None) -> str:
    """The shop of the flow this callback ends, consuming its state and this browser's nonce."""
    value = consume_state("quickbooks", state)
    binding = session.pop(SESSION_KEY, None)
    if not value:
        raise FlowRefused("This QuickBooks connection request expired or was already used.")
    shop_domain, _, expected = value.partition(" ")
    if not isinstance(binding, str) or not hmac.compare_digest(binding, expected):
        raise FlowRefused(
            "This QuickBooks connection was not started in this browser, so it was not accepted."
        )
    return shop_domain


def _columns(connection: QuickBooksConnection) -> dict[str, object]:
    """Every column value of the connection (tokens decrypted)."""
    return {a.key: getattr(connection, a.key) for a in inspect(connection).mapper.column_attrs}


def connect_or_keep(shop: Shop, code: str, realm_id: str) -> None:
    """`connect`, or on any failure put the shop's previous connection back exactly (or none).

    `connect` reads the company with the new tokens before writing anything, so a wrong realmId
    fails before the good connection is touched; restoring is the safety net for a failure
    after that (the database write itself).
    """
    before = _columns(shop.quickbooks_connection) if shop.quickbooks_connection else None
    try:
        connect(shop, code, realm_id)
    except SyncError:
        db.session.rollback()
        _restore(shop, before)
        raise


def _restore(shop: Shop, before: dict[str, Any] | None) -> None:
    """Write the saved column values back; delete a connection the failed flow created."""
    connection = db.session.scalar(
        db.select(QuickBooksConnection).where(QuickBooksConnection.shop_id == shop.id)
    )
    if connection is None:
        return
    if before is None:
        db.session.delete(connection)
    else:
        version = max(int(before["token_version"] or 0), connection.token_version or 0)
        for key, value in before.items():
            setattr(connection, key, value)
        connection.token_version = version + 1  # a refresh that read the wrong tokens must fail
    db.session.commit()
    db.session.expire(shop)
