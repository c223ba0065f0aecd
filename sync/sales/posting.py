"""Turn claimed orders into posted QBO documents: build, resolve ids, send, record, reconcile.

Each document's QBO JSON — with its payments and what Shopify says it must come to — is stored on
its ledger row before the batch is sent, so a run that stops at any point can re-send exactly the
same request under the same request id (see services/ledger.py), and record it exactly as a
first-time send would: QBO replays its answer instead of posting twice. An invoice's row is
posted only once its payments are recorded too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from quickbooks import QuickBooks
from sqlalchemy.orm.attributes import flag_modified

from clients.errors import DataError
from clients.quickbooks_batch import BatchItem, post_batch
from clients.quickbooks_documents import documents_by_number
from extensions import db
from models import LedgerEntry, LedgerStatus
from rules.documents import SalesDocument, payment_to_qbo_dict, to_qbo_dict
from rules.items import sku_match_key, validate_item_settings
from rules.orders import PARSE_ERRORS, ShopifyOrder
from rules.problems import Problems
from rules.sales import order_to_sales_document
from rules.settings import ResolvedIds, SalesOptions
from rules.totals import Expected, reconcile
from services.ledger import hold, record_failed, record_posted
from sync.sales.payments import (
    link_existing_payments,
    payments_pending,
    plan_payments,
    stored_context,
)
from sync.sales.references import QboReferences, customer_key

UNREAD_FIX = "Post this order in QuickBooks by hand; the sync leaves it alone."
MALFORMED_FIX = (
    "Check the order in Shopify (amounts, quantities, dates) and retry it once it is corrected; "
    "otherwise post it in QuickBooks by hand."
)


@dataclass
class Prepared:
    """An order ready to send: its row, its document and the document's QBO JSON."""

    entry: LedgerEntry
    doc: SalesDocument
    payload: dict[str, Any]


def problems_error(problems: Problems) -> DataError:
    """Every reason an order cannot be posted, as one ledger error with the fixes."""
    reasons = "; ".join(p.reason for p in problems.items)
    fixes = "; ".join(p.fix for p in problems.items)
    return DataError(reasons, fixes[:1].upper() + fixes[1:] if fixes else None)


def build_documents(
    claimed: list[tuple[Any, ShopifyOrder]],
    base: SalesOptions,
    refs: QboReferences,
    tax: ResolvedIds,
) -> tuple[list[tuple], list[tuple]]:
    """Documents for the claimed orders; (entry, doc) pairs and (entry, error) failures. An entry
    is the order's ledger row, or what stands in for it (the dry run passes the order)."""
    refs.resolve_items(
        sku_match_key(line.sku, base.sku_match_field)
        for _, order in claimed
        for line in order.line_items
    )
    options = replace(base, lookups=replace(tax, items=dict(refs.items)))
    # Items the orders need created cannot be while the item settings are incomplete: say so,
    # naming the setting, instead of letting QuickBooks refuse each item.
    item_problems = Problems(tuple(validate_item_settings(base)))
    built, failed = [], []
    for entry, order in claimed:
        if order.unread:  # never posted from a partial read or data that could not be parsed
            failed.append(
                (entry, DataError(order.unread, MALFORMED_FIX if order.malformed else UNREAD_FIX))
            )
            continue
        try:
            doc = order_to_sales_document(order, options)
        except PARSE_ERRORS as exc:  # bad data in this order only: it fails, its batch goes on
            reason = (
                f"Ledgerbridge could not build this order's document ({type(exc).__name__}: {exc})"
            )
            failed.append((entry, DataError(reason[:500], MALFORMED_FIX)))
            continue
        if isinstance(doc, Problems):
            failed.append((entry, problems_error(doc)))
        elif doc.new_items and item_problems.items:
            failed.append((entry, problems_error(item_problems)))
        else:
            built.append((entry, doc))
    return built, failed


def resolve_references(
    built: list[tuple], refs: QboReferences, tax: ResolvedIds, request_id: str
) -> tuple[list[Prepared], list[tuple]]:
    """Add foreign currencies, create missing items and customers, then render each document's
    QBO JSON."""
    refused = refs.currencies.refusals(doc.currency for _, doc in built)
    failed = [(entry, refused[doc.currency]) for entry, doc in built if doc.currency in refused]
    built = [(entry, doc) for entry, doc in built if doc.currency not in refused]
    new_items = {item.name: item for _, doc in built for item in doc.new_items}
    item_ids = refs.create_items(list(new_items.values()), request_id) if new_items else {}
    refs.resolve_customers([doc.customer for _, doc in built if not doc.customer_id], request_id)
    prepared = []
    for entry, doc in built:
        customer_id = doc.customer_id or refs.customers.get(customer_key(doc.customer))
        missing = [name for name in (i.name for i in doc.new_items) if name not in item_ids]
        if customer_id is None:
            failed.append((entry, refs.customer_error(doc.customer)))
        elif missing:
            failed.append(
                (
                    entry,
                    DataError(
                        f"QuickBooks item '{missing[0]}' could not be created",
                        "Check the item accounts in the settings, or add the item in QuickBooks.",
                    ),
                )
            )
        else:
            payload = to_qbo_dict(doc, tax.tax_rates, item_ids, customer_id)
            prepared.append(Prepared(entry, doc, payload))
    return prepared, failed


def store_payloads(prepared: list[Prepared], owner: str, lease: datetime) -> bool:
    """Keep what is about to be sent — only while this execution still holds every row, checked
    in the same transaction — so a stopped run can send the very same request; False when the
    batch must not be sent (a row was taken over)."""
    if not hold([p.entry for p in prepared], owner, lease):
        return False
    for p in prepared:
        p.entry.qbo_related = {
            "entity": p.doc.qbo_entity,
            "payload": _jsonable(p.payload),
            "expect": Expected.of(p.doc).to_json(),
            "payments": [
                {"payload": _jsonable(payment_to_qbo_dict(pay, "", _customer(p.payload), p.doc))}
                for pay in p.doc.payments
            ],
        }
    db.session.commit()
    return True


def _customer(payload: dict[str, Any]) -> str:
    """The QBO customer id a document payload names."""
    return str((payload.get("CustomerRef") or {}).get("value", ""))


def _jsonable(value: Any) -> Any:
    """Decimals and dates as strings, for the JSON column."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def sendable(entries: list[LedgerEntry]) -> list[LedgerEntry]:
    """Rows whose document is stored and not yet recorded as saved."""
    return [e for e in entries if stored_context(e).get("payload") and not e.qbo_id]


def send(qb: QuickBooks, entries: list[LedgerEntry], request_id: str) -> dict[str, Any]:
    """Post the stored payloads of these rows as one batch (bId = ledger row id)."""
    items = [
        BatchItem(str(e.id), stored_context(e)["entity"], stored_context(e)["payload"])
        for e in entries
    ]
    return post_batch(qb, items, request_id)


def record_outcomes(
    qb: QuickBooks, entries: list[LedgerEntry], outcomes: dict[str, Any], counts: Counter
) -> None:
    """Write back what QBO answered for each row, reconciling totals to the cent; a document
    number QBO already holds for this very order is recognised as posted, not failed."""
    already = _already_posted(qb, entries, outcomes)
    for entry in entries:
        outcome = outcomes.get(str(entry.id))
        saved = already.get(entry.id) or (outcome.saved if outcome else None)
        if saved is not None:
            _record_saved(entry, saved)
            counts["created"] += 1
        elif outcome is not None and outcome.error is not None:
            record_failed(entry, outcome.error)
            counts["failed"] += 1
    plan_payments(entries)
    db.session.commit()


def _already_posted(
    qb: QuickBooks, entries: list[LedgerEntry], outcomes: dict[str, Any]
) -> dict[int, dict]:
    """Rows refused with 6140 (duplicate document number) whose number QBO holds on a document
    carrying this order's own memo: that document is this order, posted by an earlier attempt.
    ref: https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes"""
    refused = [
        e
        for e in entries
        if (o := outcomes.get(str(e.id))) is not None and o.error is not None
        if o.error.code == "6140" and stored_context(e)["payload"].get("DocNumber")
    ]
    found: dict[int, dict] = {}
    for entity in {stored_context(e)["entity"] for e in refused}:
        mine = [e for e in refused if stored_context(e)["entity"] == entity]
        held = documents_by_number(
            qb, entity, [stored_context(e)["payload"]["DocNumber"] for e in mine]
        )
        for entry in mine:
            payload = stored_context(entry)["payload"]
            for document in held.get(payload["DocNumber"], []):
                if document.get("PrivateNote") == payload.get("PrivateNote"):
                    found[entry.id] = document
    return found


def _record_saved(entry: LedgerEntry, saved: dict[str, Any]) -> None:
    """A saved document: ids, totals, and a flag when QBO's totals differ from Shopify's."""
    related = dict(stored_context(entry))
    expect = Expected.from_json(related["expect"]) if related.get("expect") else None
    total = Decimal(str(saved.get("TotalAmt", 0)))
    tax = Decimal(str((saved.get("TxnTaxDetail") or {}).get("TotalTax", 0)))
    link_existing_payments(related, saved)
    record_posted(
        entry,
        related["entity"],
        saved["Id"],
        doc_number=saved.get("DocNumber"),
        shopify_total=expect.target_total if expect else None,
        qbo_total=total,
        related=related,
    )
    flag_modified(entry, "qbo_related")
    if payments_pending(entry):
        entry.status = LedgerStatus.IN_PROGRESS  # posted once its payments are recorded too
    home = saved.get("HomeTotalAmt")
    home_total = Decimal(str(home)) if home is not None else None
    differences = reconcile(expect, total, tax, home_total) if expect is not None else []
    if differences:
        entry.last_error = "Reconciliation: " + "; ".join(
            f"QuickBooks {d.field} {d.qbo} vs Shopify {d.shopify}" for d in differences
        )
        entry.last_error_fix = "Review the document in QuickBooks; the difference is not hidden."
