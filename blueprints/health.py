"""GET /healthz: is the database and Redis reachable from this process."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from extensions import db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


def _check(name: str, probe) -> str:
    """Run one probe; report only the error class so no URL or password reaches the body."""
    try:
        probe()
    except Exception as exc:  # a health check must answer, whatever the failure
        log.warning("health check: %s unreachable (%s)", name, type(exc).__name__)
        return f"error: {type(exc).__name__}"
    return "ok"


@bp.get("/healthz")
def healthz():
    """200 when the database and Redis both answer, 503 otherwise."""
    checks = {
        "database": _check("database", lambda: db.session.execute(text("SELECT 1"))),
        "redis": _check("redis", lambda: current_app.extensions["redis"].ping()),
    }
    db.session.rollback()
    healthy = all(value == "ok" for value in checks.values())
    return jsonify(status="ok" if healthy else "unavailable", **checks), 200 if healthy else 503
