"""Suggested QBO tax codes for the Shopify taxes not mapped yet (non-US companies): the active
TaxCodes whose combined sales rate equals the Shopify tax's rate, the nearest name winning a tie.
A QuickBooks failure suggests nothing rather than failing the settings page."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from typing import Any

from quickbooks.objects.taxcode import TaxCode
from quickbooks.objects.taxrate import TaxRate

from clients.errors import SyncError
from models import Shop, TaxMapping
from services.pickers import _cached, _qbo_list

log = logging.getLogger(__name__)


def _percent(value: Any) -> Decimal:
    try:
        return Decimal(str(value if value is not None else 0))
    except InvalidOperation:
        return Decimal(0)


def _read_codes(shop: Shop) -> list[dict]:
    """Active numeric-id TaxCodes with their combined sales percent (as a string)."""
    rates = {
        r.Id: _percent(getattr(r, "RateValue", 0))
        for r in _qbo_list(shop, TaxRate, "Active = true")
    }
    codes = []
    for code in _qbo_list(shop, TaxCode, "Active = true"):
        if not str(code.Id).isdigit():  # US pseudo codes TAX / NON
            continue
        details = getattr(getattr(code, "SalesTaxRateList", None), "TaxRateDetail", None) or []
        percent = sum((rates.get(d.TaxRateRef.value, Decimal(0)) for d in details), Decimal(0))
        codes.append({"id": str(code.Id), "name": code.Name or "", "percent": str(percent)})
    return codes


def company_tax_codes(shop: Shop) -> list[dict]:
    """The company's codes as `_read_codes` gives them, cached like the pickers' lists."""
    return _cached(f"ledgerbridge-lookup:{shop.id}:tax_code_percents", lambda: _read_codes(shop))


def similarity(a: str, b: str) -> float:
    """How alike two names are, case ignored (difflib's ratio, 0..1)."""
    return SequenceMatcher(None, a.casefold(), b.casefold()).ratio()


def best_code(title: str, rate: Decimal, codes: Iterable[dict]) -> str | None:
    """The id of the code whose combined percent equals rate × 100; of several, the one whose
    name is most like the title (then the lowest name, for a stable answer); None when none."""
    target = Decimal(rate) * 100
    matching = [c for c in codes if _percent(c["percent"]) == target]
    if not matching:
        return None
    best = min(matching, key=lambda c: (-similarity(title, c["name"]), c["name"], c["id"]))
    return str(best["id"])


def suggestions(shop: Shop, mappings: list[TaxMapping]) -> dict[int, str | None]:
    """Mapping id → suggested QBO TaxCode id (or None) for each mapping without a tax code.
    US or unconnected companies, and any QuickBooks failure: every suggestion is None."""
    todo = [m for m in mappings if not m.qbo_tax_code_id]
    out: dict[int, str | None] = {m.id: None for m in todo}
    connection = shop.quickbooks_connection
    if not todo or connection is None or (connection.country or "US").upper() == "US":
        return out
    try:
        codes = company_tax_codes(shop)
    except SyncError as exc:
        log.warning("tax code suggestions for shop %s skipped: %s", shop.id, exc)
        return out
    for m in todo:
        out[m.id] = best_code(m.title, m.rate, codes)
    return out
