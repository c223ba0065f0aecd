"""An invoice's payments as QBO Payments: planned with the invoice's outcome, each batch under a
request id of its own, and the invoice's row posted once all of them are recorded.

The plan is stored on the row (qbo_related["payments"]) before anything is sent, so a run that
stops re-sends the same batches under the same request ids and QBO replays them (see
sync/sales/posting.py for the documents themselves).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from quickbooks import QuickBooks
from sqlalchemy.orm.attributes import flag_modified

from clients.errors import DataError, SyncError
from clients.quickbooks_batch import BatchItem, post_batch
from extensions import db
from models import LedgerEntry, LedgerStatus
from services.ledger import record_failed
from services.runs import LeaseLost


def stored_context(entry: LedgerEntry) -> dict[str, Any]:
    """The row's stored QBO context (entity, payload, payments…), empty before any."""
    return entry.qbo_related or {}


def link_existing_payments(related: dict[str, Any], saved: dict[str, Any]) -> None:
    """An invoice read back already paid in full has its payments: link them, post none."""
    if related["entity"] != "Invoice" or Decimal(str(saved.get("Balance", "1"))) != 0:
        return
    linked = [t["TxnId"] for t in saved.get("LinkedTxn") or [] if t.get("TxnType") == "Payment"]
    for n, payment in enumerate(related.get("payments") or []):
        payment["id"] = linked[n] if n < len(linked) else "linked"


def payments_pending(entry: LedgerEntry) -> list[dict]:
    """The row's payments not yet recorded in QBO (nor refused by it)."""
    return [
        p
        for p in stored_context(entry).get("payments") or []
        if not (p.get("id") or p.get("error"))
    ]


def plan_payments(entries: list[LedgerEntry]) -> None:
    """Give every payment still to post a batch and request id of its own, stored with the
    invoice's outcome: a re-send after a stop reuses them, so QBO replays instead of doubling."""
    due = [
        (e, p) for e in sorted(entries, key=lambda e: e.id) if e.qbo_id for p in payments_pending(e)
    ]
    for start in range(0, len(due), 30):
        batch = uuid.uuid4().hex[:32]
        for _, payment in due[start : start + 30]:
            payment.setdefault("batch", batch)
    for entry in {id(e): e for e, _ in due}.values():
        flag_modified(entry, "qbo_related")  # changed in place: the JSON column must be told


def post_payments(
    qb: QuickBooks,
    entries: list[LedgerEntry],
    counts: Counter,
    holds: Callable[[list[LedgerEntry]], bool],
) -> None:
    """Post the planned Payments of these rows' invoices, batch by planned request id, then
    mark each row posted once all its payments are recorded. `holds(rows)` checks, in the
    recording transaction, that this execution still owns them (else LeaseLost)."""
    batches: dict[str, list[tuple[LedgerEntry, int, dict]]] = {}
    for entry in sorted(entries, key=lambda e: e.id):
        for n, payment in enumerate(stored_context(entry).get("payments") or []):
            if entry.qbo_id and not (payment.get("id") or payment.get("error")):
                batches.setdefault(payment["batch"], []).append((entry, n, payment))
    for request_id, part in batches.items():
        items = [
            BatchItem(f"{e.id}p{n}", "Payment", _linked(p["payload"], str(e.qbo_id)))
            for e, n, p in part
        ]
        outcomes = post_batch(qb, items, request_id)
        _still_held(holds, [e for e, _, _ in part])
        for entry, n, payment in part:
            outcome = outcomes.get(f"{entry.id}p{n}")
            if outcome is not None:
                _record_payment(entry, payment, outcome.saved, outcome.error, counts)
        db.session.commit()
    open_rows = [e for e in entries if e.status == LedgerStatus.IN_PROGRESS]
    if open_rows:
        _still_held(holds, open_rows)
    for entry in open_rows:
        _settle(entry)
    db.session.commit()


def _still_held(holds: Callable[[list[LedgerEntry]], bool], entries: list[LedgerEntry]) -> None:
    """Raise LeaseLost unless this execution still holds every row (each row once)."""
    if not holds(list({e.id: e for e in entries}.values())):
        raise LeaseLost("the rows were taken over; their new owner records their payments")


def _linked(payload: dict[str, Any], invoice_id: str) -> dict[str, Any]:
    """The stored Payment JSON pointed at its invoice."""
    line = {**payload["Line"][0], "LinkedTxn": [{"TxnId": invoice_id, "TxnType": "Invoice"}]}
    return {**payload, "Line": [line, *payload["Line"][1:]]}


def _record_payment(
    entry: LedgerEntry,
    payment: dict,
    saved: dict | None,
    error: SyncError | None,
    counts: Counter,
) -> None:
    """Remember a payment's id, or why QBO refused it."""
    if saved:
        payment["id"] = saved["Id"]
    else:
        payment["error"] = error.reason if error else "no answer"
        payment["fix"] = error.fix if error else None
        counts["payment_failed"] += 1
    flag_modified(entry, "qbo_related")


def _settle(entry: LedgerEntry) -> None:
    """An invoice row whose payments are all recorded is posted; one with a refused payment
    failed (its invoice stays: a retry posts only the payment)."""
    if entry.status != LedgerStatus.IN_PROGRESS or not entry.qbo_id or payments_pending(entry):
        return
    refused = [p for p in stored_context(entry).get("payments") or [] if p.get("error")]
    if refused:
        record_failed(
            entry,
            DataError(
                f"{entry.qbo_type} {entry.qbo_doc_number or entry.qbo_id} is in QuickBooks but its "
                f"payment was not recorded: {refused[0]['error']}",
                refused[0].get("fix"),
            ),
        )
    else:
        entry.status = LedgerStatus.POSTED


def retry_payments(entries: list[LedgerEntry]) -> None:
    """Rows whose invoice is posted but a payment was refused: plan those payments afresh."""
    for entry in entries:
        for payment in stored_context(entry).get("payments") or []:
            if payment.get("error") and not payment.get("id"):
                payment.pop("error", None)
                payment.pop("fix", None)
                payment.pop("batch", None)
        flag_modified(entry, "qbo_related")
    plan_payments(entries)
    db.session.commit()
