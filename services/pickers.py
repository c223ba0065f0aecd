"""Choices for the settings pickers, read from QuickBooks and Shopify and cached for a while."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import current_app
from quickbooks.objects.account import Account
from quickbooks.objects.department import Department
from quickbooks.objects.item import Item
from quickbooks.objects.paymentmethod import PaymentMethod
from quickbooks.objects.taxcode import TaxCode
from quickbooks.objects.taxrate import TaxRate
from quickbooks.objects.trackingclass import Class
from sqlalchemy import select

from clients.errors import AuthError
from clients.shopify_paging import paginate
from clients.shopify_queries import LOCATIONS
from extensions import db
from models import PaymentGatewayMapping, Shop, TaxMapping
from services.quickbooks_connection import call_with_refresh
from services.shopify_api import call_with_refresh as call_with_shopify

CACHE_SECONDS = 300
# QBO AccountType values the pickers filter on (Finance.xsd AccountTypeEnum).
ACCOUNT_TYPES = (
    "Income",
    "Expense",
    "Cost of Goods Sold",
    "Other Current Asset",
    "Bank",
    "Other Current Liability",
    "Other Income",
)
# python-quickbooks objects carry no types: each picker reads them as Any.
QBO_KINDS: dict[str, tuple[Any, Callable[[Any], dict]]] = {
    "items": (
        Item,
        lambda o: {"id": o.Id, "name": o.Name, "sku": getattr(o, "Sku", None), "type": o.Type},
    ),
    "tax_codes": (TaxCode, lambda o: {"id": o.Id, "name": o.Name}),
    "tax_rates": (
        TaxRate,
        lambda o: {"id": o.Id, "name": o.Name, "rate": str(getattr(o, "RateValue", ""))},
    ),
    "classes": (Class, lambda o: {"id": o.Id, "name": o.FullyQualifiedName or o.Name}),
    "departments": (Department, lambda o: {"id": o.Id, "name": o.FullyQualifiedName or o.Name}),
    "payment_methods": (PaymentMethod, lambda o: {"id": o.Id, "name": o.Name}),
}


def _cached(key: str, load: Callable[[], list[dict]]) -> list[dict]:
    """Serve from Redis for a few minutes; pickers need not hit QBO on every keystroke."""
    redis = current_app.extensions["redis"]
    hit = redis.get(key)
    if hit is not None:
        return json.loads(hit)
    value = load()
    redis.set(key, json.dumps(value), ex=CACHE_SECONDS)
    return value


def _qbo_list(shop: Shop, model: Any, where: str) -> list:
    """Active QBO objects of a kind (up to 1000); a refused token is refreshed once first, and
    QBO's failures come out as `call_with_refresh` translates them (clients.quickbooks_faults)."""
    connection = shop.quickbooks_connection
    if connection is None:
        raise AuthError("QuickBooks is not connected", "Connect QuickBooks first.")
    return call_with_refresh(connection, lambda qb: model.where(where, max_results=1000, qb=qb))


def qbo_choices(shop: Shop, kind: str, account_type: str | None = None) -> list[dict]:
    """Items, accounts (by type), tax codes/rates, classes, locations, payment methods."""
    if kind == "accounts":
        # one type, or several comma-separated (deposit accounts: "Bank,Other Current Asset")
        types = (account_type or "").split(",")
        if not all(t in ACCOUNT_TYPES for t in types):
            raise ValueError(f"account type must be one of {', '.join(ACCOUNT_TYPES)}")
        quoted = ", ".join(f"'{t}'" for t in types)
        where = f"Active = true AND AccountType IN ({quoted})"
        return _cached(
            f"ledgerbridge-lookup:{shop.id}:accounts:{account_type}",
            lambda: [
                {"id": a.Id, "name": a.FullyQualifiedName or a.Name, "subtype": a.AccountSubType}
                for a in _qbo_list(shop, Account, where)
            ],
        )
    model, shape = QBO_KINDS[kind]
    return _cached(
        f"ledgerbridge-lookup:{shop.id}:{kind}",
        lambda: [shape(o) for o in _qbo_list(shop, model, "Active = true") if _choosable(kind, o)],
    )


def _choosable(kind: str, obj: Any) -> bool:
    """Whether a settings field can take the object. US companies list the pseudo tax codes TAX
    and NON among their TaxCodes, but those only go on lines of a US company's documents, which
    the sync sets itself (TAX where Shopify charged tax, NON elsewhere); every setting taking a
    tax code (untaxed lines, a Shopify tax's mapping) is for non-US companies and takes a
    numeric TaxCode id, so the pseudo codes are never offered."""
    return kind != "tax_codes" or str(obj.Id).isdigit()


def shopify_choices(shop: Shop, kind: str) -> list[dict]:
    """Taxes and gateways seen on the shop's orders; its locations (read from Shopify)."""
    if kind == "taxes":
        rows = db.session.scalars(
            select(TaxMapping).filter_by(shop_id=shop.id).order_by(TaxMapping.title)
        )
        return [
            {
                "id": r.id,
                "title": r.title,
                "rate": str(r.rate),
                "country_code": r.country_code,
                "region_code": r.region_code,
            }
            for r in rows
        ]
    if kind == "gateways":
        gateways = db.session.scalars(
            select(PaymentGatewayMapping)
            .filter_by(shop_id=shop.id)
            .order_by(PaymentGatewayMapping.gateway)
        )
        return [{"gateway": r.gateway} for r in gateways]
    return _cached(
        f"ledgerbridge-lookup:{shop.id}:locations",
        lambda: [
            {"id": n["id"], "name": n["name"]}
            for n in call_with_shopify(
                shop, lambda c: list(paginate(c, LOCATIONS, {}, "locations", page_size=50))
            )
            if n.get("isActive", True)
        ],
    )
