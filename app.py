"""Ledgerbridge: the Flask application factory."""

from __future__ import annotations

import logging
import math
from pathlib import Path

from flask import Flask, Response, jsonify, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

import encryption
import log_redaction
import request_limits
from clients.errors import AuthError, DataError, RetryableError, SyncError
from config import load_config
from extensions import db, migrate, redis_queues


def create_app(config: dict[str, object] | None = None) -> Flask:
    """Build the app from the environment; `config` overrides values (tests)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(load_config(overrides=config))
    logging.basicConfig(level=str(app.config["LOG_LEVEL"]).upper())
    log_redaction.init_app()
    if app.config["PRODUCTION"]:
        # Heroku's router terminates TLS: trust its one X-Forwarded-For/Proto hop.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    register_extensions(app)
    request_limits.init_app(app)  # before the blueprints: their `<int:>` routes use its converter
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the database, migrations, Redis/RQ and the token keyring to this app."""
    encryption.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path) / "migrations"))
    redis_queues.init_app(app)
    import models  # noqa: F401  (register the tables on the metadata)


@event.listens_for(Engine, "connect")
def _sqlite_enforce_foreign_keys(dbapi_connection, connection_record) -> None:
    """SQLite ignores foreign keys (and so ON DELETE CASCADE) unless told per connection; with
    the web, worker and scheduler processes sharing one file, a writer waits up to 30 s for
    another's lock instead of failing at once, and readers never block it (write-ahead log).
    ref: https://www.sqlite.org/wal.html"""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def register_blueprints(app: Flask) -> None:
    """Mount every blueprint."""
    from blueprints import (
        auth,
        dashboard,
        health,
        home,
        inventory,
        orders,
        pages,
        pickers,
        preview,
        quickbooks,
        settings,
        stats,
        sync,
        webhooks,
    )
    from blueprints.session import frame_ancestors

    for module in (health, home, webhooks, auth, pages, dashboard, quickbooks, settings):
        app.register_blueprint(module.bp)
    for module in (pickers, preview, stats, sync, orders, inventory):
        app.register_blueprint(module.bp)
    if app.config["SANDBOX"]:
        from blueprints import sandbox

        app.register_blueprint(sandbox.bp)
    app.after_request(frame_ancestors)


log = logging.getLogger(__name__)
# SyncError class → (HTTP status, machine code) of the JSON error envelope; the first match wins.
SYNC_ERROR_STATUS: tuple[tuple[type[SyncError], int, str], ...] = (
    (AuthError, 409, "reconnect"),  # the session is fine; QuickBooks or Shopify refused us
    (RetryableError, 503, "unavailable"),
    (DataError, 422, "rejected"),
    (SyncError, 502, "upstream_error"),
)


def sync_error_response(exc: SyncError) -> tuple[Response, int]:
    """The one JSON envelope of a SyncError: `{"error": <machine code>, "message": <plain words,
    with the fix>, "errors"?: {field: message}}`, plus `fix` on its own when there is one (the
    page shows it as the action to take); a RetryableError that knows when says Retry-After."""
    status, code = next((s, c) for kind, s, c in SYNC_ERROR_STATUS if isinstance(exc, kind))
    message = exc.reason if not exc.fix else f"{exc.reason.rstrip('.')}. {exc.fix}"
    body: dict[str, object] = {"error": code, "message": message}
    if exc.fix:
        body["fix"] = exc.fix
    if isinstance(exc, DataError) and exc.errors:
        body["errors"] = exc.errors
    response = jsonify(body)
    if isinstance(exc, RetryableError) and exc.retry_after is not None:
        response.headers["Retry-After"] = str(max(1, math.ceil(exc.retry_after)))
    return response, status


def register_errorhandlers(app: Flask) -> None:
    """JSON errors for API clients; never a stack trace or a secret in a response."""

    @app.errorhandler(SyncError)
    def sync_error(exc: SyncError) -> tuple[Response, int]:
        """A QuickBooks or Shopify failure under /api/: the JSON envelope (sync_error_response).
        Elsewhere (top-level pages handle their own) it stays an unexpected failure: a 500."""
        if not request.path.startswith("/api/"):
            raise exc
        log.warning("%s %s: %s", request.method, request.path, exc.reason)
        return sync_error_response(exc)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Response, int]:
        """Answer HTTP errors with `{"error": "<plain message>"}`, keeping headers such as Allow."""
        response = jsonify(error=exc.description or exc.name)
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response, exc.code or 500

    @app.errorhandler(InternalServerError)
    def internal_error(exc: InternalServerError) -> tuple[Response, int]:
        """An unexpected failure: the traceback goes to the log, a plain sentence to the client."""
        return jsonify(error="Something went wrong on our side; it has been logged."), 500


def register_commands(app: Flask) -> None:
    """Add the `flask` CLI commands (worker, scheduler, sandbox, key rotation)."""
    import cli

    cli.init_app(app)
