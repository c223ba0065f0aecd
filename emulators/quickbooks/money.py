"""Decimal helpers: every amount is a Decimal, rounded to its currency's minor unit only where
QBO rounds."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal("0")


def dec(value: Any, default: Decimal = ZERO) -> Decimal:
    """A Decimal from JSON input (Decimal, int, numeric string); `default` when empty."""
    if value is None or value == "" or isinstance(value, bool):
        return default
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return default


def to_unit(value: Decimal, unit: Decimal = CENT) -> Decimal:
    """Round half-up to a currency's minor unit (CENT; 1 for JPY; 0.001 for KWD)."""
    return value.quantize(unit, rounding=ROUND_HALF_UP)
