"""Decimal money helpers: parse amounts, quantise to a currency's minor unit, split shares."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

ZERO = Decimal(0)
# ISO 4217 currencies without minor units; every other currency Shopify sells in has two.
ZERO_DECIMAL_CURRENCIES = frozenset(
    {
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "ISK",
        "JPY",
        "KMF",
        "KRW",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    }
)


def to_decimal(value: Any) -> Decimal:
    """A Decimal from a GraphQL amount (string, int or JSON float); 0 for None. Anything else
    (text that is no number, NaN, infinity) raises ValueError: a wrong amount is never booked as 0.
    """
    if value is None or isinstance(value, bool):
        return ZERO
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValueError(f"{str(value)[:40]!r} is not an amount")
    return amount


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of a currency: Decimal("0.01"), or Decimal("1") for JPY and friends."""
    return Decimal(1) if currency.upper() in ZERO_DECIMAL_CURRENCIES else Decimal("0.01")


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit (QBO and Shopify both round half up)."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def scale(amount: Decimal, numerator: int, denominator: int, currency: str) -> Decimal:
    """amount × numerator / denominator, rounded to the minor unit (exact when they are equal)."""
    if numerator == denominator:
        return amount
    if denominator == 0 or numerator == 0:
        return ZERO
    return quantize(amount * numerator / denominator, currency)


def remaining_share(amount: Decimal, current: int, original: int, currency: str) -> Decimal:
    """What is left of a line amount after refunding original − current units, as Shopify does.

    Shopify prices a refund line at amount × refunded / quantity, rounded; what remains on the
    order is the original amount minus that share.
    """
    return amount - scale(amount, original - current, original, currency)
