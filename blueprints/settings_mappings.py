"""PUT /api/settings, mappings part: Shopify taxes to QBO tax codes/rates, gateways to clearing
accounts. Every entry is type-checked and the lists are bounded before any row is touched."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from blueprints.settings_fields import FieldError, qbo_id, text_value
from extensions import db
from models import PaymentGatewayMapping, Shop, TaxMapping
from request_limits import MAX_DB_ID

# Far more taxes or gateways than one shop meets; one PUT once created 3,000 gateway rows.
MAX_MAPPINGS = 200
TAX_IDS = ("qbo_tax_code_id", "qbo_tax_rate_id")
GATEWAY_IDS = ("qbo_clearing_account_id", "qbo_payment_method_id")
# Read-only columns GET returns; a client may send an entry back as it read it.
TAX_KEYS = frozenset(
    {"id", "title", "rate", "country_code", "region_code", "suggested_qbo_tax_code_id", *TAX_IDS}
)
GATEWAY_KEYS = frozenset({"gateway", *GATEWAY_IDS})


def mapping_lists(body: dict[str, Any]) -> dict[str, str]:
    """Shape errors of the two lists (400): each is absent, null or a list of at most 200."""
    errors: dict[str, str] = {}
    for key in ("tax_mappings", "gateway_mappings"):
        value = body.get(key)
        if value is not None and not isinstance(value, list):
            errors[key] = "must be a list of objects"
        elif value is not None and len(value) > MAX_MAPPINGS:
            errors[key] = f"has {len(value)} entries; send at most {MAX_MAPPINGS}"
    return errors


def database_id(value: Any) -> int:
    """A row id as GET returned it: a whole number from 1 to 2**31 - 1."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DB_ID:
        raise FieldError("must be the id of a tax listed in tax_mappings")
    return value


def _entries(
    body: dict[str, Any], key: str, allowed: frozenset[str], errors: dict[str, str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, entry) of each well-formed entry; errors for the others."""
    for i, entry in enumerate(body.get(key) or []):
        if not isinstance(entry, dict):
            errors[f"{key}[{i}]"] = "must be an object"
            continue
        unknown = sorted(set(entry) - allowed)
        if unknown:
            errors[f"{key}[{i}].{unknown[0]}"] = "is not a mapping field"
            continue
        yield i, entry


def _set_ids(
    row: object,
    entry: dict[str, Any],
    names: tuple[str, ...],
    where: str,
    errors: dict[str, str],
    saved: list[str],
) -> None:
    """Assign the valid QBO id fields of a mapping entry; collect errors for the others and
    the dotted names of those assigned."""
    for name in names:
        if name in entry:
            try:
                setattr(row, name, qbo_id(entry[name]))
            except FieldError as exc:
                errors[f"{where}.{name}"] = str(exc)
            else:
                saved.append(f"{where}.{name}")


def _update_taxes(
    shop: Shop, body: dict[str, Any], errors: dict[str, str], saved: list[str]
) -> None:
    """Map taxes already seen on the shop's orders (never another shop's row)."""
    for i, entry in _entries(body, "tax_mappings", TAX_KEYS, errors):
        try:
            row = db.session.get(TaxMapping, database_id(entry.get("id")))
        except FieldError as exc:
            errors[f"tax_mappings[{i}].id"] = str(exc)
            continue
        if row is None or row.shop_id != shop.id:
            errors[f"tax_mappings[{i}].id"] = "is not a tax seen on this shop's orders"
            continue
        _set_ids(row, entry, TAX_IDS, f"tax_mappings[{i}]", errors, saved)


def _update_gateways(
    shop: Shop, body: dict[str, Any], errors: dict[str, str], saved: list[str]
) -> None:
    """Map gateways to clearing accounts; each gateway once, at most MAX_MAPPINGS per shop."""
    rows = {
        row.gateway: row
        for row in db.session.query(PaymentGatewayMapping).filter_by(shop_id=shop.id)
    }
    seen: set[str] = set()
    for i, entry in _entries(body, "gateway_mappings", GATEWAY_KEYS, errors):
        where = f"gateway_mappings[{i}]"
        try:
            gateway = text_value(entry.get("gateway"), 255).strip()
        except FieldError:
            gateway = ""
        if not gateway:
            errors[f"{where}.gateway"] = "name the Shopify payment gateway (up to 255 characters)"
            continue
        if gateway in seen:
            errors[f"{where}.gateway"] = f"{gateway!r} is listed twice"
            continue
        seen.add(gateway)
        if gateway not in rows and not _any_valid(entry, GATEWAY_IDS, where, errors):
            continue  # nothing to keep for a gateway not mapped before
        if gateway not in rows:
            if len(rows) >= MAX_MAPPINGS:
                errors["gateway_mappings"] = f"a shop maps at most {MAX_MAPPINGS} gateways"
                return
            rows[gateway] = PaymentGatewayMapping(shop_id=shop.id, gateway=gateway)
            db.session.add(rows[gateway])
        _set_ids(rows[gateway], entry, GATEWAY_IDS, where, errors, saved)


def _any_valid(entry: dict[str, Any], names: tuple[str, ...], where: str, errors: dict) -> bool:
    """True when the entry sets no id or a valid one (an entry whose ids all fail is skipped)."""
    sent = [name for name in names if name in entry]
    if not sent:
        return True
    valid = False
    for name in sent:
        try:
            qbo_id(entry[name])
            valid = True
        except FieldError as exc:
            errors[f"{where}.{name}"] = str(exc)
    return valid


def update_mappings(shop: Shop, body: dict[str, Any], saved: list[str]) -> dict[str, str]:
    """Apply the valid entries of both lists (already shape-checked by mapping_lists); errors by
    dotted field for the others, the dotted names of the fields assigned appended to `saved`."""
    errors: dict[str, str] = {}
    _update_taxes(shop, body, errors, saved)
    _update_gateways(shop, body, errors, saved)
    return errors
