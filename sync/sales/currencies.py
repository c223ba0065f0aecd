"""The company's currency list: a document in a foreign currency needs it active in QBO.

QBO keeps the currencies a multi-currency company trades in as CompanyCurrency objects (the
Currencies list of Settings); customers and documents can only be in those. A currency an order
needs and the list lacks is added once; one the merchant turned off stays off and the order says so.
ref: https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-multiple-currencies
"""

from __future__ import annotations

from collections.abc import Iterable

from quickbooks import QuickBooks
from quickbooks.objects.companycurrency import CompanyCurrency

from clients.errors import DataError, SyncError
from clients.quickbooks_faults import sdk_call


class CompanyCurrencies:
    """What a run knows of the company's currency list (read once, added to as needed)."""

    def __init__(self, qb: QuickBooks, home: str) -> None:
        self.qb, self.home = qb, home
        self.active: dict[str, bool] | None = None

    def _read(self) -> dict[str, bool]:
        """Code → active, for every currency in the list."""
        # Name-list queries leave inactive entries out unless the statement names Active.
        found = sdk_call(
            lambda: CompanyCurrency.where("Active IN (true, false)", max_results=1000, qb=self.qb)
        )
        return {c.Code: bool(c.Active) for c in found}

    def refusals(self, codes: Iterable[str]) -> dict[str, SyncError]:
        """Make each foreign currency usable; the ones that cannot be, with why."""
        wanted = sorted({c for c in codes if c and c != self.home})
        if not wanted:
            return {}
        active = self.active = self._read() if self.active is None else self.active
        for code in (c for c in wanted if c not in active):
            self._add(code)
        active = self.active
        return {code: self._refusal(code) for code in wanted if not active.get(code)}

    def _add(self, code: str) -> None:
        """Add a currency to the list; one added meanwhile (a racing run) is read back."""
        currency = CompanyCurrency()
        currency.Code = code
        try:
            sdk_call(lambda: currency.save(qb=self.qb))
            self.active = {**(self.active or {}), code: True}
        except DataError:
            self.active = self._read()

    def _refusal(self, code: str) -> SyncError:
        """Why documents in `code` cannot be posted."""
        if code in (self.active or {}):
            return DataError(
                f"The currency {code} is turned off in QuickBooks",
                f"turn {code} back on in QuickBooks (Settings > Currencies), then retry",
            )
        return DataError(
            f"QuickBooks would not add the currency {code} to the company",
            f"add {code} in QuickBooks (Settings > Currencies), then retry",
        )
