"""Run requests from triggers: each joins the shop's waiting run, widened to cover it, or
queues a new one.

Triggers race (webhooks, the hourly schedule, a merchant's click): the database's partial unique
index lets one run wait per shop and workflow (models.SyncRun), and the waiting run's parameters
change only by compare-and-set, so no order id is lost to a race (see services/runs.py for what
happens to the run once a worker takes it).
"""

from __future__ import annotations

import json

from sqlalchemy import Text, cast, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from extensions import db
from models import RunStatus, SyncRun, Trigger, Workflow
from services.runs import RunBusy
from services.writes import rows_changed

# A waiting run naming more orders than this reads what changed instead (one query, not 500).
MAX_NAMED_ORDERS = 500


def merged_params(waiting: dict, wanted: dict) -> dict:
    """What a waiting run must cover once another request joins it."""
    if "order_ids" not in waiting:  # it reads everything changed (or everything): covers both
        return {**waiting, "full": True} if wanted.get("full") else waiting
    if "order_ids" not in wanted:
        return wanted
    ids = sorted(set(waiting["order_ids"]) | set(wanted["order_ids"]))
    return {"order_ids": ids} if len(ids) <= MAX_NAMED_ORDERS else {}


def _waiting_run(shop_id: int, workflow: Workflow) -> SyncRun | None:
    """The shop's run waiting for a worker, locked until commit (PostgreSQL)."""
    return db.session.scalar(
        select(SyncRun)
        .where(
            SyncRun.shop_id == shop_id,
            SyncRun.workflow == workflow,
            SyncRun.status == RunStatus.QUEUED,
            SyncRun.dry_run.is_(False),
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def request_run(
    shop_id: int, workflow: Workflow, trigger: Trigger, params: dict
) -> tuple[SyncRun, bool]:
    """The shop's waiting run, widened to cover `params`, or a new one; (run, created)."""
    for _ in range(10):
        waiting = _waiting_run(shop_id, workflow)
        if waiting is not None:
            if _widen(waiting, merged_params(waiting.params or {}, params)):
                return waiting, False
            continue  # a worker started it (or another trigger widened it) meanwhile
        run = SyncRun(shop_id=shop_id, workflow=workflow, trigger=trigger, params=params)
        db.session.add(run)
        try:
            db.session.commit()
        except IntegrityError:  # another trigger queued one a moment ago: join it
            db.session.rollback()
            continue
        return run, True
    raise RunBusy("the shop's waiting run kept changing")


def _widen(run: SyncRun, params: dict) -> bool:
    """Compare-and-set the waiting run's parameters: only while it still waits and nobody
    changed them since they were read, so no order id is lost to a race."""
    before = run.params
    same = (
        SyncRun.params.is_(None)
        if before is None
        else cast(SyncRun.params, Text) == json.dumps(before)
    )
    changed = rows_changed(
        db.session.execute(
            update(SyncRun)
            .where(SyncRun.id == run.id, SyncRun.status == RunStatus.QUEUED, same)
            .values(params=params)
        )
    )
    db.session.commit()
    if changed:
        set_committed_value(run, "params", params)
    return bool(changed)
