"""Decimal helpers: every amount is a Decimal quantised to cents only where QBO rounds."""

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


def cents(value: Decimal) -> Decimal:
    """Round half-up to the cent."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
