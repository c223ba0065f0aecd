"""Token refresh that never loses a rotated refresh token: one refresher at a time, then CAS.

A Redis lock per connection serialises refreshes across workers and web processes; the write is
a compare-and-set on `token_version`, so even a refresher whose lock expired cannot overwrite a
newer token with an older one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask import current_app
from redis.exceptions import LockError
from sqlalchemy import update

from clients.errors import RetryableError
from extensions import db

# Refresh this long before expiry, so a request never starts with a token about to lapse.
REFRESH_MARGIN = timedelta(minutes=5)
LOCK_TIMEOUT_S = 60


def needs_refresh(expires_at: datetime | None, now: datetime) -> bool:
    """True when an expiring token is within the margin of its expiry (or past it)."""
    return expires_at is not None and expires_at - REFRESH_MARGIN <= now


@contextmanager
def refresh_lock(name: str) -> Iterator[None]:
    """Hold the refresh lock of one connection, waiting for another holder to finish."""
    lock = current_app.extensions["redis"].lock(
        f"ledgerbridge-lock:{name}", timeout=LOCK_TIMEOUT_S, blocking_timeout=LOCK_TIMEOUT_S + 5
    )
    if not lock.acquire():
        raise RetryableError("Another process is refreshing these tokens; retrying shortly.")
    try:
        yield
    finally:
        try:
            lock.release()
        except LockError:
            pass  # it expired while we worked; the compare-and-set still guarded the write


def compare_and_set(model: type, row_id: int, version: int, values: dict) -> bool:
    """Write token columns only if nobody wrote since `version`; commits either way."""
    result = db.session.execute(
        update(model)
        .where(model.id == row_id, model.token_version == version)
        .values(token_version=version + 1, **values)
    )
    db.session.commit()
    return result.rowcount == 1
