"""A settable UTC clock: real time by default, frozen or shifted by test control."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class Clock:
    """UTC-aware clock that tests can set or advance; it keeps ticking from the set point."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)

    def now(self) -> datetime:
        """The emulated current time (UTC-aware)."""
        with self._lock:
            return datetime.now(UTC) + self._offset

    def timestamp(self) -> float:
        """The emulated current time as POSIX seconds."""
        return self.now().timestamp()

    def set(self, dt: datetime) -> None:
        """Make now() return `dt` (naive datetimes are taken as UTC), ticking on from there."""
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        with self._lock:
            self._offset = dt - datetime.now(UTC)

    def advance(self, seconds: float) -> None:
        """Move the clock forward (or back, if negative) by `seconds`."""
        with self._lock:
            self._offset += timedelta(seconds=seconds)

    def reset(self) -> None:
        """Return to real time."""
        with self._lock:
            self._offset = timedelta(0)
