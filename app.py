"""Ledgerbridge: the Flask application factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, jsonify
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

import encryption
from config import load_config
from extensions import db, migrate, redis_queues


def create_app(config: dict[str, object] | None = None) -> Flask:
    """Build the app from the environment; `config` overrides values (tests)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(load_config(overrides=config))
    logging.basicConfig(level=str(app.config["LOG_LEVEL"]).upper())
    if app.config["PRODUCTION"]:
        # Heroku's router terminates TLS: trust its one X-Forwarded-For/Proto hop.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    register_extensions(app)
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
def _sqlite_enforce_foreign_keys(dbapi_connection, connection_record) -> None:  # noqa: ANN001
    """SQLite ignores foreign keys (and so ON DELETE CASCADE) unless told per connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
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
    def http_error(exc: HTTPException):  # noqa: ANN202
        """Answer HTTP errors with a small JSON body."""
        return jsonify(error=exc.name, message=exc.description), exc.code


def register_commands(app: Flask) -> None:
    """Add the `flask` CLI commands (worker, scheduler, sandbox, key rotation)."""
    import commands

    commands.init_app(app)
