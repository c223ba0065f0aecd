"""The shop's orders as the ledger knows them: GET /api/orders (the latest, to open one) and
GET /api/orders/<shopify_order_id> (one order beside the QBO documents posted for it)."""

from __future__ import annotations

import re

from flask import Blueprint, abort, g, jsonify, request
from sqlalchemy import select

from blueprints.session import session_token_required
from blueprints.sync import ORDER_ID
from extensions import db
from models import LedgerEntry, LedgerKind, LedgerStatus
from sync.order_view import order_view

bp = Blueprint("orders", __name__, url_prefix="/api/orders")


def not_found(order_id: str):
    """The app's error envelope for an order this shop does not have."""
    message = f"This store has no order {order_id} that Ledgerbridge knows of."
    return jsonify(error="not_found", message=message), 404


LISTED = 50  # the latest orders the History page lists
LISTED_STATUSES = (LedgerStatus.POSTED, LedgerStatus.FAILED, LedgerStatus.SKIPPED)


def _money(value) -> str | None:
    """A recorded total as the page shows it (2 decimals), or None."""
    return None if value is None else f"{value:.2f}"


@bp.get("")
@session_token_required
def latest():
    """`{"orders": [...]}`: the shop's latest orders the sync handled (posted, failed or skipped),
    newest first, each with its QuickBooks document and totals as recorded; `?limit=` 1–200."""
    limit = request.args.get("limit", str(LISTED))
    if not re.fullmatch(r"[0-9]{1,3}", limit) or not 1 <= int(limit) <= 200:
        abort(400, "limit must be a whole number from 1 to 200")
    rows = db.session.scalars(
        select(LedgerEntry)
        .where(
            LedgerEntry.shop_id == g.shop.id,
            LedgerEntry.kind == LedgerKind.ORDER,
            LedgerEntry.status.in_(LISTED_STATUSES),
        )
        .order_by(LedgerEntry.updated_at.desc(), LedgerEntry.id.desc())
        .limit(int(limit))
    )
    return jsonify(
        orders=[
            {
                "shopify_order_id": r.shopify_id,
                "name": r.shopify_name,
                "status": r.status.value,
                "qbo_type": r.qbo_type,
                "qbo_doc_number": r.qbo_doc_number,
                "shopify_total": _money(r.shopify_total),
                "qbo_total": _money(r.qbo_total),
                "reason": r.last_error if r.status != LedgerStatus.POSTED else None,
                "updated_at": r.updated_at.isoformat(),
            }
            for r in rows
        ]
    )


@bp.get("/<path:order_id>")
@session_token_required
def order(order_id: str):
    """The Shopify order, its ledger rows and its QBO documents read back, with `reconciles`."""
    if not ORDER_ID.fullmatch(order_id):
        return not_found(order_id)
    view = order_view(g.shop, order_id)
    return jsonify(view) if view is not None else not_found(order_id)
