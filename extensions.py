"""Unbound extensions, bound in `create_app`: database, migrations, Redis and RQ queues."""

from __future__ import annotations

import fakeredis
from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from redis import Redis
from rq import Queue
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Named constraints so migrations can alter them on every backend (SQLite batch mode needs names).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Queues by purpose: webhooks must never wait behind an hour-long backfill.
QUEUE_NAMES = ("webhooks", "sync", "maintenance")


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def render_migration_type(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Write app-level column types (encrypted text, UTC timestamps) as their plain SQL types,
    so migrations never import application code that may change later."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True, render_item=render_migration_type)


class RedisQueues:
    """The Redis connection and the RQ queues, kept in `app.extensions['redis' | 'rq']`."""

    def init_app(self, app: Flask) -> None:
        """Connect to REDIS_URL, or to an in-process stand-in when it is unset."""
        url = app.config.get("REDIS_URL")
        if url:
            tls = {"ssl_cert_reqs": app.config["REDIS_SSL_CERT_REQS"]}
            connection = Redis.from_url(
                str(url),
                socket_timeout=10,
                health_check_interval=30,
                **(tls if str(url).startswith("rediss://") else {}),
            )
        else:
            # Zero-setup path: one in-memory server per app, shared by its threads (web + worker).
            connection = fakeredis.FakeRedis(server=fakeredis.FakeServer())
        app.extensions["redis"] = connection
        app.extensions["rq"] = {name: Queue(name, connection=connection) for name in QUEUE_NAMES}


redis_queues = RedisQueues()
