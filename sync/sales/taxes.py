"""Taxes and gateways seen on a shop's orders: kept for the mapping pages, read back as lookups."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select, tuple_, update

from extensions import db
from models import PaymentGatewayMapping, Shop, TaxMapping, upsert_statement, utcnow
from rules.orders import ShopifyOrder
from rules.settings import ResolvedIds, SalesOptions, TaxCodeRates
from rules.taxes import tax_label


def seen_taxes(orders: list[ShopifyOrder]) -> dict[tuple[str, str], Decimal]:
    """(label, country) → combined rate of every distinct tax combination on these orders."""
    found: dict[tuple[str, str], Decimal] = {}
    for order in orders:
        groups = [li.tax_lines for li in order.line_items]
        groups += [s.tax_lines for s in order.shipping_lines]
        for group in filter(None, groups):
            rate = sum((t.rate for t in group), Decimal(0)).quantize(Decimal("0.000001"))
            found[(tax_label(group), (order.country_code or "").upper()[:2])] = rate
    return found


def remember_taxes(shop: Shop, orders: list[ShopifyOrder]) -> None:
    """Add new Shopify tax combinations to the shop's tax-mapping list (unmapped). Two runs
    meeting the same new tax at once make one row: the database keeps the first."""
    known = {
        (m.title, m.country_code)
        for m in db.session.scalars(select(TaxMapping).filter_by(shop_id=shop.id))
    }
    now = utcnow()
    seen = seen_taxes(orders)
    again = [(label[:255], country) for label, country in seen if (label[:255], country) in known]
    if again:
        db.session.execute(
            update(TaxMapping)
            .where(TaxMapping.shop_id == shop.id)
            .where(tuple_(TaxMapping.title, TaxMapping.country_code).in_(again))
            .values(last_seen_at=now)
        )
    rows = [
        {
            "shop_id": shop.id,
            "title": label[:255],
            "rate": rate,
            "country_code": country,
            "region_code": "",
            "last_seen_at": now,
            "created_at": now,
            "updated_at": now,
        }
        for (label, country), rate in seen.items()
        if (label[:255], country) not in known
    ]
    _insert_new(TaxMapping, rows)


def remember_gateways(shop: Shop, orders: list[ShopifyOrder]) -> None:
    """Add newly seen payment gateways to the shop's gateway-mapping list (race-safe too)."""
    gateways = {t.gateway[:255] for o in orders for t in o.transactions if t.gateway}
    known = set(
        db.session.scalars(select(PaymentGatewayMapping.gateway).filter_by(shop_id=shop.id))
    )
    now = utcnow()
    _insert_new(
        PaymentGatewayMapping,
        [
            {"shop_id": shop.id, "gateway": g, "created_at": now, "updated_at": now}
            for g in sorted(gateways - known)
        ],
    )


def _insert_new(model: type, rows: list[dict]) -> None:
    """INSERT … ON CONFLICT DO NOTHING: a row another run added meanwhile is kept."""
    if rows:
        db.session.execute(upsert_statement(model).on_conflict_do_nothing(), rows)
    db.session.commit()


def tax_lookups(shop: Shop, options: SalesOptions, rates: dict[str, TaxCodeRates]) -> ResolvedIds:
    """The merchant's tax mapping as the rules key it ('label|CC' and 'label'), with QBO rates."""
    codes: dict[str, str] = {}
    for mapping in db.session.scalars(select(TaxMapping).filter_by(shop_id=shop.id)):
        if mapping.qbo_tax_code_id:
            key = (
                f"{mapping.title}|{mapping.country_code}" if mapping.country_code else mapping.title
            )
            codes[key] = mapping.qbo_tax_code_id
    return ResolvedIds(tax_codes=codes, tax_rates=rates)
