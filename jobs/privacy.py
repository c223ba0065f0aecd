"""Shopify's mandatory privacy webhooks: customer data request, customer redact, shop redact.

Ledgerbridge stores no names, emails, phones or addresses: only Shopify and QBO ids, amounts and
statuses. Ledger rows of redacted customers keep the order ids (exactly-once posting needs them)
and lose the customer link and any error text. The QuickBooks books themselves are the merchant's
accounting records and are not touched.
ref: https://shopify.dev/docs/apps/build/privacy-law-compliance
"""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update

from extensions import db
from jobs import cancel_shop_jobs
from jobs.context import with_app_context
from models import LedgerEntry, PrivacyRequest, PrivacyRequestKind, ProcessedWebhook, Shop, utcnow
from services.writes import rows_changed


def _customer_rows(shop: Shop, payload: dict, orders_key: str):
    """The condition selecting ledger rows about this customer or the listed orders."""
    customer_id = str((payload.get("customer") or {}).get("id", ""))
    order_ids = [str(order_id) for order_id in payload.get(orders_key) or []]
    return customer_id, (LedgerEntry.shop_id == shop.id) & or_(
        LedgerEntry.shopify_customer_id == customer_id,
        LedgerEntry.shopify_id.in_(order_ids) | LedgerEntry.parent_shopify_id.in_(order_ids),
    )


@with_app_context
def customer_data_request(shop_domain: str, payload: dict) -> dict | None:
    """Assemble what Ledgerbridge holds about a customer, for the merchant to hand over."""
    shop = Shop.by_domain(shop_domain)
    if shop is None:
        return None
    customer_id, condition = _customer_rows(shop, payload, "orders_requested")
    rows = db.session.scalars(select(LedgerEntry).where(condition).order_by(LedgerEntry.id))
    report = {
        "shopify_customer_id": customer_id,
        "stored_personal_data": "none: Ledgerbridge keeps ids, amounts and sync statuses only",
        "records": [
            {
                "kind": row.kind.value,
                "shopify_id": row.shopify_id,
                "shopify_name": row.shopify_name,
                "qbo_type": row.qbo_type,
                "qbo_id": row.qbo_id,
                "qbo_doc_number": row.qbo_doc_number,
                "status": row.status.value,
                "posted_at": row.posted_at.isoformat() if row.posted_at else None,
            }
            for row in rows
        ],
    }
    request_id = str((payload.get("data_request") or {}).get("id", "")) or None
    db.session.add(
        PrivacyRequest(
            shop_id=shop.id,
            kind=PrivacyRequestKind.DATA_REQUEST,
            shopify_request_id=request_id,
            completed_at=utcnow(),
            report=report,
        )
    )
    db.session.commit()
    return report


@with_app_context
def redact_customer(shop_domain: str, payload: dict) -> int:
    """Erase the customer link and error texts of their rows; returns how many rows changed."""
    shop = Shop.by_domain(shop_domain)
    if shop is None:
        return 0
    customer_id, condition = _customer_rows(shop, payload, "orders_to_redact")
    result = db.session.execute(
        update(LedgerEntry)
        .where(condition)
        .values(shopify_customer_id=None, last_error=None, last_error_fix=None)
    )
    reports = db.session.scalars(
        select(PrivacyRequest).where(
            PrivacyRequest.shop_id == shop.id,
            PrivacyRequest.kind == PrivacyRequestKind.DATA_REQUEST,
        )
    )
    for request in reports:  # earlier data-request reports name the customer's records
        if request.report and request.report.get("shopify_customer_id") == customer_id:
            db.session.delete(request)
    db.session.add(
        PrivacyRequest(
            shop_id=shop.id,
            kind=PrivacyRequestKind.CUSTOMER_REDACT,
            completed_at=utcnow(),
            report={"rows_redacted": rows_changed(result)},
        )
    )
    db.session.commit()
    return rows_changed(result)


@with_app_context
def redact_shop(shop_domain: str, payload: dict | None = None) -> bool:
    """Erase everything of the shop: the shop row cascades to every table that belongs to it."""
    cancel_shop_jobs(shop_domain)
    shop = Shop.by_domain(shop_domain)
    db.session.execute(delete(ProcessedWebhook).where(ProcessedWebhook.shop_domain == shop_domain))
    if shop is not None:
        db.session.delete(shop)
    db.session.commit()
    return shop is not None
