"""Reading sales documents back from QBO: by document number (to recognise one already posted),
or one by its id (the per-order page)."""

from __future__ import annotations

from functools import partial
from typing import Any

from quickbooks import QuickBooks

from clients.quickbooks_faults import sdk_call
from rules.items import query_literal

IN_CHUNK = 50  # values per `IN (...)`, keeping the query text short


def documents_by_number(
    qb: QuickBooks, entity: str, numbers: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """Every `entity` (Invoice, SalesReceipt) holding one of these DocNumbers, by number.

    ref: https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
    """
    found: dict[str, list[dict[str, Any]]] = {}
    unique = sorted(set(numbers))
    for start in range(0, len(unique), IN_CHUNK):
        literals = ", ".join(query_literal(n) for n in unique[start : start + IN_CHUNK])
        sql = f"SELECT * FROM {entity} WHERE DocNumber IN ({literals})"
        answer: dict[str, Any] = sdk_call(partial(qb.query, sql))
        for document in (answer.get("QueryResponse") or {}).get(entity, []):
            found.setdefault(document.get("DocNumber"), []).append(document)
    return found


def document_by_id(qb: QuickBooks, entity: str, qbo_id: str) -> dict[str, Any]:
    """One document (SalesReceipt, Invoice, Payment …) read back by its id.

    ref: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/salesreceipt#read-a-salesreceipt
    """
    answer: dict[str, Any] = sdk_call(partial(qb.get_single_object, entity, qbo_id))
    return dict(answer.get(entity) or {})
