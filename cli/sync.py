"""`flask sync SHOP …` runs a sync in the foreground; `flask repair-payments SHOP [--dry-run]` posts
the payments of invoices posted without them."""

from __future__ import annotations

import importlib
import json
import sys
from dataclasses import asdict, is_dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import click

from clients.errors import SyncError
from extensions import db
from models import Shop, SyncRun, Trigger, Workflow
from services.runs import queue_run

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

WORKFLOWS = {
    "sales": "jobs.sales_job.sync_orders",
    "products": "jobs.products_job.sync_products",
    "inventory": "jobs.inventory_job.push_stock_levels",
}
# Workflows that read what changed since a time (inventory asks QBO for its own changes).
SINCE_WORKFLOWS = {"sales", "products"}


def _json(value: object) -> object:
    """Dataclasses, Decimals and dates printable as JSON."""
    return asdict(value) if is_dataclass(value) and not isinstance(value, type) else str(value)


class Progress:
    """A click progress bar created once the run knows how many orders it will read."""

    def __init__(self, label: str = "orders") -> None:
        self.label = label
        self.bar: ProgressBar[int] | None = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        bar = self.bar
        if bar is None:
            bar = self.bar = click.progressbar(
                length=max(total, done),
                label=self.label,
                show_pos=True,
                file=sys.stderr,
            )
            bar.__enter__()
        bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _show(line: dict) -> None:
    """One dry-run line: the document an order would become, or why it would not."""
    click.echo(json.dumps(line, default=_json, sort_keys=True))


@click.command("sync")
@click.argument("shop_domain")
@click.option(
    "--workflow", type=click.Choice(sorted(WORKFLOWS)), default="sales", show_default=True
)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    help="Only orders (or products) updated since then (default: from the last complete run).",
)
@click.option("--dry-run", is_flag=True, help="Print what it would write; write nothing.")
def sync(shop_domain: str, workflow: str, since: datetime | None, dry_run: bool) -> None:
    """Run a sync now, in the foreground, with a progress bar and a summary."""
    from jobs.sales_triggers import last_sync_start

    shop = Shop.by_domain(shop_domain)
    if shop is None:
        raise click.ClickException(f"{shop_domain} has not installed Ledgerbridge")
    run = queue_run(shop.id, Workflow(workflow), Trigger.CLI, dry_run=dry_run)
    options: dict = {}
    if workflow in SINCE_WORKFLOWS:
        start = since or last_sync_start(shop.id, Workflow(workflow))
        options["since"] = start.isoformat() if start else None
    module, _, name = WORKFLOWS[workflow].rpartition(".")
    job = getattr(importlib.import_module(module), name)
    progress = Progress(label="orders" if workflow == "sales" else workflow)
    try:
        counts = job(
            shop.id,
            run.id,
            dry_run=dry_run,
            show=_show if dry_run else None,
            progress=progress,
            **options,
        )
    except SyncError as exc:
        raise click.ClickException(
            f"stopped: {exc.reason} (run {run.id}; run again to resume)"
        ) from exc
    finally:
        progress.close()
    db.session.expire_all()
    run = db.session.get(SyncRun, run.id) or run
    done = counts if isinstance(counts, dict) else {}  # a foreground run never returns Retry
    parts = [f"{n} {k.replace('_', ' ')}" for k, n in sorted(done.items())]
    summary = ", ".join(parts) or "nothing to do"
    click.echo(
        f"run {run.id} {run.status.value}: {summary}" + (f" — {run.error}" if run.error else "")
    )
    if run.error:
        raise SystemExit(1)


def _show_repair(repair: object) -> None:
    """One repaired (or previewed) invoice."""
    click.echo(json.dumps(repair, default=_json, sort_keys=True))


@click.command("repair-payments")
@click.argument("shop_domain")
@click.option("--dry-run", is_flag=True, help="Print what it would pay; post and record nothing.")
def repair_payments(shop_domain: str, dry_run: bool) -> None:
    """Post the missing payments of invoices posted without them, exactly once."""
    from sync.sales.repair import run_repair

    shop = Shop.by_domain(shop_domain)
    if shop is None:
        raise click.ClickException(f"{shop_domain} has not installed Ledgerbridge")
    progress = Progress(label="invoices")
    try:
        counts = run_repair(shop, dry_run=dry_run, show=_show_repair, progress=progress)
    except SyncError as exc:
        raise click.ClickException(f"stopped: {exc.reason} (run again to resume)") from exc
    finally:
        progress.close()
    parts = [f"{n} {k.replace('_', ' ')}" for k, n in sorted(counts.items())]
    prefix = "dry run, nothing written: " if dry_run else ""
    click.echo(prefix + (", ".join(parts) or "no invoice is missing its payment"))
    if counts.get("failed"):
        raise SystemExit(1)
