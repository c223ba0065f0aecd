"""The per-order view: the ledger's rows for one order, Shopify's order and the QBO documents
posted for it. Each side is read on its own: one that cannot be read carries the plain reason,
and the other side and the ledger's facts are still answered."""

from __future__ import annotations

from typing import Any

from flask import current_app
from quickbooks import QuickBooks
from sqlalchemy import or_, select

from clients.errors import DataError, RetryableError, SyncError
from clients.quickbooks_documents import document_by_id
from clients.shopify_queries import ORDER_QUERY
from extensions import db
from models import LedgerEntry, LedgerKind, QuickBooksConnection, Shop
from rules.order_view import fix_page, qbo_summary, qbo_url, reconciliation, shopify_summary
from services import quickbooks_connection, shopify_api

ORDER_GID = "gid://shopify/Order/"
# One small read: the order's totals and its first 20 lines (no shipping lines, discount
# applications or transactions are needed beyond one each; the totals cover them).
SMALL = {"lineItems": 20, "shippingLines": 1, "discountApplications": 1, "transactions": 1}
NOT_CONNECTED = "QuickBooks is not connected, so its documents cannot be read."
CONNECT_FIX = "Connect QuickBooks on Home."
RETRY_FIX = "Nothing was changed; reload this page in a few minutes."


def legacy_id(order_id: str) -> str:
    """The order's number from either form (`123` or `gid://shopify/Order/123`)."""
    return order_id.removeprefix(ORDER_GID)


def ledger_rows(shop_id: int, order_id: str) -> list[LedgerEntry]:
    """The shop's ledger rows for the order (and for its refunds or cancellation), oldest first."""
    ids = [legacy_id(order_id), ORDER_GID + legacy_id(order_id)]
    return list(
        db.session.scalars(
            select(LedgerEntry)
            .where(
                LedgerEntry.shop_id == shop_id,
                or_(
                    (LedgerEntry.kind == LedgerKind.ORDER) & LedgerEntry.shopify_id.in_(ids),
                    LedgerEntry.parent_shopify_id.in_(ids),
                ),
            )
            .order_by(LedgerEntry.id)
        )
    )


def side_error(exc: SyncError) -> dict[str, Any]:
    """A side that could not be read: why, and what to do, in plain words."""
    fix = exc.fix or (RETRY_FIX if isinstance(exc, RetryableError) else None)
    return {"error": exc.reason, "fix": fix}


def read_shopify(shop: Shop, order_id: str) -> dict[str, Any] | None:
    """Shopify's order in short (None: the shop has no such order); raises SyncError."""
    variables = {"id": ORDER_GID + legacy_id(order_id), **SMALL}
    answer = shopify_api.call_with_refresh(shop, lambda c: c.execute(ORDER_QUERY, variables))
    node = (answer.get("data") or {}).get("order")
    return None if node is None else shopify_summary(node)


def posted_documents(rows: list[LedgerEntry]) -> list[tuple[str, str]]:
    """(QBO entity, id) of every document the rows record: each row's own, then its payments."""
    found = []
    for row in rows:
        if not (row.qbo_type and row.qbo_id):
            continue
        found.append((row.qbo_type, row.qbo_id))
        related = row.qbo_related or {}
        paid = [p.get("id") for p in related.get("payments") or []] + list(
            related.get("payment_ids") or []
        )
        found += [("Payment", str(i)) for i in paid if i and i != "linked"]
    return list(dict.fromkeys(found))


def document_link(entity: str, qbo_id: str, realm_id: str) -> str | None:
    """Where the merchant opens the document: QuickBooks Online, or in sandbox mode the QBO
    emulator's page of the company (it lists every document; it has none per document)."""
    config = current_app.config
    if config["SANDBOX"] and config.get("QBO_API_BASE_URL"):
        return f"{str(config['QBO_API_BASE_URL']).removesuffix('/v3')}/_emulator/browse/{realm_id}"
    return qbo_url(entity, qbo_id, production=config["QBO_ENVIRONMENT"] == "production")


def _read_back(qb: QuickBooks, wanted: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Each document read back; one QBO refuses (deleted, say) carries its reason."""
    read = []
    for entity, qbo_id in wanted:
        try:
            read.append(qbo_summary(entity, document_by_id(qb, entity, qbo_id)))
        except DataError as exc:
            read.append({"type": entity, "id": qbo_id, **side_error(exc)})
    return read


def read_quickbooks(
    connection: QuickBooksConnection | None, rows: list[LedgerEntry]
) -> dict[str, Any]:
    """The QBO documents posted for the order, read back, each with its link."""
    wanted = posted_documents(rows)
    if not wanted:
        return {"documents": []}
    if connection is None:
        return {"error": NOT_CONNECTED, "fix": CONNECT_FIX}
    try:
        documents = quickbooks_connection.call_with_refresh(
            connection, lambda qb: _read_back(qb, wanted)
        )
    except SyncError as exc:
        return side_error(exc)
    for document in documents:
        document["qbo_url"] = document_link(document["type"], document["id"], connection.realm_id)
    return {"documents": documents}


def row_json(row: LedgerEntry, realm_id: str | None) -> dict[str, Any]:
    """A ledger row as the page shows it."""
    link = None
    if row.qbo_type and row.qbo_id and realm_id:
        link = document_link(row.qbo_type, row.qbo_id, realm_id)
    return {
        "kind": row.kind.value,
        "status": row.status.value,
        "qbo_type": row.qbo_type,
        "qbo_id": row.qbo_id,
        "qbo_doc_number": row.qbo_doc_number,
        "qbo_url": link,
        "shopify_total": None if row.shopify_total is None else str(row.shopify_total),
        "qbo_total": None if row.qbo_total is None else str(row.qbo_total),
        "attempts": row.attempts,
        "reason": row.last_error,
        "fix": row.last_error_fix,
        "fix_page": fix_page(row.last_error_fix),
        "posted_at": row.posted_at.isoformat() if row.posted_at else None,
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
    }


def order_view(shop: Shop, order_id: str) -> dict[str, Any] | None:
    """The order beside its QBO documents, with the ledger's facts; None when neither the
    shop's ledger nor its Shopify store has the order. SyncError only when Shopify cannot be
    read and the ledger does not know the order either (nothing to show)."""
    rows = ledger_rows(shop.id, order_id)
    try:
        shopify = read_shopify(shop, order_id)
    except SyncError as exc:
        if not rows:
            raise
        shopify = side_error(exc)
    if shopify is None and not rows:
        return None
    if shopify is None:
        shopify = {"error": "Shopify no longer has this order (it was deleted).", "fix": None}
    connection = shop.quickbooks_connection
    quickbooks = read_quickbooks(connection, rows)
    both = "error" not in shopify and "error" not in quickbooks
    reconciled = reconciliation(shopify, quickbooks["documents"]) if both else None
    if reconciled is not None:
        quickbooks["total"] = reconciled[2]  # sales less refunds, as Shopify's total counts them
    realm_id = connection.realm_id if connection else None
    return {
        "shopify_order_id": legacy_id(order_id),
        "name": shopify.get("name") or next((r.shopify_name for r in rows if r.shopify_name), None),
        "shopify": shopify,
        "quickbooks": quickbooks,
        "ledger": [row_json(r, realm_id) for r in rows],
        "reconciles": None if reconciled is None else reconciled[0],
        "difference": None if reconciled is None else reconciled[1],
    }
