"""GET/PUT /api/settings: every workflow option, per section, validated with errors naming the
field; GET /api/settings/schema: how each option is described and picked. The embedded pages sit
on this API; the options themselves are declared in settings_schema."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request

from blueprints.session import session_token_required
from blueprints.settings_checks import cross_checks
from blueprints.settings_fields import SECTIONS, FieldError, serialise
from blueprints.settings_mappings import mapping_lists, update_mappings
from extensions import db
from models import (
    InventorySettings,
    PaymentGatewayMapping,
    ProductSettings,
    SalesSettings,
    Shop,
    SyncSettings,
    TaxMapping,
    utcnow,
)
from settings_schema import describe_all

bp = Blueprint("settings", __name__, url_prefix="/api")

TERMS_VERSION = "2026-11"
MODELS = {
    "sales_settings": SalesSettings,
    "product_settings": ProductSettings,
    "inventory_settings": InventorySettings,
    "sync_settings": SyncSettings,
}
DOCUMENT_KEYS = (*(section.name for section in SECTIONS), "tax_mappings", "gateway_mappings")


def settings_document(shop: Shop) -> dict[str, Any]:
    """The shop's whole settings document."""
    document: dict[str, Any] = {}
    for section in SECTIONS:
        row = getattr(shop, section.model_attr)
        document[section.name] = {name: serialise(getattr(row, name)) for name in section.fields}
    sync = shop.sync_settings
    document["sync"]["terms_accepted_at"] = serialise(sync.terms_accepted_at)
    document["sync"]["terms_version"] = sync.terms_version
    document["tax_mappings"] = [
        {
            "id": m.id,
            "title": m.title,
            "rate": str(m.rate),
            "country_code": m.country_code,
            "region_code": m.region_code,
            "qbo_tax_code_id": m.qbo_tax_code_id,
            "qbo_tax_rate_id": m.qbo_tax_rate_id,
        }
        for m in db.session.query(TaxMapping).filter_by(shop_id=shop.id).order_by(TaxMapping.id)
    ]
    document["gateway_mappings"] = [
        {
            "gateway": m.gateway,
            "qbo_clearing_account_id": m.qbo_clearing_account_id,
            "qbo_payment_method_id": m.qbo_payment_method_id,
        }
        for m in db.session.query(PaymentGatewayMapping)
        .filter_by(shop_id=shop.id)
        .order_by(PaymentGatewayMapping.gateway)
    ]
    return document


def document_shape(body: object) -> dict[str, str]:
    """Errors of the document's outline (400): an object of known sections and lists."""
    if not isinstance(body, dict):
        return {"": "send a JSON object of sections"}
    errors = {
        str(key)[:100]: f"is not a settings section; use {', '.join(DOCUMENT_KEYS)}"
        for key in body
        if key not in DOCUMENT_KEYS
    }
    for section in SECTIONS:
        if body.get(section.name) is not None and not isinstance(body[section.name], dict):
            errors[section.name] = "must be an object of settings"
    return errors | mapping_lists(body)


def apply_sections(shop: Shop, body: dict[str, Any]) -> dict[str, str]:
    """Parse and assign every field present; returns errors by dotted field name."""
    errors: dict[str, str] = {}
    for section in SECTIONS:
        data = body.get(section.name) or {}
        row = getattr(shop, section.model_attr)
        for name, value in data.items():
            parse = section.fields.get(name)
            if parse is None:
                if not (section.name == "sync" and name == "accept_terms"):
                    errors[f"{section.name}.{name}"[:200]] = "is not a setting"
                continue
            try:
                setattr(row, name, parse(value))
            except FieldError as exc:
                errors[f"{section.name}.{name}"] = str(exc)
    if (body.get("sync") or {}).get("accept_terms") is True:
        shop.sync_settings.terms_accepted_at = utcnow()
        shop.sync_settings.terms_version = TERMS_VERSION
    return errors


@bp.get("/settings")
@session_token_required
def read():
    """The authenticated shop's settings, defaults filled in."""
    g.shop.ensure_settings()
    db.session.commit()
    return jsonify(settings_document(g.shop))


@bp.get("/settings/schema")
@session_token_required
def schema():
    """Every section's settings as the page renders them: type, default, choices, label, help
    text, picker and step (plus pydantic's JSON Schema of the section)."""
    return jsonify(describe_all())


@bp.put("/settings")
@session_token_required
def write():
    """Change any fields of any sections; all or nothing, with every error named."""
    body = request.get_json()  # not JSON, NaN or nested past 64 levels: 400 naming why
    shape = document_shape(body)
    if shape:
        return jsonify(error="invalid", errors=shape), 400
    shop = g.shop
    shop.ensure_settings()
    with db.session.no_autoflush:  # friendly errors first; the database constraints back them up
        errors = apply_sections(shop, body) | update_mappings(shop, body)
        errors |= {} if errors else cross_checks(shop)
    if errors:
        db.session.rollback()
        return jsonify(error="invalid", errors=errors), 422
    db.session.commit()
    return jsonify(settings_document(shop))
