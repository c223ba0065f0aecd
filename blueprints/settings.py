"""GET/PUT /api/settings: every workflow option, per section, validated with errors naming the
field; GET /api/settings/schema: how each option is described and picked. The embedded pages sit
on this API; the options themselves are declared in settings_schema."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request

from blueprints import setup
from blueprints.session import session_token_required
from blueprints.settings_checks import cross_checks, refused_fields
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
from services import tax_suggestions
from services.setup import TERMS_VERSION
from settings_schema import describe_all

bp = Blueprint("settings", __name__, url_prefix="/api")
bp.register_blueprint(setup.bp)  # GET /api/setup

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
    taxes = db.session.query(TaxMapping).filter_by(shop_id=shop.id).order_by(TaxMapping.id).all()
    suggested = tax_suggestions.suggestions(shop, taxes)
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
        # unmapped taxes: the code of the same rate, nearest by name (None: no code or no read)
        | ({} if m.qbo_tax_code_id else {"suggested_qbo_tax_code_id": suggested.get(m.id)})
        for m in taxes
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


def apply_sections(shop: Shop, body: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    """Parse and assign every valid field present. Returns the errors by dotted field name and
    the value each assigned field had before (by dotted name), so a refused one can be put back."""
    errors: dict[str, str] = {}
    before: dict[str, Any] = {}
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
                parsed = parse(value)
            except FieldError as exc:
                errors[f"{section.name}.{name}"] = str(exc)
                continue
            before[f"{section.name}.{name}"] = getattr(row, name)
            setattr(row, name, parsed)
    if (body.get("sync") or {}).get("accept_terms") is True:
        shop.sync_settings.terms_accepted_at = utcnow()
        shop.sync_settings.terms_version = TERMS_VERSION
    return errors, before


def forget_approval_of_another_location(shop: Shop, before: dict[str, Any]) -> None:
    """Stock approved for one Shopify location is not approved for another: once the location
    changes, the stock push waits for a preview of the new one to be approved."""
    settings = shop.inventory_settings
    old = before.get("inventory.shopify_location_id", settings.shopify_location_id)
    if old != settings.shopify_location_id:
        settings.preview_approved_at = None


def _put_back(shop: Shop, field: str, value: Any) -> None:
    """Restore one dotted field to the value it had before this save."""
    section_name, name = field.split(".", 1)
    section = next(s for s in SECTIONS if s.name == section_name)
    setattr(getattr(shop, section.model_attr), name, value)


def refuse_cross_field(shop: Shop, before: dict[str, Any]) -> dict[str, str]:
    """Run the cross-field checks over the applied changes and put back the changed fields each
    failing check refuses (settings_checks.refused_fields): the field it names, or the switch
    whose change made it apply. A check refusing nothing this save changed does not refuse it.
    Repeats until the checks pass for what is kept (a put-back value can fail another check)."""
    errors: dict[str, str] = {}
    for _ in range(len(before) + 1):
        refused: set[str] = set()
        for field, message in cross_checks(shop).items():
            names = [name for name in refused_fields(field) if name in before]
            if not names:
                continue
            errors.setdefault(field, message)
            for name in names:
                refused.add(name)
                errors.setdefault(name, f"not saved: {field} {message}")
        if not refused:
            break
        for name in refused:
            _put_back(shop, name, before.pop(name))
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
    """Change the fields sent, each on its own: the valid ones are saved, the invalid ones (and
    those a cross-field check refuses) are named in `errors` with a 422, the document read back
    either way, with `saved` listing the dotted names of the fields that were."""
    body = request.get_json()  # not JSON, NaN or nested past 64 levels: 400 naming why
    shape = document_shape(body)
    if shape:
        message = "the settings document is malformed"
        return jsonify(error="invalid", message=message, errors=shape), 400
    shop = g.shop
    shop.ensure_settings()
    saved: list[str] = []
    with db.session.no_autoflush:  # friendly errors first; the database constraints back them up
        errors, before = apply_sections(shop, body)
        errors |= update_mappings(shop, body, saved)
        errors |= refuse_cross_field(shop, before)
        forget_approval_of_another_location(shop, before)
    saved = sorted(before) + saved
    db.session.commit()
    document = settings_document(shop)
    if errors:
        message = f"{len(errors)} setting(s) not saved" + ("; the others were" if saved else "")
        body = {"error": "invalid", "message": message, "errors": errors}
        return jsonify(body | {"saved": saved, "settings": document}), 422
    return jsonify(document | {"saved": saved})
