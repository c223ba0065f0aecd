"""Items of variants deleted in Shopify made inactive, when the merchant chose so.

QBO never deletes a name-list entity: it is made inactive (Active=false), which keeps the
history of documents that sold it. ref: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from clients.shopify_products import existing_variants
from extensions import db
from models import LedgerEntry, LedgerKind, LedgerStatus
from sync.products.posting import plan_deactivate
from sync.products.reading import BATCH

if TYPE_CHECKING:
    from sync.products.run import ProductsSync


def linked_rows(shop_id: int) -> list[LedgerEntry]:
    """The shop's variants linked to an item that is still active as far as the ledger knows."""
    rows = db.session.scalars(
        select(LedgerEntry)
        .where(
            LedgerEntry.shop_id == shop_id,
            LedgerEntry.kind == LedgerKind.PRODUCT_VARIANT,
            # pending or failed too: a row reopened for an update by an execution that died
            LedgerEntry.status.in_(
                [LedgerStatus.POSTED, LedgerStatus.PENDING, LedgerStatus.FAILED]
            ),
            LedgerEntry.qbo_id.is_not(None),
        )
        .order_by(LedgerEntry.id)
    ).all()
    return [r for r in rows if not (r.qbo_related or {}).get("inactive")]


def deactivate(sync: ProductsSync) -> None:
    """Make inactive the items of linked variants Shopify no longer has."""
    rows = linked_rows(sync.shop.id)
    if not rows:
        return
    alive = existing_variants(sync.shopify, [r.shopify_id for r in rows])
    gone = [r for r in rows if r.shopify_id not in alive]
    for start in range(0, len(gone), BATCH):
        won, request_id = sync.claim(gone[start : start + BATCH])
        if won:
            sync.post([plan_deactivate(e, sync.items) for e in won], request_id)
