"""Workflow 2: every Shopify product variant → a QBO item, linked on the ledger, written once.

Read (sync.products.reading) → pure rules (rules.products) → post in batches of 30
(sync.products.posting) → record on the ledger (kind PRODUCT_VARIANT: variant ↔ QBO item and the
fingerprint of what the item carries, so an unchanged catalogue makes no QBO write).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from functools import cached_property

from sqlalchemy import update

from clients.errors import DataError
from extensions import db
from models import LedgerEntry, LedgerKind, LedgerStatus
from rules.items import validate_item_settings
from rules.products import ShopifyVariant, duplicate_skus, fingerprint, skip_reason
from rules.settings import SalesOptions
from services.ledger import (
    claim,
    ensure_entries,
    hold,
    record_failed,
    record_posted,
    release,
    reload,
    take_over_expired,
)
from services.runs import LeaseLost, beat, lease_until
from sync.products import deleted
from sync.products.catalog import QboItems
from sync.products.posting import Plan, plan_write, record, send, stored
from sync.products.preview import preview
from sync.products.reading import Scope, read_products, variant_batches
from sync.sales.options import sales_options
from sync.workflow import WorkflowRun

KIND = LedgerKind.PRODUCT_VARIANT


class ProductsSync(WorkflowRun):
    """One run of the products workflow for one shop."""

    cursor: str | None = None  # updatedAt of the last product handled

    @cached_property
    def sku_owners(self) -> dict[str, str]:
        """Match key → the variant holding it, over the whole run (one item per key)."""
        return {}

    @cached_property
    def items(self) -> QboItems:
        """The company's items, read on first use."""
        return QboItems(self.qb)

    @cached_property
    def options(self) -> SalesOptions:
        """The item settings of the sales workflow, checked: products are always created."""
        options = replace(sales_options(self.shop), create_items=True)
        problems = validate_item_settings(options)
        if problems:
            raise DataError(problems[0].reason, problems[0].fix)
        return options

    @property
    def updates(self) -> bool:
        """Whether linked items follow their variants' changes."""
        settings = self.shop.product_settings
        return bool(settings and settings.update_existing_items)

    def recover(self, previous_owner: str | None = None) -> None:
        """Re-send what a stopped execution stored and did not record, under its request id
        (QBO replays its first answer); rows it claimed and never stored go back to pending."""
        groups = take_over_expired(self.shop.id, KIND, self.owner, lease_until(), previous_owner)
        for request_id, entries in groups.items():
            unsent = [e for e in entries if not (e.qbo_related or {}).get("payload")]
            release(unsent)
            resend = [e for e in entries if e not in unsent]
            if resend and request_id:
                self._send(resend, request_id)

    def _send(self, entries: list[LedgerEntry], request_id: str) -> None:
        """Send stored writes as their rows' owner, and record QBO's answers. Rows go in id
        order: a re-send after a crash puts each row at the bId QBO's replayed answer gives it."""
        entries = sorted(entries, key=lambda e: e.id)
        if not hold(entries, self.owner, lease_until()):
            raise LeaseLost("a row of the batch was taken over; its new owner sends it")
        db.session.commit()
        reload(entries)
        outcomes = send(self.qb, entries, request_id)
        if not hold(entries, self.owner, lease_until()):
            raise LeaseLost("the batch's rows were taken over; their new owner records them")
        record(entries, outcomes, self.items, self.counts)
        db.session.commit()

    def process(self, variants: list[ShopifyVariant]) -> None:
        """One batch: report what cannot get an item, claim the rest, plan, send, record."""
        if not variants:
            return
        self.cursor = variants[-1].product_updated_at or self.cursor
        if self.dry_run:
            preview(self, variants)
            return
        entries = ensure_entries(self.shop.id, KIND, [_ledger_fields(v) for v in variants])
        todo = []
        for entry, variant, why in self.triage(variants, entries):
            if why is None:
                todo.append((entry, variant))
            elif entry.status != LedgerStatus.FAILED or entry.last_error != why[0]:
                record_failed(entry, DataError(*why))
                self.counts["failed"] += 1
        db.session.commit()
        by_id = {v.variant_id: v for _, v in todo}
        won, request_id = self.claim([e for e, _ in todo])
        self.post(self._plans([(e, by_id[e.shopify_id]) for e in won]), request_id)

    def claim(self, entries: list[LedgerEntry]) -> tuple[list[LedgerEntry], str]:
        """Claim rows for this execution; linked rows (posted) are reopened first, so the same
        compare-and-set decides which execution writes their item."""
        reopen(entries)
        return claim(entries, self.run.id, self.owner, lease_until())

    def triage(
        self, variants: list[ShopifyVariant], entries: dict[str, LedgerEntry]
    ) -> list[tuple[LedgerEntry, ShopifyVariant, tuple[str, str] | None]]:
        """The variants with something to write (no reason), and those that cannot have an
        item with the reason and fix; unchanged ones and rows another execution holds are out."""
        shared = duplicate_skus(variants, self.options.sku_match_field, self.sku_owners)
        out = []
        for variant in variants:
            entry = entries[variant.variant_id]
            if entry.status == LedgerStatus.IN_PROGRESS:
                continue  # another execution holds it
            why = skip_reason(variant, shared.get(variant.variant_id))
            linked = entry.status == LedgerStatus.POSTED and entry.qbo_id
            unchanged = entry.fingerprint == fingerprint(variant) or not self.updates
            if why is None and linked and unchanged:
                continue
            out.append((entry, variant, why))
        return out

    def _plans(self, claimed: list[tuple[LedgerEntry, ShopifyVariant]]) -> list[Plan]:
        """What each claimed row writes: an update of its item, or a new item."""
        return [plan_write(entry, variant, self.items, self.options) for entry, variant in claimed]

    def post(self, plans: list[Plan], request_id: str) -> None:
        """Link rows that need no write; store the others' writes, then send and record them."""
        writes = [p for p in plans if p.op is not None]
        if not hold([p.entry for p in plans], self.owner, lease_until()):
            raise LeaseLost("a row of the batch was taken over; its new owner sends it")
        for plan in plans:
            if plan.op is None:
                _link(plan, self.counts)
            else:
                plan.entry.qbo_related = stored(plan)
        db.session.commit()
        if writes:
            self._send([p.entry for p in writes], request_id)

    def run_all(
        self,
        scope: Scope,
        progress: Callable[[int, int], None] | None = None,
        pass_on: Callable[[], bool] | None = None,
    ) -> bool:
        """Read and write every product of the scope; True when it stopped early because
        `pass_on()` said other shops are waiting (the run goes on from `self.cursor`)."""
        nodes, total = read_products(self.shopify, scope, self._wait)
        beat(self.run, self.owner, self.counts, self.done, total + self.done)
        chunks = variant_batches(nodes)
        chunk = next(chunks, None)
        while chunk is not None:
            self.process(chunk[0])
            self.done += chunk[1]  # progress counts products, as the total does
            beat(self.run, self.owner, self.counts, self.done)
            if progress:
                progress(self.done, total)
            chunk = next(chunks, None)
            if chunk is not None and pass_on and pass_on():
                return True
        if not self.dry_run and self.shop.product_settings.deactivate_deleted_items:
            deleted.deactivate(self)
        return False


def _link(plan: Plan, counts: Counter) -> None:
    """A row whose item needs no write: linked (a matched item) or already up to date."""
    if plan.op is None and plan.print is None:  # an item already inactive
        record_posted(plan.entry, "Item", plan.qbo_id or "", related={"inactive": True})
        return
    newly = not plan.entry.qbo_id
    record_posted(plan.entry, "Item", plan.qbo_id or "", fingerprint=plan.print)
    counts["linked" if newly else "unchanged"] += 1


def _ledger_fields(variant: ShopifyVariant) -> dict:
    """What the ledger keeps of a variant: ids, its name and when it changed."""
    return {
        "shopify_id": variant.variant_id,
        "parent_shopify_id": variant.product_id,
        "shopify_name": variant.display_name[:64],
        "shopify_updated_at": variant.updated_at,
    }


def reopen(entries: list[LedgerEntry]) -> None:
    """Posted rows back to pending (their item kept), to be claimed for an update."""
    ids = [e.id for e in entries if e.status == LedgerStatus.POSTED]
    if ids:
        db.session.execute(
            update(LedgerEntry)
            .where(
                LedgerEntry.shop_id == entries[0].shop_id,  # the rows are one shop's
                LedgerEntry.id.in_(ids),
                LedgerEntry.status == LedgerStatus.POSTED,
            )
            .values(status=LedgerStatus.PENDING)
        )
        db.session.commit()
