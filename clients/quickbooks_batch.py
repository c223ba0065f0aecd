"""QBO batch requests (≤ 30 operations) with a request id, so a retry is replayed, not redone.

python-quickbooks' batch helpers send no `requestid`; this posts the same body through the SDK's
`make_request`, which does. ref: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from quickbooks import QuickBooks

from clients.errors import RetryableError, SyncError
from clients.quickbooks_books import date_closed_books
from clients.quickbooks_faults import fault_error, sdk_call

MAX_BATCH_ITEMS = 30
SYSTEM_FAULT = "10000"
MAX_REQUEST_ID = 36  # batch requestids: at most 36 characters
# (https://blogs.intuit.com/2015/04/06/15346/)


@dataclass(frozen=True)
class BatchItem:
    """One operation: `entity` names the QBO type, `payload` is its JSON object."""

    bid: str
    entity: str
    payload: dict[str, Any]
    operation: str = "create"


@dataclass(frozen=True)
class BatchOutcome:
    """What QBO answered for one item: the saved object, or the error."""

    bid: str
    saved: dict[str, Any] | None
    error: SyncError | None


def send_batch(qb: QuickBooks, body: dict[str, Any], request_id: str | None = None) -> dict:
    """POST one batch body, once the client's pacer (if any) gives it a slot; QBO's answer."""
    pacer = getattr(qb, "batch_pacer", None)
    if pacer is not None:
        pacer.take(str(qb.company_id))
    url = f"{qb.api_url}/company/{qb.company_id}/batch"
    data = json.dumps(body, default=str)
    if request_id is None:
        return sdk_call(lambda: qb.make_request("POST", url, data))
    return sdk_call(lambda: qb.make_request("POST", url, data, request_id=request_id))


def post_batch(qb: QuickBooks, items: list[BatchItem], request_id: str) -> dict[str, BatchOutcome]:
    """Send one batch; returns the outcome per bId. Whole-request failures raise."""
    if not 0 < len(items) <= MAX_BATCH_ITEMS:
        raise ValueError(f"a QBO batch holds 1 to {MAX_BATCH_ITEMS} items, not {len(items)}")
    if len(request_id) > MAX_REQUEST_ID:
        raise ValueError(f"batch request ids are at most {MAX_REQUEST_ID} characters")
    body = {
        "BatchItemRequest": [
            {"bId": item.bid, "operation": item.operation, item.entity: item.payload}
            for item in items
        ]
    }
    # No answer: the outcome is unknown; the caller retries with the same request id and QBO
    # replays what it did.
    result = send_batch(qb, body, request_id)
    entities = {item.bid: item.entity for item in items}
    outcomes = {
        answer["bId"]: _outcome(answer, entities.get(answer["bId"], ""))
        for answer in result.get("BatchItemResponse", [])
    }
    # An item QBO failed on its side (SystemFault) is not the order's fault: the whole batch is
    # sent again under the same request id, and QBO replays the items it already did.
    for outcome in outcomes.values():
        if isinstance(outcome.error, RetryableError) and outcome.error.code == SYSTEM_FAULT:
            raise outcome.error
    return date_closed_books(qb, outcomes)


def _outcome(answer: dict[str, Any], entity: str) -> BatchOutcome:
    """One BatchItemResponse."""
    fault = answer.get("Fault")
    if fault:
        first = (fault.get("Error") or [{}])[0]
        error = fault_error(
            str(first.get("code", "")), str(first.get("Message", "")), str(first.get("Detail", ""))
        )
        return BatchOutcome(answer["bId"], None, error)
    return BatchOutcome(answer["bId"], answer.get(entity), None)


def post_query_batch(qb: QuickBooks, queries: list[str], entity: str) -> list[list[dict]]:
    """Run up to 30 read queries in one batch request; the `entity` matches of each, in order."""
    body = {"BatchItemRequest": [{"bId": f"q{i}", "Query": q} for i, q in enumerate(queries)]}
    result = send_batch(qb, body)
    answers = {a["bId"]: a.get("QueryResponse") or {} for a in result["BatchItemResponse"]}
    return [answers.get(f"q{i}", {}).get(entity, []) for i in range(len(queries))]
