"""Repair invoices posted without their payment: post the Payment Shopify shows, exactly once.

A row needs repair when its order was posted as an Invoice and the row records no payment at all
(no `payment_ids`, `payments_due` or `payments`). Each invoice is read back from QBO under a
per-row Redis lock: one with a payment linked is only marked (its ids recorded; partly paid ones
are left for review), one with no payment and a balance is paid — with the payments the sales
rules give the order today, capped at that balance. Each Payment goes in a batch whose request id
is derived from the row, the payment and its payload, so a retry after a lost answer is replayed
by QBO, never posted again.
ref: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment
ref: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from quickbooks import QuickBooks
from quickbooks.objects.invoice import Invoice
from sqlalchemy import select

from clients.errors import AuthError, DataError
from clients.quickbooks_batch import BatchItem, post_batch
from clients.quickbooks_faults import sdk_call
from extensions import db
from models import LedgerEntry, LedgerKind, LedgerStatus, Shop
from rules.documents import PaymentSpec, SalesDocument, payment_to_qbo_dict
from rules.money import ZERO
from rules.orders import parse_order_or_malformed
from services.locks import process_lock
from services.quickbooks_connection import call_with_refresh
from services.shopify_api import client_for as shopify_client_for
from sync.sales.context import sales_context
from sync.sales.posting import build_documents
from sync.sales.reading import read_orders_by_id
from sync.sales.references import chunks

log = logging.getLogger(__name__)
GONE = "The order is no longer in Shopify"
CHUNK = 30  # orders read and documents built together (as a sales run does)
BUSY = "Another repair is working on this invoice; retrying shortly."


@dataclass
class Repair:
    """What was found, and done, for one ledger row."""

    order: str
    invoice_id: str
    action: str  # paid | would_pay | already_paid | partly_paid | not_received | failed | done
    amount: Decimal = ZERO
    payment_ids: list[str] = field(default_factory=list)
    reason: str | None = None


def _name(entry: LedgerEntry) -> str:
    """The order's name (its id if the name was not kept)."""
    return entry.shopify_name or entry.shopify_id


def _failed(entry: LedgerEntry, reason: str) -> Repair:
    """A row that could not be repaired, and why."""
    return Repair(_name(entry), entry.qbo_id or "", "failed", reason=reason)


def needs_repair(entry: LedgerEntry) -> bool:
    """A posted invoice whose payments were neither recorded nor left due."""
    related = entry.qbo_related or {}
    return (
        entry.status == LedgerStatus.POSTED
        and entry.qbo_type == "Invoice"
        and "payment_ids" not in related
        and not related.get("payments_due")
        and "payments" not in related  # rows the sales run now plans payments on itself
    )


def unpaid_invoice_entries(shop_id: int) -> list[LedgerEntry]:
    """The shop's rows that need repair, oldest first (the JSON test is done here, portably)."""
    rows = db.session.scalars(
        select(LedgerEntry)
        .where(
            LedgerEntry.shop_id == shop_id,
            LedgerEntry.kind == LedgerKind.ORDER,
            LedgerEntry.status == LedgerStatus.POSTED,
            LedgerEntry.qbo_type == "Invoice",
        )
        .order_by(LedgerEntry.id)
    )
    return [e for e in rows if needs_repair(e)]


def capped(payments: tuple[PaymentSpec, ...], balance: Decimal) -> list[PaymentSpec]:
    """The payments in order, never more in all than the invoice's open balance."""
    out, left = [], balance
    for payment in payments:
        amount = min(payment.amount, left)
        if amount > 0:
            out.append(replace(payment, amount=amount))
            left -= amount
    return out


def request_id(entry_id: int, n: int, payload: dict) -> str:
    """Deterministic per row, payment and payload (a changed payload — settings fixed after a
    refusal — is a new request; the same one is replayed). At most 36 characters."""
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    return f"repair-{entry_id}-{n}-{digest[:8]}"[:36]


def linked_payments(invoice: Invoice) -> list[str]:
    """Ids of the Payments QBO links to the invoice."""
    return [
        str(link.TxnId)
        for link in getattr(invoice, "LinkedTxn", None) or []
        if getattr(link, "TxnType", None) == "Payment"
    ]


def mark(entry: LedgerEntry, payment_ids: list[str]) -> None:
    """Record the invoice's payments on its row (nothing left due)."""
    entry.qbo_related = {
        **(entry.qbo_related or {}),
        "payment_ids": payment_ids,
        "payments_due": [],
    }
    db.session.commit()


def repair_entry(qb: QuickBooks, entry: LedgerEntry, doc: SalesDocument, dry_run: bool) -> Repair:
    """Read the invoice, then mark it (already paid) or post its payments (still owed)."""
    with process_lock(f"repair-{entry.id}", BUSY):
        db.session.refresh(entry)
        found = Repair(_name(entry), entry.qbo_id or "", "done")
        if not needs_repair(entry):
            return found  # another repair finished it while we waited
        invoice = sdk_call(lambda: Invoice.get(entry.qbo_id, qb=qb))
        balance = Decimal(str(invoice.Balance or 0))
        linked = linked_payments(invoice)
        found.payment_ids = linked
        if linked or balance <= 0:
            found.action = "already_paid" if balance <= 0 else "partly_paid"
            if not dry_run:
                mark(entry, linked)
            return found
        payments = capped(doc.payments, balance)
        found.amount = sum((p.amount for p in payments), ZERO)
        if not payments:
            found.action = "not_received"
            return found
        if dry_run:
            found.action = "would_pay"
            return found
        customer = invoice.CustomerRef.value
        payloads = [payment_to_qbo_dict(p, invoice.Id, customer, doc) for p in payments]
        return _post(qb, entry, found, payloads)


def _post(qb: QuickBooks, entry: LedgerEntry, found: Repair, payloads: list[dict]) -> Repair:
    """Post each payment in its own replayable batch; record what QBO saved."""
    saved, errors = [], []
    for n, payload in enumerate(payloads):
        outcome = post_batch(
            qb, [BatchItem("p", "Payment", payload)], request_id(entry.id, n, payload)
        )["p"]
        if outcome.saved:
            saved.append(str(outcome.saved["Id"]))
        elif outcome.error:
            errors.append(outcome.error)
    found.payment_ids = saved
    if errors:
        found.action, found.reason = "failed", errors[0].reason
        entry.last_error = f"Payment not recorded: {errors[0].reason}"
        entry.last_error_fix = errors[0].fix
        db.session.commit()
        return found
    found.action = "paid"
    mark(entry, saved)
    return found


def repair_shop(
    shop: Shop,
    qb: QuickBooks,
    dry_run: bool = False,
    show: Callable[[Repair], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Counter:
    """Find the shop's invoices posted without their payment and repair (or preview) each."""
    entries = unpaid_invoice_entries(shop.id)
    counts: Counter = Counter()
    if not entries:
        return counts
    shop.ensure_settings()
    context = sales_context(shop, qb, create_rounding_item=False)  # a repair creates no item
    shopify = shopify_client_for(shop)
    done = 0
    for part in chunks(entries, CHUNK):
        orders = {}
        for node in read_orders_by_id(shopify, [e.shopify_id for e in part]):
            order = parse_order_or_malformed(node)  # a malformed one fails alone, with why
            if order is not None:
                orders[order.legacy_id] = order
        results = [_failed(e, GONE) for e in part if e.shopify_id not in orders]
        pairs = [(e, orders[e.shopify_id]) for e in part if e.shopify_id in orders]
        built, failed = build_documents(pairs, context.base, context.refs, context.tax)
        results += [_failed(e, error.reason) for e, error in failed]
        for entry, doc in built:
            try:
                results.append(repair_entry(qb, entry, doc, dry_run))
            except DataError as exc:  # this invoice only; auth and retryable failures stop the run
                db.session.rollback()
                results.append(_failed(entry, exc.reason))
        for result in results:
            counts[result.action] += 1
            if show is not None:
                show(result)
        done += len(part)
        if progress is not None:
            progress(done, len(entries))
    return counts


def run_repair(
    shop: Shop,
    dry_run: bool = False,
    show: Callable[[Repair], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Counter:
    """Repair a shop; a token QBO refuses early is refreshed and the repair rerun (rows it
    already repaired are no longer selected). Not connected, or uninstalled: AuthError."""
    connection = shop.quickbooks_connection
    if connection is None:
        raise AuthError("QuickBooks is not connected", "Connect QuickBooks from Ledgerbridge.")
    return call_with_refresh(connection, lambda qb: repair_shop(shop, qb, dry_run, show, progress))
