"""Sync now, retries, live progress of runs, and the records that could not be posted."""

from __future__ import annotations

import re

from flask import Blueprint, abort, g, jsonify, request
from sqlalchemy import select

from blueprints.session import session_token_required
from extensions import db
from jobs.sales_triggers import (
    QueueUnavailable,
    failed_order_ids,
    start_sales_run,
    start_workflow_run,
)
from models import LedgerEntry, LedgerKind, LedgerStatus, RunStatus, SyncRun, Trigger, Workflow

bp = Blueprint("sync", __name__, url_prefix="/api")
MAX_RETRY = 500
# The workflow each kind of ledger row belongs to, as the failed-records list names it.
KIND_WORKFLOWS = {
    LedgerKind.ORDER: Workflow.SALES,
    LedgerKind.REFUND: Workflow.SALES,
    LedgerKind.CANCELLATION: Workflow.SALES,
    LedgerKind.PAYOUT: Workflow.SALES,
    LedgerKind.PRODUCT_VARIANT: Workflow.PRODUCTS,
    LedgerKind.INVENTORY_LEVEL: Workflow.INVENTORY,
}
# A legacy order id (digits) or its global id, as Shopify and failed_order_ids name orders.
ORDER_ID = re.compile(r"(gid://shopify/Order/)?[0-9]{1,20}")


def order_ids(values: object) -> list[str] | None:
    """1–MAX_RETRY Shopify order ids as strings, or None when any is not an order id."""
    if not isinstance(values, list) or not 1 <= len(values) <= MAX_RETRY:
        return None
    ids = [str(v) for v in values if isinstance(v, str | int) and not isinstance(v, bool)]
    if len(ids) != len(values) or not all(ORDER_ID.fullmatch(i) for i in ids):
        return None
    return ids


def run_json(run: SyncRun) -> dict:
    """A run as the dashboard shows it, progress included."""
    return {
        "id": run.id,
        "workflow": run.workflow.value,
        "trigger": run.trigger.value,
        "status": run.status.value,
        "dry_run": run.dry_run,
        "queued_at": run.queued_at.isoformat(),
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "progress": {"done": run.progress_done, "total": run.progress_total},
        "counts": {
            "created": run.created_count,
            "updated": run.updated_count,
            "skipped": run.skipped_count,
            "failed": run.failed_count,
        },
        "error": run.error,
        # stopped by the stock guard before writing anything, waiting for the merchant
        "held": bool(
            run.status == RunStatus.FAILED and not run.dry_run and (run.params or {}).get("hold")
        ),
    }


def queued(trigger: Trigger, order_ids: list[str] | None = None) -> SyncRun:
    """The shop's run covering this request; 503 with the reason when Redis is unreachable
    (nothing is left waiting, so the next press works once it is back)."""
    try:
        return start_sales_run(g.shop, trigger, order_ids=order_ids)
    except QueueUnavailable as exc:
        abort(503, str(exc))


@bp.post("/sync/sales")
@session_token_required
def sync_now():
    """Sync now: queue an incremental sales run (or show the one already under way)."""
    return jsonify(run_json(queued(Trigger.MANUAL))), 202


@bp.post("/sync/sales/retry")
@session_token_required
def retry():
    """Retry named orders, or every failed one, once the cause is fixed."""
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    if body.get("all_failed") is True:
        ids = order_ids(failed_order_ids(g.shop.id))
    else:
        ids = order_ids(body.get("order_ids"))
    if ids is None:
        abort(400, f"send order_ids (1–{MAX_RETRY} Shopify order ids) or all_failed: true")
    run = queued(Trigger.RETRY, order_ids=ids)
    return jsonify(run_json(run)), 202


@bp.post("/sync/products")
@session_token_required
def sync_products_now():
    """Sync now: queue a products run of what changed (or show the one already under way)."""
    return jsonify(run_json(queued_run(Workflow.PRODUCTS, Trigger.MANUAL))), 202


@bp.post("/sync/products/retry")
@session_token_required
def retry_products():
    """Retry every product variant that failed: a run reading the whole catalogue, in which
    only variants not yet in QuickBooks (or changed) make a QuickBooks request."""
    return jsonify(run_json(queued_run(Workflow.PRODUCTS, Trigger.RETRY, {"full": True}))), 202


def queued_run(workflow: Workflow, trigger: Trigger, params: dict | None = None) -> SyncRun:
    """The shop's run of `workflow` covering this request; 503 when Redis is unreachable."""
    try:
        return start_workflow_run(g.shop, workflow, trigger, params)
    except QueueUnavailable as exc:
        abort(503, str(exc))


@bp.get("/runs")
@session_token_required
def runs():
    """The shop's recent runs, newest first."""
    rows = db.session.scalars(
        select(SyncRun).where(SyncRun.shop_id == g.shop.id).order_by(SyncRun.id.desc()).limit(50)
    )
    return jsonify(runs=[run_json(r) for r in rows])


@bp.get("/runs/<int:run_id>")
@session_token_required
def run_status(run_id: int):
    """One run's live progress (only the shop's own runs)."""
    run = db.session.get(SyncRun, run_id)
    if run is None or run.shop_id != g.shop.id:
        abort(404, "no such run")
    return jsonify(run_json(run))


@bp.get("/ledger/failed")
@session_token_required
def failed():
    """Every record that could not be posted, with its reason and fix."""
    rows = db.session.scalars(
        select(LedgerEntry)
        .where(LedgerEntry.shop_id == g.shop.id, LedgerEntry.status == LedgerStatus.FAILED)
        .order_by(LedgerEntry.updated_at.desc())
        .limit(500)
    )
    return jsonify(
        failed=[
            {
                "kind": r.kind.value,
                "workflow": KIND_WORKFLOWS[r.kind].value,
                "shopify_id": r.shopify_id,
                "name": r.shopify_name,
                "reason": r.last_error,
                "fix": r.last_error_fix,
                "attempts": r.attempts,
                "updated_at": r.updated_at.isoformat(),
            }
            for r in rows
        ]
    )
