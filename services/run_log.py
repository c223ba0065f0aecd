"""One structured JSON log line when a run starts and one when it ends (logger
`ledgerbridge.runs`): ids, counts and the plain-language error, never tokens or personal data."""

from __future__ import annotations

import json
import logging
from collections import Counter

from models import SyncRun, utcnow

log = logging.getLogger("ledgerbridge.runs")


def _line(event: str, run: SyncRun, **extra: object) -> str:
    """The JSON text of one run event."""
    return json.dumps(
        {
            "event": event,
            "shop_id": run.shop_id,
            "run_id": run.id,
            "workflow": run.workflow.value,
            "trigger": run.trigger.value,
            **extra,
        },
        default=str,
        sort_keys=True,
    )


def log_run_start(run: SyncRun) -> None:
    """The run was taken by a worker."""
    log.info(_line("run.start", run, params=run.params or {}))


def log_run_end(run: SyncRun, counts: Counter) -> None:
    """The run reached its final state."""
    started = run.started_at or run.queued_at
    log.info(
        _line(
            "run.end",
            run,
            status=run.status.value,
            counts=dict(counts),
            duration_s=round((utcnow() - started).total_seconds(), 3),
            error=run.error,
        )
    )
