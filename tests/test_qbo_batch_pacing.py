"""QBO's batch endpoint allows 40 batch requests a minute per company and app
(https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles). Every worker
paces its batches through one moving window in Redis, so a backfill larger than the limit waits
its turn instead of meeting 429 ThrottleExceeded. The window is shortened here (same rule, fewer
seconds) on both the emulator and the app."""

from __future__ import annotations

import time
from collections import Counter

import pytest
import requests

from clients.quickbooks_pacing import BatchPacer
from extensions import db
from models import LedgerEntry, LedgerStatus, RunStatus
from tests.corpus import generate
from tests.sales_store import Store

WINDOW_S = 2
PER_WINDOW = 3


def test_slots_beyond_the_rate_wait_for_the_window_and_each_company_has_its_own(app) -> None:
    pacer = BatchPacer(app.extensions["redis"], f"{PER_WINDOW} per {WINDOW_S} seconds")
    started = time.monotonic()
    waits = [pacer.take("realm-a") for _ in range(PER_WINDOW)]
    assert waits == [0.0] * PER_WINDOW  # within the rate: no wait at all
    assert pacer.take("realm-b") == 0.0  # another company's window is its own
    assert pacer.take("realm-a") > 0  # the fourth waits for the oldest slot to free
    assert time.monotonic() - started >= WINDOW_S - 0.2


def test_workers_share_one_window_through_redis(app) -> None:
    rate = f"{PER_WINDOW} per {WINDOW_S} seconds"
    one, other = (BatchPacer(app.extensions["redis"], rate) for _ in range(2))
    for _ in range(PER_WINDOW):
        one.take("realm-shared")
    assert other.take("realm-shared") > 0  # a second worker sees the first one's batches


def _batches(emulator) -> Counter:
    """Batch requests the QBO emulator answered, by status."""
    log = requests.get(f"{emulator.url}/_emulator/requests", timeout=10).json()["requests"]
    return Counter(e["status"] for e in log if e["path"].endswith("/batch"))


@pytest.mark.parametrize("paced", [True, False])
def test_a_backfill_beyond_the_batch_limit_never_meets_the_throttle_when_paced(
    app, shopify_emulator, qbo_emulator, connect, paced, merchant
) -> None:
    qbo_emulator.control(
        "POST", "settings", batch_per_minute=PER_WINDOW, window_s=WINDOW_S
    ).raise_for_status()
    app.config["QBO_BATCH_RATE"] = f"{PER_WINDOW if paced else 100} per {WINDOW_S} seconds"
    app.extensions.pop("qbo_batch_pacer", None)
    store = Store(shopify_emulator, "pacing.myshopify.com")
    generate(store, 60, "USD", [[]], inclusive=False, seed=5)
    connect(store, "us")
    merchant(store.domain).put_sales_settings(financial_statuses=["PAID"])
    run = merchant(store.domain).sync()
    posted = db.session.query(LedgerEntry).filter_by(status=LedgerStatus.POSTED).count()
    assert run.created_count == posted  # counted across RQ's retries too
    batches = _batches(qbo_emulator)
    if paced:
        assert run.status == RunStatus.SUCCEEDED, run.error
        assert batches[200] > PER_WINDOW  # more batches than one window allows
        assert batches[429] == 0
    else:  # the same backfill unpaced meets QBO's 429 (the test can fail)
        assert batches[429] > 0
