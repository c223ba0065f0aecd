"""Payments: where a sales receipt's money goes, and the Payments that settle an invoice.

Money received is each gateway's successful SALE and CAPTURE transactions less its successful
REFUNDs; it goes to the gateway's clearing account (default: QBO's Undeposited Funds, which QBO
uses when DepositToAccountRef is omitted). Gift cards redeemed (the `gift_card` gateway) are not
money: they settle the gift card liability as a negative line on the sales document
(rules/lines.py), never a deposit, since QBO deposits only to a Bank or Other Current Asset account:
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from rules.documents import PaymentSpec
from rules.money import ZERO, quantize
from rules.orders import ShopifyOrder, Transaction
from rules.problems import Problem
from rules.settings import SalesOptions

GIFT_CARD_GATEWAY = "gift_card"


def _counted(order: ShopifyOrder, t: Transaction) -> bool:
    """Test transactions on a real order are not money."""
    return order.test or not t.test


def net_by_gateway(order: ShopifyOrder, presentment: bool) -> dict[str, Decimal]:
    """Money kept per gateway (received − refunded), gateways in name order."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for t in order.transactions:
        if not _counted(order, t):
            continue
        if t.received:
            totals[t.gateway] += t.amount.side(presentment)
        elif t.refunded:
            totals[t.gateway] -= t.amount.side(presentment)
    return {g: totals[g] for g in sorted(totals)}


def redeemed_gift_cards(order: ShopifyOrder, presentment: bool) -> Decimal:
    """What gift cards paid for the order (net of refunds to gift cards), never below zero."""
    return max(net_by_gateway(order, presentment).get(GIFT_CARD_GATEWAY, ZERO), ZERO)


def money_by_gateway(order: ShopifyOrder, presentment: bool) -> dict[str, Decimal]:
    """Money kept per gateway, gift cards left out (they are not money received)."""
    nets = net_by_gateway(order, presentment)
    return {g: a for g, a in nets.items() if g != GIFT_CARD_GATEWAY}


def _last_date(order: ShopifyOrder, gateway: str) -> date:
    """When the gateway's money last came in (the order's date if never)."""
    dates = [
        t.processed_at.date()
        for t in order.transactions
        if t.gateway == gateway and t.received and t.processed_at
    ]
    return max(dates, default=order.processed_at.date())


def _reference(order: ShopifyOrder, gateway: str) -> str:
    """PaymentRefNum (max 21): the first receiving transaction's numeric id."""
    for t in order.transactions:
        if t.gateway == gateway and t.received:
            return t.id.rsplit("/", 1)[-1][:21]
    return order.number[:21]


def invoice_payments(
    order: ShopifyOrder, options: SalesOptions, presentment: bool, currency: str, total: Decimal
) -> tuple[PaymentSpec, ...]:
    """One Payment per gateway that kept money, never more in all than the invoice total."""
    if not options.record_payments:
        return ()
    out, left = [], total
    for gateway, amount in money_by_gateway(order, presentment).items():
        amount = min(quantize(amount, currency), left)
        if amount <= 0:
            continue
        left -= amount
        out.append(
            PaymentSpec(
                gateway=gateway,
                amount=amount,
                txn_date=_last_date(order, gateway),
                deposit_account_id=options.account_for_gateway(gateway),
                payment_method_id=options.method_for_gateway(gateway),
                reference=_reference(order, gateway),
            )
        )
    return tuple(out)


def receipt_deposit(
    order: ShopifyOrder, options: SalesOptions, presentment: bool
) -> tuple[str | None, str | None] | Problem:
    """(DepositToAccountRef, PaymentMethodRef) of a sales receipt: one account for the order."""
    if not options.record_payments:
        return None, None
    gateways = [g for g, a in money_by_gateway(order, presentment).items() if a > 0]
    accounts = {options.account_for_gateway(g) for g in gateways}
    if len(accounts) > 1:
        return Problem(
            "split_payment",
            f"The order was paid through {', '.join(gateways)}, which go to different QuickBooks "
            "accounts, and a sales receipt has one deposit account",
            "post orders as invoices with payments, or map these gateways to one account",
        )
    account = accounts.pop() if accounts else options.clearing_account_id
    method = options.method_for_gateway(gateways[0]) if len(gateways) == 1 else None
    return account, method
