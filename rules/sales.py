"""Sales workflow rules: which orders to post, and the one QBO document each order becomes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from rules.customers import customer_for_order
from rules.documents import DOC_NUMBER_MAX, SalesDocument
from rules.lines import Booking, LineBuilder, build_lines
from rules.orders import ShopifyOrder
from rules.payments import invoice_payments, receipt_deposit, redeemed_gift_cards
from rules.problems import Problem, Problems
from rules.rounding import balance
from rules.settings import SalesOptions
from rules.totals import QboTotals, expected_totals
from settings_schema import MAX_PREFIX, SettingError, check_prefix

EXCHANGE_RATE_PLACES = Decimal("0.0000000001")
PRIVATE_NOTE_MAX = 4000


def should_sync(
    order: ShopifyOrder, options: SalesOptions, start_date: date | None = None
) -> str | None:
    """Why the order is skipped (plain words), or None when it is to be posted."""
    start = start_date or options.start_date
    if order.test:
        return "test order"
    if order.cancelled_at is not None:
        return "cancelled order (cancelled orders are never posted)"
    if start is not None and order.created_at.date() < start:
        return f"created before the integration start date ({start.isoformat()})"
    if order.financial_status not in options.statuses:
        status = order.financial_status.replace("_", " ").lower()
        return f"financial status '{status}' is not one of the statuses synced"
    if not order.current_total.shop and not any(li.current_quantity for li in order.line_items):
        return "nothing left to book: every line was refunded or removed before it was posted"
    return None


def validate_prefix(prefix: str) -> Problem | None:
    """The save-time check of the order number prefix (settings_schema's rule, the only one)."""
    try:
        check_prefix(prefix)
    except SettingError as exc:
        return Problem(
            "prefix_too_long",
            f"The order number prefix '{prefix}' {exc}",
            f"use at most {MAX_PREFIX} characters",
        )
    return None


def doc_number(order: ShopifyOrder, options: SalesOptions) -> str | None | Problem:
    """DocNumber: prefix + order number, or None when QBO numbers documents itself."""
    if options.auto_doc_number or not options.company.custom_txn_numbers:
        return None
    number = f"{options.order_number_prefix}{order.number}"
    if len(number) > DOC_NUMBER_MAX:
        return Problem(
            "doc_number_too_long",
            f"Document number '{number}' is longer than QuickBooks' {DOC_NUMBER_MAX} characters",
            "shorten the order number prefix, or turn on automatic QuickBooks numbering",
        )
    return number


def admin_url(order: ShopifyOrder, options: SalesOptions) -> str:
    """The order's page in the Shopify admin."""
    store = options.shop_domain.removesuffix(".myshopify.com") or "store"
    return f"https://admin.shopify.com/store/{store}/orders/{order.legacy_id}"


def memo(order: ShopifyOrder, options: SalesOptions) -> str:
    """PrivateNote: the Shopify order's name, id and admin URL."""
    return f"Shopify order {order.name} (id {order.legacy_id}) {admin_url(order, options)}"[
        :PRIVATE_NOTE_MAX
    ]


def booking(order: ShopifyOrder, options: SalesOptions) -> Booking | Problem:
    """Book in shop money, or in presentment money at the rate implied by Shopify's totals."""
    company, shop = options.company, order.currency
    if shop != company.home_currency:
        return Problem(
            "currency_mismatch",
            f"The shop sells in {shop} but the QuickBooks company's home currency is "
            f"{company.home_currency}",
            "connect the QuickBooks company kept in the shop's currency",
        )
    foreign = order.presentment_currency != shop
    total = order.current_total
    if not (company.multi_currency and foreign and total.presentment and total.shop):
        return Booking(shop, presentment=False)
    rate = (total.shop / total.presentment).quantize(EXCHANGE_RATE_PLACES)
    return Booking(order.presentment_currency, presentment=True, exchange_rate=rate)


def txn_date(order: ShopifyOrder, timezone: str) -> date:
    """The order's processing date in the shop's time zone."""
    return order.processed_at.astimezone(ZoneInfo(timezone)).date()


def _header(order: ShopifyOrder, options: SalesOptions, book: Booking) -> SalesDocument:
    """The document without lines or payments."""
    company = options.company
    ship = order.shipping_address or order.billing_address
    inclusive = order.taxes_included and not company.us
    side = book.presentment
    return SalesDocument(
        doc_type=options.document_type,
        doc_number=None,
        txn_date=txn_date(order, options.shop_timezone),
        private_note=memo(order, options),
        customer=customer_for_order(order, options, book.currency if side else None),
        customer_id=options.lookups.customer_id,
        lines=(),
        currency=book.currency,
        exchange_rate=book.exchange_rate,
        us_tax=company.us,
        using_sales_tax=company.using_sales_tax,
        global_tax=None if company.us else ("TaxInclusive" if inclusive else "TaxExcluded"),
        total_tax=order.current_tax.side(side) if company.us else None,
        # gift cards redeemed are a line on the document (the liability), not money owed
        target_total=order.current_total.side(side) - redeemed_gift_cards(order, side),
        target_tax=order.current_tax.side(side),
        shopify_order_id=order.id,
        shopify_order_name=order.name,
        department_id=options.department_id if company.tracks_locations else None,
        ship_country=ship.country_code if ship else None,
        ship_province=ship.province_code if ship else None,
        home_total=order.current_total.shop - redeemed_gift_cards(order, False) if side else None,
        home_currency=order.currency if side else None,
    )


def _order_problems(order: ShopifyOrder, options: SalesOptions) -> list[Problem]:
    """Problems with the order as a whole: its total and QBO's sales tax."""
    found = []
    if order.current_total.shop < 0:
        found.append(
            Problem(
                "negative_total",
                f"Shopify's current total of order {order.name} is below zero",
                "check the order's refunds and adjustments in Shopify",
            )
        )
    company = options.company
    if company.us and not company.using_sales_tax and order.current_tax.shop:
        found.append(
            Problem(
                "sales_tax_off",
                "Shopify charged sales tax but sales tax is not set up in QuickBooks",
                "set up sales tax in QuickBooks (Taxes > Sales tax)",
            )
        )
    return found


def _with_payments(
    doc: SalesDocument, order: ShopifyOrder, options: SalesOptions, book: Booking
) -> SalesDocument | Problem:
    """The document with its deposit account (receipt) or payments (invoice)."""
    if doc.doc_type == "invoice":
        payments = invoice_payments(
            order, options, book.presentment, doc.currency, doc.target_total
        )
        return replace(doc, payments=payments)
    found = receipt_deposit(order, options, book.presentment)
    if isinstance(found, Problem):
        return found
    return replace(doc, deposit_account_id=found[0], payment_method_id=found[1])


def open_period_dates(doc: SalesDocument, options: SalesOptions) -> SalesDocument:
    """With `date_after_book_close`, a document and payments dated on or before QBO's closing
    date are dated the day after it (QBO refuses them otherwise, fault 6210), the Shopify date
    kept in the memo; without it they keep their dates and QBO's refusal fails the order."""
    close = options.book_close_date
    if not (options.date_after_book_close and close):
        return doc
    first_open = close + timedelta(days=1)
    payments = tuple(replace(p, txn_date=max(p.txn_date, first_open)) for p in doc.payments)
    if doc.txn_date > close:
        return replace(doc, payments=payments)
    note = (
        f"{doc.private_note} — dated {first_open.isoformat()}, the first day after the books "
        f"closed in QuickBooks; Shopify date {doc.txn_date.isoformat()}"
    )
    return replace(
        doc, txn_date=first_open, private_note=note[:PRIVATE_NOTE_MAX], payments=payments
    )


def order_to_sales_document(order: ShopifyOrder, options: SalesOptions) -> SalesDocument | Problems:
    """The one QBO SalesReceipt or Invoice for the order, or every reason it cannot be posted."""
    book = booking(order, options)
    number = doc_number(order, options)
    problems = [p for p in (book, number) if isinstance(p, Problem)]
    problems += _order_problems(order, options)
    if isinstance(book, Problem):
        return Problems(tuple(problems))
    builder = LineBuilder(order, options, book)
    build_lines(builder)
    problems += builder.problems
    if problems:
        return Problems(tuple(problems))
    doc = replace(
        _header(order, options, book),
        lines=tuple(builder.lines),
        doc_number=number if isinstance(number, str) else None,
    )
    balanced = balance(doc, options)
    if isinstance(balanced, Problem):
        return Problems((balanced,))
    paid = _with_payments(balanced, order, options, book)
    return Problems((paid,)) if isinstance(paid, Problem) else open_period_dates(paid, options)


def document_totals(doc: SalesDocument, options: SalesOptions) -> QboTotals:
    """What QBO will compute for a document built by order_to_sales_document."""
    return expected_totals(doc, options.lookups.tax_rates)
