"""POST /batch: up to 30 items, each answered in a BatchItemResponse with its bId.

ref: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch and
https://blogs.intuit.com/2023/07/19/building-smarter-with-intuit-batch-without-a-scratch (30 items)
"""

from __future__ import annotations

from typing import Any

from emulators.quickbooks import operations
from emulators.quickbooks.entities import RULES
from emulators.quickbooks.faults import QBOFault
from emulators.quickbooks.store import Company

MAX_ITEMS = 30


def run(company: Company, body: dict[str, Any]) -> dict[str, Any]:
    """Execute each item in order; one item's fault does not stop the others."""
    items = body.get("BatchItemRequest") or []
    if len(items) > MAX_ITEMS:
        raise QBOFault(
            "1040",
            "Batch request size exceeded",
            f"Number of items in the batch request ({len(items)}) exceeds the "
            f"maximum of {MAX_ITEMS} [U: code]",
        )
    return {"BatchItemResponse": [_item(company, item) for item in items]}


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
