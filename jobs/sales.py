"""Workflow 1: Shopify orders → QBO sales receipts or invoices, exactly once, to the cent."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from clients.errors import AuthError, DataError, RetryableError, SyncError
from extensions import db
from jobs.context import with_app_context
from jobs.ledger import (
    claim,
    ensure_entries,
    record_failed,
    record_skipped,
    release,
    reload,
    unfinished,
)
from jobs.quickbooks_connection import access_token as qbo_access_token
from jobs.quickbooks_connection import client_for as qbo_client_for
from jobs.runs import beat, finish_run, start_run
from jobs.sales_lookups import RunLookups, rounding_item, tax_code_rates
from jobs.sales_options import sales_options
from jobs.sales_posting import (
    build_documents,
    post_payments,
    record_outcomes,
    resolve_references,
    send,
    store_payloads,
)
from jobs.sales_reading import read_matching, read_orders_by_id
from jobs.sales_taxes import remember_gateways, remember_taxes, tax_lookups
from jobs.shopify_api import client_for as shopify_client_for
from models import ConnectionStatus, LedgerEntry, LedgerKind, LedgerStatus, Shop, SyncRun
from rules.orders import ShopifyOrder, parse_order
from rules.sales import should_sync

log = logging.getLogger(__name__)
BATCH = 30  # QBO batch requests hold at most 30 operations
SHOP_QUERY = "{ shop { ianaTimezone currencyCode } }"


def order_filter(shop: Shop, since: datetime | None) -> str:
    """The Shopify search query: changed since the last run, created after the start date."""
    parts = []
    if since is not None:
        parts.append(f"updated_at:>='{since.isoformat()}'")
    start = shop.sync_settings.integration_start_date
    if start is not None:
        parts.append(f"created_at:>='{start.isoformat()}'")
    return " AND ".join(parts)


def batches(nodes: Iterable[dict], size: int = BATCH) -> Iterator[list[dict]]:
    """Group a stream of order nodes, holding at most one batch in memory."""
    chunk: list[dict] = []
    for node in nodes:
        chunk.append(node)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class SalesSync:
    """One run of the sales workflow for one shop."""

    def __init__(
        self,
        shop: Shop,
        run: SyncRun,
        dry_run: bool = False,
        show: Callable[[dict], None] | None = None,
    ) -> None:
        self.shop, self.run, self.dry_run, self.show = shop, run, dry_run, show
        self.counts: Counter = Counter()
        self.done = 0
        self.qb = qbo_client_for(shop.quickbooks_connection)
        self.shopify = shopify_client_for(shop)
        self._read_shop()
        self.base = sales_options(shop)
        if self.base.rounding_item_id is None:
            self.base = replace(
                self.base, rounding_item_id=rounding_item(self.qb, self.base.income_account_id)
            )
        self.tax = tax_lookups(
            shop, self.base, tax_code_rates(self.qb) if not self.base.company.us else {}
        )
        self.lookups = RunLookups(
            self.qb, self.base.sku_match_field, self.base.company.home_currency
        )

    def _read_shop(self) -> None:
        """The shop's time zone (documents are dated in it) and currency."""
        data = self.shopify.execute(SHOP_QUERY)["data"]["shop"]
        self.shop.iana_timezone, self.shop.currency = data["ianaTimezone"], data["currencyCode"]
        db.session.commit()

    def recover(self) -> None:
        """Finish what a stopped run left: re-send stored requests under their own ids."""
        for request_id, entries in unfinished(self.shop.id, LedgerKind.ORDER).items():
            sendable = [e for e in entries if request_id and (e.qbo_related or {}).get("payload")]
            release([e for e in entries if e not in sendable])  # never sent: safe to redo
            if sendable:
                record_outcomes(sendable, send(self.qb, sendable, request_id), {}, self.counts)
        owed = db.session.scalars(
            select(LedgerEntry).where(
                LedgerEntry.shop_id == self.shop.id,
                LedgerEntry.status == LedgerStatus.POSTED,
                LedgerEntry.qbo_type == "Invoice",
            )
        ).all()
        groups: dict[str, list[LedgerEntry]] = {}
        for entry in owed:
            if (entry.qbo_related or {}).get("payments_due"):
                groups.setdefault(entry.request_id or "", []).append(entry)
        for request_id, entries in groups.items():
            post_payments(self.qb, entries, request_id, self.counts)

    def preview(self, nodes: list[dict]) -> None:
        """Dry run: show what each order would become, writing nothing anywhere."""
        orders = [parse_order(node) for node in nodes]
        posted = set(
            db.session.scalars(
                select(LedgerEntry.shopify_id).where(
                    LedgerEntry.shop_id == self.shop.id,
                    LedgerEntry.kind == LedgerKind.ORDER,
                    LedgerEntry.status == LedgerStatus.POSTED,
                    LedgerEntry.shopify_id.in_([o.legacy_id for o in orders]),
                )
            )
        )
        pending = []
        for order in orders:
            reason = (
                "already posted" if order.legacy_id in posted else should_sync(order, self.base)
            )
            if reason:
                self._show(order.name, skipped=reason)
                self.counts["skipped"] += 1
            else:
                pending.append((order, order))  # the order stands in for its ledger row
        built, failed = build_documents(pending, self.base, self.lookups, self.tax)
        for order, doc in built:
            self._show(order.name, document=doc)
            self.counts["would_post"] += 1
        for order, error in failed:
            self._show(order.name, failed=f"{error.reason} — {error.fix}")
            self.counts["failed"] += 1
        self.done += len(orders)

    def _show(self, name: str, **what: object) -> None:
        """Hand one dry-run line to the caller (the CLI prints it)."""
        if self.show is not None:
            self.show({"order": name, **what})

    def process(self, nodes: list[dict]) -> None:
        """One batch of orders: skip, claim, build, send, record."""
        if self.dry_run:
            self.preview(nodes)
            return
        orders = [parse_order(node) for node in nodes]
        remember_taxes(self.shop, orders)
        remember_gateways(self.shop, orders)
        entries = ensure_entries(
            self.shop.id, LedgerKind.ORDER, [_ledger_fields(o) for o in orders]
        )
        to_post = self._skip(orders, entries)
        won, request_id = claim([entries[o.legacy_id] for o in to_post], self.run.id)
        claimed = [(e, next(o for o in to_post if o.legacy_id == e.shopify_id)) for e in won]
        self.done += len(orders)
        if claimed:
            self._post(claimed, request_id)

    def _skip(self, orders: list[ShopifyOrder], entries: dict[str, LedgerEntry]) -> list:
        """Record why orders are not posted; the rest go on (posted ones are left alone)."""
        to_post = []
        for order in orders:
            entry = entries[order.legacy_id]
            if entry.status in (LedgerStatus.POSTED, LedgerStatus.IN_PROGRESS):
                continue
            reason = should_sync(order, self.base)
            if reason is None:
                to_post.append(order)
            elif entry.status != LedgerStatus.SKIPPED:
                record_skipped(entry, reason)
                self.counts["skipped"] += 1
        db.session.commit()
        return to_post

    def _post(self, claimed: list[tuple], request_id: str) -> None:
        """Build and send one claimed batch; a dry run shows the documents and posts nothing."""
        built, failed = build_documents(claimed, self.base, self.lookups, self.tax)
        prepared, unresolved = resolve_references(built, self.lookups, self.tax, request_id)
        for entry, error in failed + unresolved:
            record_failed(entry, error)
            self.counts["failed"] += 1
        store_payloads(prepared)
        entries = [p.entry for p in prepared]
        if entries:
            reload(entries)  # one query instead of one per row after the commit
            outcomes = send(self.qb, entries, request_id)
            record_outcomes(entries, outcomes, {p.entry.id: p.doc for p in prepared}, self.counts)
            reload(entries)
            post_payments(
                self.qb,
                [e for e in entries if e.status == LedgerStatus.POSTED],
                request_id,
                self.counts,
            )

    def _wait(self, seconds: float) -> None:
        """Wait for Shopify's bulk file, telling the watchdog the run is alive."""
        beat(self.run, self.counts, self.done)
        time.sleep(seconds)

    def run_all(
        self,
        since: datetime | None,
        page_size: int,
        order_ids: list[str] | None = None,
        progress: Callable[[int, int], None] | None = None,
        bulk_from: int = 25,
    ) -> Counter:
        """Recover, then read and post every order changed since `since` (or the named ones)."""
        if not self.dry_run:
            self.recover()
        if order_ids is not None:
            nodes, total = read_orders_by_id(self.shopify, order_ids), len(order_ids)
        else:
            search = order_filter(self.shop, since)
            nodes, total = read_matching(self.shopify, search, page_size, bulk_from, self._wait)
        beat(self.run, self.counts, 0, total)
        for chunk in batches(nodes):
            self.process(chunk)
            beat(self.run, self.counts, self.done)
            if progress:
                progress(self.done, total)
        return self.counts


def _ledger_fields(order: ShopifyOrder) -> dict:
    """What the ledger keeps of an order: ids, never personal data."""
    return {
        "shopify_id": order.legacy_id,
        "shopify_name": order.name[:64],
        "shopify_customer_id": order.customer.id.rsplit("/", 1)[-1][:64]
        if order.customer
        else None,
        "shopify_updated_at": order.updated_at,
    }


def refusal(shop: Shop | None) -> str | None:
    """Why the shop cannot sync right now, in plain words."""
    if shop is None or not shop.is_installed:
        return "The shop has uninstalled Ledgerbridge."
    connection = shop.quickbooks_connection
    if connection is None or connection.status != ConnectionStatus.CONNECTED:
        return "QuickBooks is not connected" + (
            f": {connection.status_reason}" if connection and connection.status_reason else "."
        )
    return None


def _renewed(shop: Shop) -> bool:
    """Refresh a QBO token that was refused early (revoked tokens mark the connection)."""
    try:
        qbo_access_token(shop.quickbooks_connection, force=True)
    except SyncError:
        return False
    return True


@with_app_context
def sync_orders(
    shop_id: int,
    run_id: int,
    since: str | None = None,
    dry_run: bool = False,
    page_size: int = 5,
    order_ids: list[str] | None = None,
    show: Callable[[dict], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """The RQ job: one run of the sales workflow. Retryable failures raise so RQ retries."""
    shop, run = db.session.get(Shop, shop_id), db.session.get(SyncRun, run_id)
    reason = refusal(shop)
    if reason:
        finish_run(run, Counter(), error=reason)
        return {}
    start_run(run)
    shop.ensure_settings()
    try:
        sync = SalesSync(shop, run, dry_run=dry_run, show=show)
        when = datetime.fromisoformat(since) if since else None
        bulk_from = int(current_app.config["SHOPIFY_BULK_MIN_ORDERS"])
        counts = sync.run_all(when, page_size, order_ids, progress, bulk_from)
    except AuthError as exc:
        if exc.code == "401" and _renewed(shop):
            db.session.rollback()
            raise RetryableError(
                "QuickBooks refused the access token before its expiry; it was "
                "refreshed and the run is retried"
            ) from exc
        finish_run(run, Counter(), error=exc.reason)
        return {}
    except DataError as exc:
        finish_run(run, Counter(), error=exc.reason)
        return {}
    except SyncError:
        db.session.rollback()
        raise  # RetryableError: RQ retries; the ledger keeps what was done
    finish_run(run, counts)
    return dict(counts)
