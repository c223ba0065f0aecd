"""Why an order cannot be posted, in words a merchant can act on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One reason an order cannot be posted, and the fix."""

    code: str
    reason: str
    fix: str

    def __str__(self) -> str:
        return f"{self.reason}: {self.fix}"


@dataclass(frozen=True)
class Problems:
    """Every reason an order cannot be posted (what the ledger records)."""

    items: tuple[Problem, ...]

    def __str__(self) -> str:
        return "; ".join(str(p) for p in self.items)

    @property
    def codes(self) -> list[str]:
        """The problem codes, in order."""
        return [p.code for p in self.items]
