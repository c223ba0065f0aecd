"""Workflow 3: QBO quantity on hand → Shopify stock at one location (docs/inventory-workflow.md).

Read (both sides whole, or what changed in QBO since the last complete run) → rules (the plan
and the guard) → write (compare-and-set, idempotent, on the ledger) → record. A dry run is the
preview: the plan is kept on the run for the page, nothing is written. A plan the guard holds
ends the run before anything is written, its numbers kept on the run for the page's banner.
"""

from __future__ import annotations

from collections.abc import Callable

from clients.errors import DataError
from clients.shopify_inventory import WRITE_BATCH
from models import InventorySettings, LedgerKind
from rules.inventory import Outcome, StockPlan, stock_plan
from rules.inventory_guard import GuardLimits, hold_for
from services.ledger import take_over_expired
from services.runs import beat, lease_until, note_params
from sync.inventory.approval import use_confirmation
from sync.inventory.reading import StockScope, read_sides
from sync.inventory.writing import StockWriter
from sync.workflow import WorkflowRun

REPORT_ROWS = 500  # preview and report rows kept on a run (the totals count them all)
CONFIRM_FIX = (
    "Check the numbers. If they are right (QuickBooks holds the stock you expect), confirm this "
    "update once on the Stock page; otherwise correct QuickBooks and it is read again next run."
)


class StockHeld(DataError):
    """The guard held the plan: nothing was written."""


class InventorySync(WorkflowRun):
    """One run of the stock push for one shop."""

    @property
    def settings(self) -> InventorySettings:
        """The shop's stock settings."""
        return self.shop.inventory_settings

    @property
    def location(self) -> str:
        """The chosen Shopify location (a run without one is refused)."""
        location = self.settings.shopify_location_id
        if not location:
            raise DataError(
                "No Shopify location is chosen for stock",
                "Choose the location in the Stock settings.",
            )
        return location

    def _writer(self) -> StockWriter:
        """The ledger writer of this execution."""
        return StockWriter(self.shop, self.run, self.owner, self.shopify, self.location)

    def recover(self, previous_owner: str | None = None) -> None:
        """Finish the batches a stopped execution left in flight, before reading anything."""
        groups = take_over_expired(
            self.shop.id, LedgerKind.INVENTORY_LEVEL, self.owner, lease_until(), previous_owner
        )
        if groups:
            self.counts["updated"] += self._writer().recover(groups)

    def _refuse_unless_enabled(self) -> None:
        """Stock is only written once the merchant saw the preview and turned the push on."""
        settings = self.settings
        if not (settings.enabled and settings.opening_stock_confirmed):
            raise DataError(
                "Setting Shopify stock from QuickBooks is off for this shop",
                "Look through the stock preview, approve it and turn it on in the Stock settings.",
            )
        if settings.preview_approved_at is None:
            raise DataError(
                "The stock preview was never approved",
                "Run the stock preview and approve it on the Stock page.",
            )

    def run_all(
        self,
        scope: StockScope,
        progress: Callable[[int, int], None] | None = None,
        pass_on: Callable[[], bool] | None = None,
    ) -> bool:
        """Read, plan, guard and write; never stops early for other shops (False)."""
        if not self.run.dry_run:
            self._refuse_unless_enabled()
        match_field = self.shop.sales_settings.sku_match_field.value
        sides = read_sides(self.qb, self.shopify, scope, self.location, match_field)
        tracked = None if sides.whole else scope.tracked
        plan = stock_plan(sides.items, sides.variants, tracked, whole_catalogue=sides.whole)
        self._note_read(plan, sides.whole, sides.qbo_time)
        if self.run.dry_run:
            self._preview(plan)
            return False
        self._guard(plan, scope)
        self._write(plan, progress)
        return False

    def _note_read(self, plan: StockPlan, whole: bool, qbo_time: str | None) -> None:
        """Keep what was read on the run: the scope, the catalogue's size, the totals and the
        lines that need the merchant's eye (one-sided, untracked, ambiguous)."""
        report = [line.as_row() for line in plan.lines if line.outcome not in _WRITTEN]
        values: dict = {"full_read": whole, "totals": plan.totals(), "report": report[:REPORT_ROWS]}
        values["qbo_time"] = qbo_time or (self.run.params or {}).get("qbo_time")
        if whole:
            values["tracked"] = plan.tracked
        note_params(self.run, self.owner, **values)
        self.counts["skipped"] = len(report)  # this read's, not added again on a retry
        total = len(plan.changes)
        beat(self.run, self.owner, self.counts, 0, total)

    def _preview(self, plan: StockPlan) -> None:
        """The dry run: the table the page shows, and whether the guard would hold it."""
        hold = hold_for(plan, self._limits())
        rows = [line.as_row() for line in plan.lines if line.outcome != Outcome.IN_STEP]
        preview = {
            "rows": rows[:REPORT_ROWS],
            "truncated": len(rows) > REPORT_ROWS,
            "totals": plan.totals(),
            "hold": hold.as_dict() if hold else None,
        }
        note_params(self.run, self.owner, preview=preview)
        for row in rows:
            if self.show is not None:
                self.show(row)
        self.counts["would_change"] += len(plan.changes)

    def _limits(self) -> GuardLimits:
        """The merchant's guard limits."""
        return GuardLimits(self.settings.max_zero_share, self.settings.max_change_share)

    def _guard(self, plan: StockPlan, scope: StockScope) -> None:
        """Stop before writing anything when the plan empties or churns too much of the store;
        a confirmed hold is used up by the run it lets through."""
        hold = hold_for(plan, self._limits(), scope.confirmed)
        if hold is not None:
            note_params(self.run, self.owner, hold=hold.as_dict())
            raise StockHeld(hold.reason(), CONFIRM_FIX)
        if scope.confirmed_run_id is not None and hold_for(plan, self._limits()) is not None:
            use_confirmation(scope.confirmed_run_id, self.run.id)

    def _write(self, plan: StockPlan, progress: Callable[[int, int], None] | None) -> None:
        """The changes, in batches; each batch's outcome counted as it is recorded."""
        changes, writer = plan.changes, self._writer()
        writer.clear_in_step([line for line in plan.lines if line.outcome == Outcome.IN_STEP])
        for batch, start in enumerate(range(0, len(changes), WRITE_BATCH)):
            outcome = writer.write(changes[start : start + WRITE_BATCH], batch)
            self.counts.update(outcome)
            done = min(start + WRITE_BATCH, len(changes))
            beat(self.run, self.owner, self.counts, done)
            if progress:
                progress(done, len(changes))


_WRITTEN = (Outcome.CHANGE, Outcome.IN_STEP)
