"""A Redis lock shared by every process: one holder at a time, the others wait their turn."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from redis.exceptions import LockError

from clients.errors import RetryableError, RetryReason

LOCK_TIMEOUT_S = 60


@contextmanager
def process_lock(name: str, busy: str) -> Iterator[None]:
    """Hold `name`, waiting for another holder to finish; RetryableError(`busy`) if it never does.

    A holder that outlives the timeout loses the lock: callers keep their own guard on the write
    (compare-and-set, a QBO request id)."""
    lock = current_app.extensions["redis"].lock(
        f"ledgerbridge-lock:{name}", timeout=LOCK_TIMEOUT_S, blocking_timeout=LOCK_TIMEOUT_S + 5
    )
    if not lock.acquire():
        raise RetryableError(busy, why=RetryReason.BUSY)
    try:
        yield
    finally:
        try:
            lock.release()
        except LockError:
            pass  # it expired while we worked; the caller's own guard still holds
