"""POST /batch: up to 30 items, each answered in a BatchItemResponse with its bId.

ref: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch and
https://blogs.intuit.com/2023/07/19/building-smarter-with-intuit-batch-without-a-scratch (30 items)
A repeated requestid is answered with what QBO did, not done again
(https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features#idempotency);
an item that met a SystemFault (code 10000, a server-side failure) did nothing, so a repeat of the
batch runs that item again and replays the others [U: QBO's per-item handling is not documented].
"""

from __future__ import annotations

from typing import Any

from emulators.quickbooks import operations
from emulators.quickbooks.entities import RULES
from emulators.quickbooks.faults import QBOFault
from emulators.quickbooks.store import Company

MAX_ITEMS = 30


def run(
    company: Company, body: dict[str, Any], done: dict[str, Any] | None = None, fault: bool = False
) -> dict[str, Any]:
    """Execute each item in order; one item's fault does not stop the others.

    `done` holds a requestid's earlier item answers (replayed, and filled in); `fault` answers
    the last item with an injected SystemFault instead of running it.
    """
    items = body.get("BatchItemRequest") or []
    if len(items) > MAX_ITEMS:
        raise QBOFault(
            "1040",
            "Batch request size exceeded",
            f"Number of items in the batch request ({len(items)}) exceeds the "
            f"maximum of {MAX_ITEMS} [U: code]",
        )
    done = {} if done is None else done
    out = []
    for n, item in enumerate(items):
        key = str(item.get("bId"))
        if key in done:
            out.append(done[key])
            continue
        answer = _system_fault(item) if fault and n == len(items) - 1 else _item(company, item)
        if not has_system_fault(answer):
            done[key] = answer
        out.append(answer)
    return {"BatchItemResponse": out}


def has_system_fault(answer: dict[str, Any]) -> bool:
    """True for a BatchItemResponse whose Fault is a SystemFault (it changed nothing)."""
    return (answer.get("Fault") or {}).get("type") == "SystemFault"


def _system_fault(item: dict[str, Any]) -> dict[str, Any]:
    """The SystemFault QBO answers for an item that failed on its side (test control)."""
    fault = QBOFault(
        "10000",
        "An application error has occurred while processing your request",
        "System Failure Error: injected by test control",
        kind="SystemFault",
    )
    return {"bId": item.get("bId"), "Fault": fault.error_only()}


def _item(company: Company, item: dict[str, Any]) -> dict[str, Any]:
    """One BatchItemResponse."""
    out: dict[str, Any] = {"bId": item.get("bId")}
    try:
        if "Query" in item:
            out["QueryResponse"] = operations.run_query(company, item["Query"])
            return out
        entity = next((k for k in item if k in RULES), None)
        if entity is None:
            raise QBOFault(
                "2010", "Request has invalid or unsupported property", "Batch item names no entity"
            )
        include = set(filter(None, str(item.get("optionsData", "")).lower().split(",")))
        out.update(
            operations.entity_op(
                company,
                entity.lower(),
                item[entity],
                str(item.get("operation", "create")).lower(),
                include,
            )
        )
    except QBOFault as fault:
        out["Fault"] = fault.error_only()
    return out
