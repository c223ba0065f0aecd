"""App lifecycle webhooks: uninstall stops everything and discards both sides' tokens."""

from __future__ import annotations

import logging

from sqlalchemy import update

from clients.errors import SyncError
from extensions import db
from jobs import cancel_shop_jobs
from jobs.context import with_app_context
from models import ConnectionStatus, QuickBooksConnection, RunStatus, Shop, SyncRun, utcnow
from services.quickbooks_connection import quickbooks_auth

log = logging.getLogger(__name__)

UNINSTALLED_REASON = "The Shopify app was uninstalled; reinstall it and reconnect QuickBooks."


def _revoke_quietly(connection: QuickBooksConnection) -> None:
    """Ask Intuit to revoke the tokens too; the uninstall goes on whatever Intuit answers."""
    if not connection.refresh_token:
        return
    try:
        quickbooks_auth().revoke(connection.refresh_token)
    except SyncError as exc:
        log.info("QuickBooks revoke on uninstall of shop %s: %s", connection.shop_id, exc.reason)


@with_app_context
def handle_app_uninstalled(shop_domain: str, payload: dict | None = None) -> str:
    """Stop the shop's jobs and forget its tokens; settings and ledger stay for a reinstall.

    Shopify has already revoked the access token when app/uninstalled arrives, and sends
    shop/redact 48 hours later if the merchant does not come back (which erases the rest).
    ref: https://shopify.dev/docs/apps/build/privacy-law-compliance
    """
    shop = Shop.by_domain(shop_domain)
    if shop is None:
        return "unknown shop"
    now = utcnow()
    shop.uninstalled_at = now
    shop.shopify_access_token = shop.shopify_refresh_token = None
    shop.shopify_access_token_expires_at = shop.shopify_refresh_token_expires_at = None
    shop.token_version += 1
    connection = shop.quickbooks_connection
    if connection is not None:
        _revoke_quietly(connection)
        connection.access_token = connection.refresh_token = None
        connection.access_token_expires_at = connection.refresh_token_expires_at = None
        connection.status = ConnectionStatus.DISCONNECTED
        connection.status_reason = UNINSTALLED_REASON
        connection.token_version += 1
    db.session.execute(
        update(SyncRun)
        .where(SyncRun.shop_id == shop.id)
        .where(SyncRun.status.in_([RunStatus.QUEUED, RunStatus.RUNNING]))
        .values(status=RunStatus.ABANDONED, finished_at=now, error=UNINSTALLED_REASON)
    )
    db.session.commit()
    cancelled = cancel_shop_jobs(shop_domain)
    log.info(
        "app uninstalled from %s: tokens discarded, %d queued jobs cancelled",
        shop_domain,
        cancelled,
    )
    return "uninstalled"
