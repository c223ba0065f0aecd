"""The stock push's JSON API for its page: the preview, its approval, and the guard's hold.

Views never read Shopify or QuickBooks themselves: a preview is a dry run on the worker, which
the page polls. See docs/inventory-workflow.md.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request

from blueprints.session import session_token_required
from blueprints.sync import run_json
from clients.errors import DataError
from jobs.inventory_job import start_stock_run
from jobs.sales_triggers import QueueUnavailable
from models import SyncRun, Trigger
from sync.inventory.approval import (
    approve,
    confirm,
    held_answer,
    latest_preview,
    preview_answer,
)

bp = Blueprint("inventory", __name__, url_prefix="/api/inventory")


def _run_id() -> int:
    """The body's `run_id`, a positive integer (422 naming the field otherwise)."""
    body = request.get_json(silent=True)
    value = body.get("run_id") if isinstance(body, dict) else None
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise DataError("run_id is required", errors={"run_id": "must be a run id"})
    return value


def _started(dry_run: bool, trigger: Trigger = Trigger.MANUAL, full: bool = False) -> SyncRun:
    """A queued stock run; 503 with the reason when the job queue is down."""
    try:
        return start_stock_run(g.shop, trigger, dry_run=dry_run, full=full)
    except QueueUnavailable as exc:
        abort(503, str(exc))


@bp.post("/sync")
@session_token_required
def sync_stock_now():
    """Set stock now: queue a run of what changed, or (`{"full": true}`, the retry of failed
    SKUs) of both catalogues whole."""
    body = request.get_json(silent=True)
    full = isinstance(body, dict) and body.get("full") is True
    trigger = Trigger.RETRY if full else Trigger.MANUAL
    return jsonify(run_json(_started(dry_run=False, trigger=trigger, full=full))), 202


@bp.post("/preview")
@session_token_required
def start_preview():
    """Queue a stock preview (a dry run reading both catalogues); the page polls GET."""
    if not g.shop.inventory_settings.shopify_location_id:
        raise DataError(
            "Choose the Shopify location first",
            errors={"inventory.shopify_location_id": "choose the Shopify location to set stock at"},
        )
    return jsonify(run_json(_started(dry_run=True))), 202


@bp.get("/preview")
@session_token_required
def show_preview():
    """The latest preview: per SKU Shopify now, QBO value and the change; totals; the hold."""
    answer = preview_answer(latest_preview(g.shop.id))
    settings = g.shop.inventory_settings
    answer["approved_at"] = (
        settings.preview_approved_at.isoformat() if settings.preview_approved_at else None
    )
    answer["held"] = held_answer(g.shop.id)
    return jsonify(answer)


@bp.post("/approve")
@session_token_required
def approve_preview():
    """Approve the latest preview and confirm opening stock is entered in QuickBooks."""
    approve(g.shop, _run_id())
    settings = g.shop.inventory_settings
    return jsonify(
        approved_at=settings.preview_approved_at.isoformat(),
        opening_stock_confirmed=settings.opening_stock_confirmed,
    )


@bp.get("/held")
@session_token_required
def show_held():
    """The update the guard held (its numbers for the banner), or null."""
    return jsonify(held=held_answer(g.shop.id))


@bp.post("/confirm")
@session_token_required
def confirm_held():
    """Confirm the held update once: a new run applies it (if it is no bigger than confirmed)."""
    confirm(g.shop, _run_id())
    return jsonify(run_json(_started(dry_run=False))), 202
