"""Dry run of the products workflow: what each variant would become, nothing written anywhere
(no ledger row either; QuickBooks is only read)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from extensions import db
from models import LedgerEntry, LedgerKind, LedgerStatus
from rules.products import ShopifyVariant
from sync.products.posting import plan_write

if TYPE_CHECKING:
    from sync.products.run import ProductsSync


def known_rows(shop_id: int, variants: list[ShopifyVariant]) -> dict[str, LedgerEntry]:
    """The ledger's rows of these variants, with unsaved stand-ins for the others."""
    ids = [v.variant_id for v in variants]
    rows = {
        r.shopify_id: r
        for r in db.session.scalars(
            select(LedgerEntry).where(
                LedgerEntry.shop_id == shop_id,
                LedgerEntry.kind == LedgerKind.PRODUCT_VARIANT,
                LedgerEntry.shopify_id.in_(ids),
            )
        )
    }
    for variant_id in ids:
        if variant_id not in rows:  # never added to the session: never saved
            rows[variant_id] = LedgerEntry(shopify_id=variant_id, status=LedgerStatus.PENDING)
    return rows


def preview(sync: ProductsSync, variants: list[ShopifyVariant]) -> None:
    """Show, for each variant with something to do, the item it would create or the update."""
    for entry, variant, why in sync.triage(variants, known_rows(sync.shop.id, variants)):
        line: dict = {"variant": variant.display_name, "sku": variant.sku}
        if why is not None:
            line["failed"] = f"{why[0]} — {why[1]}"
            line["reason"], line["fix"] = why
            sync.counts["failed"] += 1
        else:
            made = plan_write(entry, variant, sync.items, sync.options)
            action = made.op or ("link" if not entry.qbo_id else "unchanged")
            line[action] = made.payload or made.qbo_id
            sync.counts[f"would_{action}"] += 1
        if sync.show is not None:
            sync.show(line)
