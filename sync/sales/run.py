"""Workflow 1: Shopify orders → QBO sales receipts or invoices, exactly once, to the cent."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cached_property

from sqlalchemy import select

from clients.shopify_queries import SHOP_QUERY
from extensions import db
from models import LedgerEntry, LedgerKind, LedgerStatus
from rules.orders import ShopifyOrder, parse_order_or_malformed
from rules.sales import should_sync
from rules.settings import ResolvedIds, SalesOptions
from services.ledger import (
    claim,
    ensure_entries,
    hold,
    record_failed,
    record_skipped,
    release,
    reload,
    take_over_expired,
)
from services.runs import LeaseLost, beat, lease_until
from sync.sales.context import SalesContext, sales_context
from sync.sales.payments import post_payments, retry_payments
from sync.sales.posting import (
    build_documents,
    record_outcomes,
    resolve_references,
    send,
    sendable,
    store_payloads,
)
from sync.sales.reading import Scope, batches, order_filter, read_matching, read_orders_by_id
from sync.sales.references import QboReferences
from sync.sales.taxes import remember_gateways, remember_taxes
from sync.workflow import WorkflowRun

log = logging.getLogger(__name__)


class SalesSync(WorkflowRun):
    """One run of the sales workflow for one shop."""

    # The shop's options are only needed once there is something to post: an hourly run with
    # nothing new makes one request (Shopify's count) and none to QuickBooks.
    @cached_property
    def context(self) -> SalesContext:
        """The shop's time zone and options, tax mappings and QBO references, read on first use."""
        self._read_shop()
        # a dry run writes nothing to QuickBooks, not even the rounding item
        return sales_context(self.shop, self.qb, create_rounding_item=not self.dry_run)

    @property
    def base(self) -> SalesOptions:
        """The shop's sales options."""
        return self.context.base

    @property
    def tax(self) -> ResolvedIds:
        """The merchant's tax mapping with QBO's rates."""
        return self.context.tax

    @property
    def refs(self) -> QboReferences:
        """Items, customers and currencies found or created during the run."""
        return self.context.refs

    def _read_shop(self) -> None:
        """The shop's time zone (documents are dated in it) and currency."""
        data = self.shopify.execute(SHOP_QUERY)["data"]["shop"]
        self.shop.iana_timezone, self.shop.currency = data["ianaTimezone"], data["currencyCode"]
        db.session.commit()

    def recover(self, previous_owner: str | None = None) -> None:
        """Finish what a stopped execution left: rows whose lease ran out (or that this run's
        dead previous execution held) are re-sent under their own request ids and recorded
        exactly as a first-time send is, payments included; never-sent rows go back to pending."""
        groups = take_over_expired(
            self.shop.id, LedgerKind.ORDER, self.owner, lease_until(), previous_owner
        )
        for request_id, entries in groups.items():
            unsent = [e for e in entries if not (e.qbo_related or {}).get("payload")]
            release([e for e in unsent if not e.qbo_id])
            resend = sendable(entries) if request_id else []
            if resend:
                self._send(resend, request_id)
            self._pay([e for e in entries if e.qbo_id])

    def _send(self, entries: list[LedgerEntry], request_id: str) -> None:
        """Send stored documents, only while this execution holds every row, and record them."""
        if not hold(entries, self.owner, lease_until()):
            raise LeaseLost("a row of the batch was taken over; its new owner sends it")
        db.session.commit()
        reload(entries)  # one query instead of one per row after the commit
        self._record(entries, send(self.qb, entries, request_id))

    def _holds(self, entries: list[LedgerEntry]) -> bool:
        """Whether this execution still holds every row (row locks kept until the commit)."""
        return hold(entries, self.owner, lease_until())

    def _record(self, entries: list[LedgerEntry], outcomes: dict) -> None:
        """Record QBO's answers — only as the rows' owner, in the same transaction: a stalled
        worker whose rows were taken over never plans their payments a second time."""
        if not self._holds(entries):
            raise LeaseLost("the batch's rows were taken over; their new owner records them")
        record_outcomes(self.qb, entries, outcomes, self.counts)

    def _pay(self, entries: list[LedgerEntry]) -> None:
        """Post the planned payments of these rows, recording them only as their owner."""
        post_payments(self.qb, entries, self.counts, self._holds)

    def preview(self, nodes: list[dict]) -> None:
        """Dry run: show what each order would become, writing nothing to QuickBooks or the
        ledger."""
        orders = parsed(nodes)
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
                "already posted" if order.legacy_id in posted else skip_reason(order, self.base)
            )
            if reason:
                self._show(order.name, skipped=reason)
                self.counts["skipped"] += 1
            else:
                pending.append((order, order))  # the order stands in for its ledger row
        built, failed = build_documents(pending, self.base, self.refs, self.tax)
        for order, doc in built:
            self._show(order.name, document=doc)
            self.counts["would_post"] += 1
        for order, error in failed:
            self._show(order.name, failed=error.reason, fix=error.fix)
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
        orders = parsed(nodes)
        remember_taxes(self.shop, orders)
        remember_gateways(self.shop, orders)
        entries = ensure_entries(
            self.shop.id, LedgerKind.ORDER, [_ledger_fields(o) for o in orders]
        )
        to_post = self._skip(orders, entries)
        won, request_id = claim(
            [entries[o.legacy_id] for o in to_post], self.run.id, self.owner, lease_until()
        )
        by_id = {o.legacy_id: o for o in to_post}
        claimed = [(e, by_id[e.shopify_id]) for e in won]
        self.done += len(orders)
        self.cursor = max((o.updated_at for o in orders if o.updated_at), default=self.cursor)
        if claimed:
            self._post(claimed, request_id)

    def _skip(self, orders: list[ShopifyOrder], entries: dict[str, LedgerEntry]) -> list:
        """Record why orders are not posted; the rest go on (posted ones are left alone)."""
        to_post = []
        for order in orders:
            entry = entries[order.legacy_id]
            if entry.status in (LedgerStatus.POSTED, LedgerStatus.IN_PROGRESS):
                continue
            reason = None if entry.qbo_id else skip_reason(order, self.base)
            if reason is None:
                to_post.append(order)
            elif entry.status != LedgerStatus.SKIPPED:
                record_skipped(entry, reason)
                self.counts["skipped"] += 1
        db.session.commit()
        return to_post

    def _post(self, claimed: list[tuple], request_id: str) -> None:
        """Build, send and record one claimed batch, then post the invoices' payments. A row
        whose document is already in QuickBooks (its payment was refused) posts the payment."""
        again = [e for e, _ in claimed if e.qbo_id]
        fresh = [(e, o) for e, o in claimed if not e.qbo_id]
        built, failed = build_documents(fresh, self.base, self.refs, self.tax)
        prepared, unresolved = resolve_references(built, self.refs, self.tax, request_id)
        for entry, error in failed + unresolved:
            record_failed(entry, error)
            self.counts["failed"] += 1
        db.session.commit()
        entries = [p.entry for p in prepared]
        if entries:
            if not store_payloads(prepared, self.owner, lease_until()):
                raise LeaseLost("a row of the batch was taken over; its new owner sends it")
            reload(entries)
            self._record(entries, send(self.qb, entries, request_id))
        if again:
            retry_payments(again)
        self._pay([e for e in entries + again if e.qbo_id])

    def run_all(
        self,
        scope: Scope,
        progress: Callable[[int, int], None] | None = None,
        pass_on: Callable[[], bool] | None = None,
    ) -> bool:
        """Read and post every order of the scope; True when it stopped early because
        `pass_on()` said other shops are waiting (the run goes on from `self.cursor`)."""
        if scope.order_ids is not None:
            nodes, total = read_orders_by_id(self.shopify, scope.order_ids), len(scope.order_ids)
        else:
            search = order_filter(self.shop, scope.since, scope.cursor)
            nodes, total = read_matching(
                self.shopify, search, scope.page_size, scope.bulk_from, self._wait
            )
        total += self.done
        beat(self.run, self.owner, self.counts, self.done, total)
        chunks = batches(nodes)
        chunk = next(chunks, None)
        while chunk is not None:
            self.process(chunk)
            beat(self.run, self.owner, self.counts, self.done)
            if progress:
                progress(self.done, total)
            chunk = next(chunks, None)  # read ahead: pass on only while orders remain
            if chunk is not None and scope.order_ids is None and pass_on and pass_on():
                return True
        return False


def parsed(nodes: list[dict]) -> list[ShopifyOrder]:
    """The batch's orders; one whose data cannot be parsed comes back `malformed` (it fails on
    the ledger with the reason, alone). A node without even an id cannot be recorded: logged."""
    orders = []
    for node in nodes:
        order = parse_order_or_malformed(node)
        if order is None:
            log.warning("an order node without an id was left out: %s", sorted(node)[:10])
        else:
            orders.append(order)
    return orders


def skip_reason(order: ShopifyOrder, base: SalesOptions) -> str | None:
    """`should_sync`'s reason to skip the order; never for a malformed one (its dates and status
    cannot be trusted): that fails with its reason, so the merchant sees it."""
    return None if order.malformed else should_sync(order, base)


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
