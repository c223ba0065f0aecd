"""GET /api/stats/daily: orders posted and failed per day (UTC) for the token's shop."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, g, jsonify, request
from sqlalchemy import select

from blueprints.session import session_token_required
from extensions import db
from models import LedgerEntry, LedgerKind, LedgerStatus, utcnow

bp = Blueprint("stats", __name__, url_prefix="/api/stats")
DEFAULT_DAYS = 30
MAX_DAYS = 90
COUNTED = (LedgerStatus.POSTED, LedgerStatus.FAILED)


def parse_days(raw: str | None) -> int:
    """`days` as sent: a whole number from 1 to 90 (absent: 30); ValueError otherwise."""
    if raw is None:
        return DEFAULT_DAYS
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 3) or not 1 <= int(text) <= MAX_DAYS:
        raise ValueError(f"must be a whole number of days from 1 to {MAX_DAYS}")
    return int(text)


def daily_counts(shop_id: int, days: int, now: datetime | None = None) -> list[dict]:
    """Each of the last `days` UTC days, oldest first (today last, zeros included): the shop's
    order ledger rows now posted or failed, by the day they were last updated."""
    today = (now or utcnow()).astimezone(UTC).date()
    first = today - timedelta(days=days - 1)
    counts = {first + timedelta(days=n): {status: 0 for status in COUNTED} for n in range(days)}
    rows = db.session.execute(
        select(LedgerEntry.status, LedgerEntry.updated_at).where(
            LedgerEntry.shop_id == shop_id,
            LedgerEntry.kind == LedgerKind.ORDER,
            LedgerEntry.status.in_(COUNTED),
            LedgerEntry.updated_at >= datetime.combine(first, time.min, tzinfo=UTC),
        )
    )
    for status, updated_at in rows:
        day = counts.get(updated_at.astimezone(UTC).date())
        if day is not None:
            day[status] += 1
    return [
        {
            "date": day.isoformat(),
            "posted": c[LedgerStatus.POSTED],
            "failed": c[LedgerStatus.FAILED],
        }
        for day, c in counts.items()
    ]


@bp.get("/daily")
@session_token_required
def daily():
    """`?days=` (1..90, default 30): [{"date": "YYYY-MM-DD", "posted": n, "failed": n}, ...]."""
    try:
        days = parse_days(request.args.get("days"))
    except ValueError as exc:
        message = f"days {exc}"
        return jsonify(error="invalid", message=message, errors={"days": str(exc)}), 400
    return jsonify(daily_counts(g.shop.id, days))
