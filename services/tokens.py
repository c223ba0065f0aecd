"""Token refresh that never loses a rotated refresh token: one refresher at a time, then CAS.

A Redis lock per connection serialises refreshes across workers and web processes; the write is
a compare-and-set on `token_version`, so even a refresher whose lock expired cannot overwrite a
newer token with an older one.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import update

from extensions import db
from services.locks import process_lock
from services.writes import rows_changed

if TYPE_CHECKING:
    from models import QuickBooksConnection, Shop

# Refresh this long before expiry, so a request never starts with a token about to lapse.
REFRESH_MARGIN = timedelta(minutes=5)


def needs_refresh(expires_at: datetime | None, now: datetime) -> bool:
    """True when an expiring token is within the margin of its expiry (or past it)."""
    return expires_at is not None and expires_at - REFRESH_MARGIN <= now


def refresh_lock(name: str) -> AbstractContextManager[None]:
    """Hold the refresh lock of one connection, waiting for another holder to finish (a refresher
    whose lock expired is still stopped by the compare-and-set)."""
    return process_lock(name, "Another process is refreshing these tokens; retrying shortly.")


def compare_and_set(
    model: type[Shop] | type[QuickBooksConnection], row_id: int, version: int, values: dict
) -> bool:
    """Write token columns only if nobody wrote since `version`; commits either way."""
    result = db.session.execute(
        update(model)
        .where(model.id == row_id, model.token_version == version)
        .values(token_version=version + 1, **values)
    )
    db.session.commit()
    return rows_changed(result) == 1
