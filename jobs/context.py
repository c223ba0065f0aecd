"""Run job functions inside an application context, building the app once per worker process."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import Flask, current_app, has_app_context

P = ParamSpec("P")
R = TypeVar("R")

_app: Flask | None = None


def worker_app() -> Flask:
    """The app jobs run in: the current one (tests, in-process worker) or one built on demand."""
    global _app
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    if _app is None:
        from app import create_app  # built lazily, never at import time

        _app = create_app()
    return _app


def with_app_context(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a job function so it always runs inside an application context."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if has_app_context():
            return func(*args, **kwargs)
        with worker_app().app_context():
            return func(*args, **kwargs)

    return wrapper


def reset_connections_after_fork(app: Flask) -> None:
    """A forked work horse must not share its parent's database sockets: drop the inherited pool."""

    def _dispose() -> None:
        from extensions import db

        with app.app_context():
            db.engine.dispose(close=False)

    os.register_at_fork(after_in_child=_dispose)
