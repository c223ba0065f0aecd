"""GET /api/setup: the guided setup's steps in order, each done or missing what."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

from blueprints.session import session_token_required
from extensions import db
from services.setup import setup_steps

# Mounted under the settings blueprint (its /api prefix): blueprints/settings.py.
bp = Blueprint("setup", __name__)


@bp.get("/setup")
@session_token_required
def status():
    """`{"steps": [{id, title, required, done, missing}], "done": bool}` for the token's shop;
    `done` when every required step is."""
    steps = setup_steps(g.shop)
    db.session.commit()  # ensure_settings may have created the rows
    return jsonify(
        steps=[step.as_json() for step in steps],
        done=all(step.done for step in steps if step.required),
    )
