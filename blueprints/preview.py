"""The previews of the next sales sync and of the products workflow: queue a dry run, then read
what it found (the RQ job's answer)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, g, jsonify

from blueprints.session import session_token_required
from blueprints.sync import run_json
from extensions import db
from jobs.products_preview_job import start_products_preview
from jobs.sales_preview_job import preview_result, start_preview
from jobs.sales_triggers import QueueUnavailable
from models import Shop, SyncRun, Workflow

bp = Blueprint("preview", __name__, url_prefix="/api/sync")


def _queued(start: Callable[[Shop], SyncRun]):
    """202 with the queued preview run; 503 when the job queue is down."""
    try:
        run = start(g.shop)
    except QueueUnavailable as exc:
        abort(503, str(exc))
    return jsonify(run_json(run)), 202


def _answer(run_id: int, workflow: Workflow, key: str):
    """`{run, preview}` of the shop's preview run of `workflow` (404 for any other run)."""
    run = db.session.get(SyncRun, run_id)
    if run is None or run.shop_id != g.shop.id or not run.dry_run or run.workflow != workflow:
        abort(404, "no such preview")
    return jsonify(run=run_json(run), preview=preview_result(run, key))


@bp.post("/sales/preview")
@session_token_required
def preview():
    """Queue a dry run over the next sync's first orders; poll /api/runs/<id>, then read the
    answer at /api/sync/sales/preview/<id>."""
    return _queued(start_preview)


@bp.get("/sales/preview/<int:run_id>")
@session_token_required
def preview_answer(run_id: int):
    """`{run, preview}`: the preview run and, once it finished, what each order would become
    (`preview` is null while it runs, after a failure, or once RQ let the answer expire)."""
    return _answer(run_id, Workflow.SALES, "orders")


@bp.post("/products/preview")
@session_token_required
def products_preview():
    """Queue a dry run over the whole catalogue; poll /api/runs/<id>, then read the answer at
    /api/sync/products/preview/<id>."""
    return _queued(start_products_preview)


@bp.get("/products/preview/<int:run_id>")
@session_token_required
def products_preview_answer(run_id: int):
    """`{run, preview}`: once it finished, `preview` holds `totals` (fail, create, update,
    link, unchanged), `variants` (each with its `outcome` and the item's name, type and price,
    or the reason and fix; failures first, at most 500) and `truncated`."""
    return _answer(run_id, Workflow.PRODUCTS, "variants")
