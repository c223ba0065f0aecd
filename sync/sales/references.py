"""QBO ids a sales run needs — items by SKU, customers, tax codes — asked once per run, in bulk.

Items are matched with one `IN` query per chunk of SKUs; customers by email (batched Query items)
and then by display name (`IN`), a name held by another email being another person; missing
customers and items are created in batches of 30.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from quickbooks import QuickBooks
from quickbooks.objects.customer import Customer
from quickbooks.objects.item import Item
from quickbooks.objects.taxcode import TaxCode
from quickbooks.objects.taxrate import TaxRate

from clients.errors import DataError, SyncError
from clients.quickbooks_batch import BatchItem, post_batch, post_query_batch
from clients.quickbooks_faults import sdk_call
from rules.customers import CustomerSpec, customer_payload, same_person
from rules.items import NewItem, item_payload, query_literal
from rules.settings import TaxCodeRates
from sync.sales.currencies import CompanyCurrencies

IN_CHUNK = 50  # values per `IN (...)` query, keeping the query text short
NAME_ATTEMPTS = 4  # display names tried per customer before giving up (6240 collisions)


def chunks(values: list, size: int) -> Iterable[list]:
    """Consecutive slices of at most `size`."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _query(model: Any, clause: str, qb: QuickBooks) -> list:
    """Objects matching a WHERE clause (≤ 1000), SDK failures translated."""
    return sdk_call(lambda: model.where(clause, max_results=1000, qb=qb))


def customer_key(spec: CustomerSpec) -> str:
    """Cache key of a customer: email when known, else the display name; and its currency."""
    who = f"email:{spec.email.casefold()}" if spec.email else f"name:{spec.display_name.casefold()}"
    return f"{spec.currency}:{who}" if spec.currency else who


def currency_of(customer: dict | Customer, home: str) -> str:
    """A QBO customer's currency (the home currency when QBO names none)."""
    ref = customer.get("CurrencyRef") if isinstance(customer, dict) else customer.CurrencyRef
    value = ref.get("value") if isinstance(ref, dict) else getattr(ref, "value", None)
    return value or home


class QboReferences:
    """What one run has learnt of the QBO company."""

    def __init__(self, qb: QuickBooks, sku_field: str, home_currency: str = "USD") -> None:
        self.qb = qb
        self.sku_field = sku_field
        self.home = home_currency
        self.currencies = CompanyCurrencies(qb, home_currency)
        self.items: dict[str, str] = {}
        self.asked_skus: set[str] = set()
        self.customers: dict[str, str] = {}

    def resolve_items(self, keys: Iterable[str | None]) -> None:
        """Look up the SKUs not asked yet; found ones land in `items` (key → Item Id)."""
        todo = sorted({k for k in keys if k and k not in self.asked_skus})
        self.asked_skus.update(todo)
        column = "Name" if self.sku_field == "name" else "Sku"
        for part in chunks(todo, IN_CHUNK):
            literals = ", ".join(query_literal(k) for k in part)
            for item in _query(Item, f"{column} IN ({literals})", self.qb):
                value = item.Name if column == "Name" else getattr(item, "Sku", None)
                if value:
                    self.items[value.casefold() if column == "Name" else value] = item.Id

    def create_items(self, new_items: list[NewItem], request_id: str) -> dict[str, str]:
        """Create the items documents need (one batch per 30); returns name → Id.

        Created items join the run's SKU map, so later orders selling them find them; a name
        QBO already holds (6240: made by an earlier, interrupted run) is looked up instead.
        """
        created: dict[str, str] = {}
        for n, part in enumerate(chunks(new_items, 30)):
            batch = [BatchItem(f"i{i}", "Item", item_payload(item)) for i, item in enumerate(part)]
            outcomes = post_batch(self.qb, batch, f"{request_id}-i{n}"[:36])
            taken = []
            for i, item in enumerate(part):
                outcome = outcomes.get(f"i{i}")
                if outcome and outcome.saved:
                    created[item.name] = outcome.saved["Id"]
                elif outcome and outcome.error and outcome.error.code == "6240":
                    taken.append(item)
            created |= self._existing_items(taken)
        for item in new_items:
            if item.name in created:
                self.items[self._key(item)] = created[item.name]
        return created

    def _key(self, item: NewItem) -> str:
        """The SKU-map key a created item answers to (what rules.items.sku_match_key gives)."""
        return item.name.casefold() if self.sku_field == "name" else (item.sku or item.name)

    def _existing_items(self, items: list[NewItem]) -> dict[str, str]:
        """Ids of items QBO already has under these names."""
        found: dict[str, str] = {}
        for part in chunks([i.name for i in items], IN_CHUNK):
            literals = ", ".join(query_literal(name) for name in part)
            for item in _query(Item, f"Name IN ({literals})", self.qb):
                found[item.Name] = item.Id
        return found

    def resolve_customers(self, specs: list[CustomerSpec], request_id: str) -> dict[str, str]:
        """Find each customer (by email, then by a display name no other email holds) or create
        it; key → Customer Id."""
        todo = {customer_key(s): s for s in specs if customer_key(s) not in self.customers}
        self._match_by_email([s for s in todo.values() if s.email])
        held = self._match_by_name([s for k, s in todo.items() if k not in self.customers])
        missing = [s for k, s in todo.items() if k not in self.customers]
        self._create_customers(missing, request_id, held)
        return self.customers

    def _match_by_email(self, specs: list[CustomerSpec]) -> None:
        """Batched Query items, 30 emails per request."""
        for part in chunks(specs, 30):
            queries = [
                f"SELECT * FROM Customer WHERE PrimaryEmailAddr = {query_literal(s.email or '')}"
                for s in part
            ]
            answers = post_query_batch(self.qb, queries, "Customer")
            for spec, found in zip(part, answers, strict=True):
                fits = [c for c in found if currency_of(c, self.home) == self._currency(spec)]
                if fits:
                    self.customers[customer_key(spec)] = fits[0]["Id"]

    def _currency(self, spec: CustomerSpec) -> str:
        """The currency the spec's customer must be kept in."""
        return spec.currency or self.home

    def _match_by_name(self, specs: list[CustomerSpec]) -> set[str]:
        """One `DisplayName IN (...)` query per chunk; a customer of the name is taken only when it
        is the same person (`same_person`). Returns the keys whose name another customer holds."""
        by_name: dict[str, list[CustomerSpec]] = {}
        for spec in specs:
            by_name.setdefault(spec.display_name.casefold(), []).append(spec)
        held: set[str] = set()
        for part in chunks(sorted({s.display_name for s in specs}), IN_CHUNK):
            literals = ", ".join(query_literal(name) for name in part)
            for customer in _query(Customer, f"DisplayName IN ({literals})", self.qb):
                for spec in by_name.get(customer.DisplayName.casefold(), []):
                    fits = currency_of(customer, self.home) == self._currency(spec)
                    if fits and same_person(spec, email_of(customer)):
                        self.customers[customer_key(spec)] = customer.Id
                    else:
                        held.add(customer_key(spec))
        return held

    def _create_customers(self, specs: list[CustomerSpec], request_id: str, held: set[str]) -> None:
        """Create in batches; a name held by another customer, vendor or employee (6240), or
        wanted by an earlier spec of this batch, gets a suffix ('Ada Lovelace (Shopify 42)')."""
        pending = _first_attempts(specs, held)
        round_no = 0
        while pending and round_no < NAME_ATTEMPTS:
            retry: list[tuple[CustomerSpec, int]] = []
            for n, part in enumerate(chunks(pending, 30)):
                batch = [
                    BatchItem(f"c{i}", "Customer", customer_payload(spec, attempt))
                    for i, (spec, attempt) in enumerate(part)
                ]
                outcomes = post_batch(self.qb, batch, f"{request_id}-c{round_no}-{n}"[:36])
                for i, (spec, attempt) in enumerate(part):
                    outcome = outcomes[f"c{i}"]
                    if outcome.saved:
                        self.customers[customer_key(spec)] = outcome.saved["Id"]
                    elif outcome.error and outcome.error.code == "6240":
                        retry.append((spec, attempt + 1))
            pending, round_no = retry, round_no + 1

    def customer_error(self, spec: CustomerSpec) -> SyncError:
        """Why a customer could not be had (asked only of one that could not)."""
        return DataError(
            f"QuickBooks customer '{spec.display_name}' could not be created: the "
            "name is taken by a vendor or employee",
            "rename the vendor or employee in QuickBooks, or use the generic customer mode",
        )


def _first_attempts(specs: list[CustomerSpec], held: set[str]) -> list[tuple[CustomerSpec, int]]:
    """Each spec with the name attempt to start from: 2 (the suffixed name) when another customer
    holds its display name or an earlier spec of the batch claims it."""
    claimed: set[str] = set()
    out = []
    for spec in specs:
        name = spec.display_name.casefold()
        out.append((spec, 2 if customer_key(spec) in held or name in claimed else 1))
        claimed.add(name)
    return out


def email_of(customer: Customer) -> str | None:
    """A QBO customer's primary email address, if any."""
    return getattr(getattr(customer, "PrimaryEmailAddr", None), "Address", None) or None


def tax_code_rates(qb: QuickBooks) -> dict[str, TaxCodeRates]:
    """Every active QBO tax code with the sales rates QBO computes it with (non-US)."""
    rates = {r.Id: Decimal(str(r.RateValue or 0)) for r in _query(TaxRate, "Active = true", qb)}
    out: dict[str, TaxCodeRates] = {}
    for code in _query(TaxCode, "Active = true", qb):
        details = getattr(getattr(code, "SalesTaxRateList", None), "TaxRateDetail", None) or []
        pairs = tuple(
            (d.TaxRateRef.value, rates.get(d.TaxRateRef.value, Decimal(0))) for d in details
        )
        out[code.Id] = TaxCodeRates(code.Id, pairs)
    return out


ROUNDING_ITEM_NAME = "Rounding adjustment"


def rounding_item(qb: QuickBooks, income_account_id: str | None) -> str | None:
    """The item explicit rounding lines go on when the merchant chose none: found by name, or
    created once as a service item on the sales income account (visible, never hidden)."""
    found = _query(Item, f"Name = {query_literal(ROUNDING_ITEM_NAME)}", qb)
    if found:
        return found[0].Id
    if not income_account_id:
        return None
    payload = {
        "Name": ROUNDING_ITEM_NAME,
        "Type": "Service",
        "Description": "Cent differences between Shopify's and QuickBooks' tax rounding",
        "IncomeAccountRef": {"value": income_account_id},
    }
    outcome = post_batch(
        qb, [BatchItem("r", "Item", payload)], f"rounding-item-{qb.company_id}"[:36]
    )["r"]
    return outcome.saved["Id"] if outcome.saved else None
