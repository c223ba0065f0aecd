"""The preview of the next sales sync: queue a dry run, then read what it found."""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify

from blueprints.session import session_token_required
from blueprints.sync import run_json
from extensions import db
from jobs.sales_preview_job import preview_result, start_preview
from jobs.sales_triggers import QueueUnavailable
from models import SyncRun

bp = Blueprint("preview", __name__, url_prefix="/api/sync/sales")


@bp.post("/preview")
@session_token_required
def preview():
    """Queue a dry run over the next sync's first orders; poll /api/runs/<id>, then read the
    answer at /api/sync/sales/preview/<id>."""
    try:
        run = start_preview(g.shop)
    except QueueUnavailable as exc:
        abort(503, str(exc))
    return jsonify(run_json(run)), 202


@bp.get("/preview/<int:run_id>")
@session_token_required
def preview_answer(run_id: int):
    """`{run, preview}`: the preview run and, once it finished, what each order would become
    (`preview` is null while it runs, after a failure, or once RQ let the answer expire)."""
    run = db.session.get(SyncRun, run_id)
    if run is None or run.shop_id != g.shop.id or not run.dry_run:
        abort(404, "no such preview")
    return jsonify(run=run_json(run), preview=preview_result(run))
