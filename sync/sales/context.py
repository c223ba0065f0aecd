"""What building a shop's sales documents needs: its options, tax mappings and the QBO references
the run resolves."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from quickbooks import QuickBooks

from clients.quickbooks_books import book_close_date
from models import Shop, utcnow
from rules.settings import ResolvedIds, SalesOptions
from services.quickbooks_connection import refresh_company_facts
from sync.sales.options import sales_options
from sync.sales.references import QboReferences, rounding_item, tax_code_rates
from sync.sales.taxes import tax_lookups

# The company's facts (currency, tax model, shipping and numbering preferences) are re-read when a
# run has orders to post and they are older than this: the merchant may change QBO's settings.
FACTS_MAX_AGE = timedelta(hours=24)


@dataclass(frozen=True)
class SalesContext:
    """The inputs of `sync.sales.posting.build_documents` for one shop."""

    base: SalesOptions
    tax: ResolvedIds
    refs: QboReferences


def sales_context(shop: Shop, qb: QuickBooks, create_rounding_item: bool = True) -> SalesContext:
    """The shop's sales options (with the rounding item), tax mappings and QBO references; without
    `create_rounding_item` a missing rounding item is only looked up, never created."""
    connection = shop.quickbooks_connection
    if connection is not None and (
        connection.facts_refreshed_at is None
        or utcnow() - connection.facts_refreshed_at > FACTS_MAX_AGE
    ):
        refresh_company_facts(connection)
    base = sales_options(shop)
    if base.rounding_item_id is None:
        income = base.income_account_id if create_rounding_item else None
        base = replace(base, rounding_item_id=rounding_item(qb, income))
    if base.date_after_book_close:  # read each run: the accountant closes periods at any time
        closed = book_close_date(qb)
        base = replace(base, book_close_date=date.fromisoformat(closed) if closed else None)
    tax = tax_lookups(shop, base, tax_code_rates(qb) if not base.company.us else {})
    return SalesContext(
        base, tax, QboReferences(qb, base.sku_match_field, base.company.home_currency)
    )
