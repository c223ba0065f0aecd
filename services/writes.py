"""How many rows a bulk UPDATE or DELETE changed."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Result


def rows_changed(result: Result[Any]) -> int:
    """The rowcount of a DML statement's result (a CursorResult, as SQLAlchemy types it)."""
    return cast(CursorResult[Any], result).rowcount
