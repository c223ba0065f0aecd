"""Turn claimed orders into posted QBO documents: build, resolve ids, send, record, reconcile.

Each document's QBO JSON is stored on its ledger row before the batch is sent, so a run that
stops at any point can re-send exactly the same request under the same request id (see
jobs/ledger.py): QBO then replays its answer instead of posting twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from quickbooks import QuickBooks

from clients.errors import DataError, SyncError
from clients.quickbooks_batch import BatchItem, post_batch
from extensions import db
from jobs.ledger import record_failed, record_posted
from jobs.sales_lookups import RunLookups, customer_key
from models import LedgerEntry
from rules.documents import SalesDocument, payment_to_qbo_dict, to_qbo_dict
from rules.items import sku_match_key
from rules.orders import ShopifyOrder
from rules.problems import Problems
from rules.sales import order_to_sales_document
from rules.settings import Lookups, SalesOptions
from rules.totals import reconcile


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
    claimed: list[tuple[LedgerEntry, ShopifyOrder]],
    base: SalesOptions,
    lookups: RunLookups,
    tax: Lookups,
) -> tuple[list[tuple], list[tuple]]:
    """Documents for the claimed orders; (entry, doc) pairs and (entry, error) failures."""
    lookups.resolve_items(
        sku_match_key(line.sku, base.sku_match_field)
        for _, order in claimed
        for line in order.line_items
    )
    options = replace(base, lookups=replace(tax, items=dict(lookups.items)))
    built, failed = [], []
    for entry, order in claimed:
        doc = order_to_sales_document(order, options)
        if isinstance(doc, Problems):
            failed.append((entry, problems_error(doc)))
        else:
            built.append((entry, doc))
    return built, failed


def resolve_references(
    built: list[tuple], lookups: RunLookups, tax: Lookups, request_id: str
) -> tuple[list[Prepared], list[tuple]]:
    """Add foreign currencies, create missing items and customers, then render each document's
    QBO JSON."""
    refused = lookups.currencies.refusals(doc.currency for _, doc in built)
    failed = [(entry, refused[doc.currency]) for entry, doc in built if doc.currency in refused]
    built = [(entry, doc) for entry, doc in built if doc.currency not in refused]
    new_items = {item.name: item for _, doc in built for item in doc.new_items}
    item_ids = lookups.create_items(list(new_items.values()), request_id) if new_items else {}
    lookups.resolve_customers([doc.customer for _, doc in built if not doc.customer_id], request_id)
    prepared = []
    for entry, doc in built:
        customer_id = doc.customer_id or lookups.customers.get(customer_key(doc.customer))
        missing = [name for name in (i.name for i in doc.new_items) if name not in item_ids]
        if customer_id is None:
            failed.append((entry, lookups.customer_error(doc.customer)))
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


def store_payloads(prepared: list[Prepared]) -> None:
    """Keep what is about to be sent, so a stopped run can send the very same request."""
    for p in prepared:
        p.entry.qbo_related = {"entity": p.doc.qbo_entity, "payload": _jsonable(p.payload)}
    db.session.commit()


def _jsonable(value: Any) -> Any:
    """Decimals and dates as strings, for the JSON column."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def send(qb: QuickBooks, entries: list[LedgerEntry], request_id: str) -> dict[str, Any]:
    """Post the stored payloads of these rows as one batch (bId = ledger row id)."""
    items = [
        BatchItem(str(e.id), e.qbo_related["entity"], e.qbo_related["payload"]) for e in entries
    ]
    return post_batch(qb, items, request_id)


def record_outcomes(
    entries: list[LedgerEntry],
    outcomes: dict[str, Any],
    docs: dict[int, SalesDocument],
    counts: Counter,
) -> None:
    """Write back what QBO answered for each row, reconciling totals to the cent."""
    for entry in entries:
        outcome = outcomes.get(str(entry.id))
        if outcome is None:
            continue
        if outcome.error is not None:
            record_failed(entry, outcome.error)
            counts["failed"] += 1
            continue
        _record_saved(entry, outcome.saved, docs.get(entry.id))
        counts["created"] += 1
    db.session.commit()


def _record_saved(entry: LedgerEntry, saved: dict[str, Any], doc: SalesDocument | None) -> None:
    """A posted document: ids, totals, and a flag when QBO's totals differ from Shopify's."""
    entity = entry.qbo_related["entity"]
    total = Decimal(str(saved.get("TotalAmt", 0)))
    tax = Decimal(str((saved.get("TxnTaxDetail") or {}).get("TotalTax", 0)))
    related = {"entity": entity}
    if doc is not None and doc.payments:
        related["payments_due"] = [
            _jsonable(
                payment_to_qbo_dict(
                    p,
                    saved["Id"],
                    saved["CustomerRef"]["value"],
                    doc,
                )
            )
            for p in doc.payments
        ]
    record_posted(
        entry,
        entity,
        saved["Id"],
        doc_number=saved.get("DocNumber"),
        shopify_total=doc.target_total if doc else None,
        qbo_total=total,
        related=related,
    )
    home = saved.get("HomeTotalAmt")
    home_total = Decimal(str(home)) if home is not None else None
    differences = reconcile(doc, total, tax, home_total) if doc is not None else []
    if differences:
        entry.last_error = "Reconciliation: " + "; ".join(
            f"QuickBooks {d.field} {d.qbo} vs Shopify {d.shopify}" for d in differences
        )
        entry.last_error_fix = "Review the document in QuickBooks; the difference is not hidden."


def post_payments(
    qb: QuickBooks, entries: list[LedgerEntry], request_id: str, counts: Counter
) -> None:
    """Record and link the Payments of the invoices posted under `request_id`.

    The payment batches of one invoice batch are always the same (rows in id order), and carry
    request ids derived from it, so re-sending after a stop is replayed, never doubled.
    """
    entries = sorted(entries, key=lambda e: e.id)
    due = [
        (e, i, p)
        for e in entries
        if e.qbo_related
        for i, p in enumerate(e.qbo_related.get("payments_due") or [])
    ]
    for start in range(0, len(due), 30):
        part = due[start : start + 30]
        items = [BatchItem(f"{e.id}p{i}", "Payment", p) for e, i, p in part]
        outcomes = post_batch(qb, items, f"{request_id}-p{start // 30}"[:36])
        for entry, i, _ in part:
            outcome = outcomes.get(f"{entry.id}p{i}")
            _record_payment(
                entry,
                outcome.saved if outcome else None,
                outcome.error if outcome else None,
                counts,
            )
    db.session.commit()


def _record_payment(
    entry: LedgerEntry, saved: dict | None, error: SyncError | None, counts: Counter
) -> None:
    """Remember a payment's id, or why it failed (the invoice itself stays posted)."""
    if saved is None and error is None:
        return
    related = dict(entry.qbo_related)
    if saved:
        related["payment_ids"] = [*related.get("payment_ids", []), saved["Id"]]
    else:
        entry.last_error, entry.last_error_fix = f"Payment not recorded: {error.reason}", error.fix
        counts["payment_failed"] += 1
    related["payments_due"] = []
    entry.qbo_related = related
