"""Money in two currencies at once (shop and presentment) and Shopify's rounding helpers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# Currencies without minor units (ISO 4217 exponent 0); every other currency has two decimals.
ZERO_DECIMAL = {"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "XPF", "PYG", "RWF"}
ZERO = Decimal(0)


def exponent(currency: str) -> Decimal:
    """The quantum of a currency: Decimal("0.01"), or Decimal("1") for JPY and friends."""
    return Decimal(1) if currency in ZERO_DECIMAL else Decimal("0.01")


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit."""
    return amount.quantize(exponent(currency), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Bag:
    """One amount in the shop's currency and in the order's presentment currency (a MoneyBag)."""

    shop: Decimal
    presentment: Decimal

    @classmethod
    def zero(cls) -> Bag:
        """0 in both currencies."""
        return cls(ZERO, ZERO)

    def __add__(self, other: Bag) -> Bag:
        return Bag(self.shop + other.shop, self.presentment + other.presentment)

    def __sub__(self, other: Bag) -> Bag:
        return Bag(self.shop - other.shop, self.presentment - other.presentment)

    def __neg__(self) -> Bag:
        return Bag(-self.shop, -self.presentment)

    def is_zero(self) -> bool:
        """True when the shop amount is 0."""
        return self.shop == 0


def total(bags: Iterable[Bag]) -> Bag:
    """The sum of bags."""
    result = Bag.zero()
    for bag in bags:
        result = result + bag
    return result


@dataclass(frozen=True)
class Currencies:
    """The shop currency, the presentment currency and the rate between them."""

    shop: str
    presentment: str
    rate: Decimal = Decimal(1)

    def round(self, bag: Bag) -> Bag:
        """Each side rounded to its currency's minor unit."""
        return Bag(quantize(bag.shop, self.shop), quantize(bag.presentment, self.presentment))

    def scale(self, bag: Bag, factor: Decimal) -> Bag:
        """bag × factor, rounded."""
        return self.round(Bag(bag.shop * factor, bag.presentment * factor))

    def times(self, bag: Bag, quantity: int) -> Bag:
        """bag × an integer quantity (exact)."""
        return Bag(bag.shop * quantity, bag.presentment * quantity)

    def from_shop(self, amount: Decimal) -> Bag:
        """A shop-currency amount with its presentment equivalent at the order's rate."""
        return self.round(Bag(amount, amount * self.rate))

    def from_input(self, money_bag: dict[str, Any] | None) -> Bag:
        """A MoneyBagInput ({shopMoney, presentmentMoney?}) as a Bag."""
        if not money_bag:
            return Bag.zero()
        shop = Decimal(str(money_bag["shopMoney"]["amount"]))
        pres = money_bag.get("presentmentMoney")
        if pres is None:
            return self.from_shop(shop)
        return self.round(Bag(shop, Decimal(str(pres["amount"]))))

    def allocate(self, amount: Bag, weights: Sequence[Bag]) -> list[Bag]:
        """Split `amount` across lines in proportion to `weights`; the last line takes the
        rounding remainder so the parts add up exactly."""
        weight_total = total(weights)
        parts: list[Bag] = []
        for weight in weights[:-1]:
            share = Bag(
                amount.shop * weight.shop / weight_total.shop if weight_total.shop else ZERO,
                amount.presentment * weight.presentment / weight_total.presentment
                if weight_total.presentment
                else ZERO,
            )
            parts.append(self.round(share))
        if weights:
            parts.append(amount - total(parts))
        return parts

    def money_bag(self, bag: Bag) -> dict[str, Any]:
        """The GraphQL MoneyBag object (Decimal scalars serialized as strings)."""
        bag = self.round(bag)
        return {
            "shopMoney": {"amount": str(bag.shop), "currencyCode": self.shop},
            "presentmentMoney": {"amount": str(bag.presentment), "currencyCode": self.presentment},
        }
