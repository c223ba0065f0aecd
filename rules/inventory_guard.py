"""The safety guard of the stock push: a plan that would empty a live store stops before writing.

A plan that sets more than `max_zero_share` of the tracked variants to zero, or changes more
than `max_change_share` of them at once, is held: nothing is written, and the numbers are kept
for the merchant, who may confirm that very plan once (a confirmed plan goes through as long as
it zeroes and changes no more than the numbers confirmed).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rules.inventory import StockPlan

SHARE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class GuardLimits:
    """The merchant's limits (settings: inventory.max_zero_share, inventory.max_change_share)."""

    max_zero_share: Decimal
    max_change_share: Decimal


@dataclass(frozen=True)
class Hold:
    """Why a plan was held: its numbers and the limits they broke."""

    zeroes: int
    changes: int
    tracked: int
    zero_share: Decimal
    change_share: Decimal
    max_zero_share: Decimal
    max_change_share: Decimal

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready numbers (shares as text: they are exact decimals)."""
        return {k: str(v) if isinstance(v, Decimal) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Hold:
        """The numbers as stored by `as_dict`."""
        return cls(
            int(data["zeroes"]),
            int(data["changes"]),
            int(data["tracked"]),
            Decimal(data["zero_share"]),
            Decimal(data["change_share"]),
            Decimal(data["max_zero_share"]),
            Decimal(data["max_change_share"]),
        )

    def reason(self) -> str:
        """The hold in the merchant's words."""
        parts = []
        if self.zero_share > self.max_zero_share:
            parts.append(
                f"would set {self.zeroes} of {self.tracked} tracked variants to zero "
                f"({_percent(self.zero_share)}, the limit is {_percent(self.max_zero_share)})"
            )
        if self.change_share > self.max_change_share:
            parts.append(
                f"would change {self.changes} of {self.tracked} tracked variants at once "
                f"({_percent(self.change_share)}, the limit is {_percent(self.max_change_share)})"
            )
        return "The stock update was held before writing anything: it " + " and ".join(parts)


def _percent(share: Decimal) -> str:
    """0.1 → '10 %'."""
    return f"{(share * 100).normalize():f} %"


def share(part: int, whole: int) -> Decimal:
    """part / whole to four places; a plan over no tracked variant has shares of 1 when it
    writes anything (nothing is known of the catalogue, so nothing is assumed safe)."""
    if whole <= 0:
        return Decimal(1) if part else Decimal(0)
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def hold_for(plan: StockPlan, limits: GuardLimits, confirmed: Hold | None = None) -> Hold | None:
    """The hold stopping this plan, or None when it may be written. A plan the merchant
    confirmed goes through when it zeroes and changes no more than what was confirmed."""
    changes, zeroes, tracked = len(plan.changes), plan.zeroes, plan.tracked
    hold = Hold(
        zeroes,
        changes,
        tracked,
        share(zeroes, tracked),
        share(changes, tracked),
        limits.max_zero_share,
        limits.max_change_share,
    )
    over = hold.zero_share > hold.max_zero_share or hold.change_share > hold.max_change_share
    if not over:
        return None
    if confirmed is not None and zeroes <= confirmed.zeroes and changes <= confirmed.changes:
        return None
    return hold
