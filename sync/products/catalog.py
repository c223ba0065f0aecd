"""The QBO company's items, read once per run: matching keys, names taken, SyncTokens.

Every item is read, inactive ones too: QBO refuses a name an inactive item holds, whatever its
case ("Duplicate Name Exists", 6240), so a new name is chosen against all of them. A company of
5,000 items costs 5 requests. Query paging: STARTPOSITION / MAXRESULTS (at most 1,000), in Id
order so pages neither overlap nor skip.
ref: https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quickbooks import QuickBooks

from clients.quickbooks_faults import sdk_call
from rules.items import query_literal

PAGE = 1000
ALL_ITEMS = (
    "SELECT * FROM Item WHERE Active IN (true, false) ORDER BY Id "
    "STARTPOSITION {start} MAXRESULTS {size}"
)


def _select(qb: QuickBooks, text: str) -> list[dict[str, Any]]:
    """The Items a query answers, as QBO's JSON."""
    answer = sdk_call(lambda: qb.query(text))
    return list((answer.get("QueryResponse") or {}).get("Item") or [])


@dataclass(frozen=True)
class NamesBut:
    """Casefolded names taken, one aside (looked up in place: a catalogue of thousands is not
    copied for every variant)."""

    names: dict[str, str]
    own: str | None

    def __contains__(self, name: object) -> bool:
        """Whether another item holds the name."""
        return name != self.own and name in self.names


class QboItems:
    """What one run knows of the company's items, kept up to date as it creates and renames."""

    def __init__(self, qb: QuickBooks) -> None:
        self.qb = qb
        self.by_id: dict[str, dict[str, Any]] = {}
        self.by_name: dict[str, str] = {}  # casefolded name → Id
        self.by_sku: dict[str, str] = {}
        start = 1
        while True:
            page = _select(qb, ALL_ITEMS.format(start=start, size=PAGE))
            for item in page:
                self.remember(item)
            if len(page) < PAGE:
                break
            start += PAGE

    def remember(self, item: dict[str, Any]) -> None:
        """Index an item QBO holds (read, created or updated)."""
        item_id = str(item["Id"])
        old = self.by_id.get(item_id)
        if old is not None and old.get("Name"):
            self.by_name.pop(str(old["Name"]).casefold(), None)
        self.by_id[item_id] = item
        if item.get("Name"):
            self.by_name[str(item["Name"]).casefold()] = item_id
        sku = str(item.get("Sku") or "")
        held = self.by_id.get(self.by_sku.get(sku, ""))
        if sku and (held is None or held.get("Active") is False):  # an active item wins
            self.by_sku[sku] = item_id

    def names_but(self, own: str | None) -> NamesBut:
        """The names items hold (casefolded), `own` aside: an item keeps its own name."""
        return NamesBut(self.by_name, own.casefold() if own else None)

    def match(self, key: str | None, field: str) -> str | None:
        """The Id of the item a variant's match key finds (an active one: a merchant who made an
        item inactive retired it), or None."""
        if key is None:
            return None
        found = self.by_name.get(key) if field == "name" else self.by_sku.get(key)
        if not found or self.by_id[found].get("Active") is False:
            return None
        return found

    def by_names(self, names: list[str]) -> dict[str, str]:
        """Ids QBO holds under these names now (after a 6240), casefolded name → Id."""
        found: dict[str, str] = {}
        for start in range(0, len(names), 50):
            literals = ", ".join(query_literal(n) for n in names[start : start + 50])
            for item in _select(self.qb, f"SELECT * FROM Item WHERE Name IN ({literals})"):
                self.remember(item)
                found[str(item["Name"]).casefold()] = str(item["Id"])
        return found
