"""Ledgerbridge: the Flask application factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, Response, jsonify
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

import encryption
import log_redaction
import request_limits
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
        lookups,
        quickbooks,
        settings,
        sync,
        webhooks,
    )
    from blueprints.session import frame_ancestors

    for module in (health, home, webhooks, auth, dashboard, quickbooks, settings, lookups, sync):
        app.register_blueprint(module.bp)
    if app.config["SANDBOX"]:
        from blueprints import sandbox

        app.register_blueprint(sandbox.bp)
    app.after_request(frame_ancestors)


def register_errorhandlers(app: Flask) -> None:
    """JSON errors for API clients; never a stack trace or a secret in a response."""

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
