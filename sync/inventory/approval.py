"""The merchant's part in the stock push: the preview to look through and approve, and the
confirmation of a plan the guard held (used by exactly one run)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from clients.errors import DataError
from extensions import db
from models import RunStatus, Shop, SyncRun, Workflow, utcnow
from sync.inventory.reading import held_run


def latest_preview(shop_id: int) -> SyncRun | None:
    """The shop's latest stock preview (a dry run), whatever its state."""
    return db.session.scalar(
        select(SyncRun)
        .where(
            SyncRun.shop_id == shop_id,
            SyncRun.workflow == Workflow.INVENTORY,
            SyncRun.dry_run.is_(True),
        )
        .order_by(SyncRun.id.desc())
        .limit(1)
    )


def preview_answer(run: SyncRun | None) -> dict[str, Any]:
    """The preview as the page reads it: state, rows (Shopify now, QBO value, change), totals
    and whether the guard would hold the update."""
    if run is None:
        return {"state": "none", "run_id": None, "rows": [], "totals": None, "hold": None}
    preview = (run.params or {}).get("preview") or {}
    return {
        "state": run.status.value,
        "run_id": run.id,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "error": run.error,
        "rows": preview.get("rows", []),
        "truncated": bool(preview.get("truncated")),
        "totals": preview.get("totals"),
        "hold": preview.get("hold"),
    }


def approve(shop: Shop, run_id: int) -> None:
    """The merchant looked through this preview and confirms opening stock is in QuickBooks."""
    run = latest_preview(shop.id)
    if run is None or run.id != run_id or run.status != RunStatus.SUCCEEDED:
        raise DataError(
            "Only the latest finished stock preview can be approved",
            "Run the preview again, look through it, then approve it.",
            errors={"run_id": "is not the latest finished stock preview"},
        )
    settings = shop.inventory_settings
    settings.preview_approved_at = utcnow()
    settings.opening_stock_confirmed = True
    db.session.commit()


def held_answer(shop_id: int) -> dict[str, Any] | None:
    """The run the guard held, with its numbers, while no newer run superseded it."""
    run = held_run(shop_id)
    if run is None:
        return None
    params = run.params or {}
    return {
        "run_id": run.id,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "reason": run.error,
        "numbers": params.get("hold"),
        "confirmed_at": params.get("confirmed_at"),
    }


def confirm(shop: Shop, run_id: int) -> None:
    """The merchant confirms the held plan: the next run may apply it, once."""
    run = held_run(shop.id)
    if run is None or run.id != run_id:
        raise DataError(
            "That stock update is no longer waiting for confirmation",
            "Reload the page: a newer run has replaced it.",
            errors={"run_id": "is not the held stock update"},
        )
    _merge_params(run, confirmed_at=utcnow().isoformat())


def use_confirmation(held_run_id: int, run_id: int) -> None:
    """The run that applied a confirmed plan uses the confirmation up."""
    run = db.session.get(SyncRun, held_run_id)
    if run is not None:
        _merge_params(run, confirm_used_by=run_id)


def _merge_params(run: SyncRun, **values: Any) -> None:
    """Add to a finished run's parameters."""
    run.params = {**(run.params or {}), **values}
    db.session.commit()
