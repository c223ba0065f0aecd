"""One order seen from both sides: Shopify's order and the QBO documents posted for it, summed up
for the per-order page, and whether their totals agree to the cent. Pure: no I/O.

Shopify fields: https://shopify.dev/docs/api/admin-graphql/2025-01/objects/Order
QBO documents: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/salesreceipt
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rules.money import ZERO, quantize, to_decimal
from rules.orders import parse_money

# QBO entity → the page of QuickBooks Online that opens one (https://app.qbo.intuit.com/app/<page>).
QBO_PAGES = {
    "SalesReceipt": "salesreceipt",
    "Invoice": "invoice",
    "Payment": "recvpayment",
    "RefundReceipt": "refundreceipt",
    "CreditMemo": "creditmemo",
    "Deposit": "deposit",
}
# What each document does to the order's total: sales add, refunds take away, payments settle.
SALES, REFUNDS = frozenset({"SalesReceipt", "Invoice"}), frozenset({"RefundReceipt", "CreditMemo"})
# Where a failure's fix is made, by the words the fix uses (None when it names no page).
FIX_PAGES = (
    (("reconnect", "connect quickbooks"), "home"),
    (("tax", "gateway", "deposit", "clearing", "payment method"), "taxes"),
    (("setting", "prefix", "item creation", "default product", "income account"), "settings"),
)


def _amount(bag: dict[str, Any] | None, currency: str) -> str:
    """A MoneyBag's shop amount, to the currency's minor unit, as a string."""
    return str(quantize(parse_money(bag).shop, currency))


def shopify_summary(node: dict[str, Any]) -> dict[str, Any]:
    """Shopify's order as the page shows it: its lines and current totals in shop money."""
    currency = node.get("currencyCode") or "USD"
    lines = []
    for item in (node.get("lineItems") or {}).get("nodes") or []:
        quantity = int(item.get("currentQuantity", item.get("quantity")) or 0)
        price = parse_money(item.get("originalUnitPriceSet")).shop
        lines.append(
            {
                "name": item.get("name") or item.get("title") or "",
                "sku": item.get("sku") or None,
                "quantity": quantity,
                "unit_price": str(quantize(price, currency)),
                "total": str(quantize(price * quantity, currency)),
            }
        )
    totals = {
        "subtotal": "currentSubtotalPriceSet",
        "discounts": "currentTotalDiscountsSet",
        "shipping": "currentShippingPriceSet",
        "tax": "currentTotalTaxSet",
        "refunded": "totalRefundedSet",
        "total": "currentTotalPriceSet",
    }
    return {
        "name": node.get("name"),
        "date": node.get("processedAt") or node.get("createdAt"),
        "financial_status": node.get("displayFinancialStatus"),
        "currency": currency,
        "presentment_currency": node.get("presentmentCurrencyCode") or currency,
        "presentment_total": str(parse_money(node.get("currentTotalPriceSet")).presentment),
        "line_items": lines,
        "more_line_items": bool(
            ((node.get("lineItems") or {}).get("pageInfo") or {}).get("hasNextPage")
        ),
        **{key: _amount(node.get(field), currency) for key, field in totals.items()},
    }


def _decimal(value: Any) -> Decimal | None:
    """A QBO number as a Decimal, None when absent."""
    return None if value is None else to_decimal(value)


def qbo_summary(entity: str, document: dict[str, Any]) -> dict[str, Any]:
    """A QBO document as the page shows it: date, totals, balance and its lines in short."""
    currency = (document.get("CurrencyRef") or {}).get("value")
    lines = [
        {
            "description": line.get("Description") or line.get("DetailType", ""),
            "quantity": str((line.get("SalesItemLineDetail") or {}).get("Qty") or "") or None,
            "amount": str(_decimal(line.get("Amount")) or ZERO),
        }
        for line in document.get("Line") or []
        if line.get("DetailType") != "SubTotalLineDetail"
    ]
    balance = _decimal(document.get("Balance", document.get("UnappliedAmt")))
    tax = _decimal((document.get("TxnTaxDetail") or {}).get("TotalTax"))
    return {
        "type": entity,
        "id": str(document.get("Id")),
        "doc_number": document.get("DocNumber"),
        "txn_date": document.get("TxnDate"),
        "currency": currency,
        "total": str(_decimal(document.get("TotalAmt")) or ZERO),
        "tax": None if tax is None else str(tax),
        "balance": None if balance is None else str(balance),
        "lines": lines,
    }


def reconciliation(
    shopify: dict[str, Any], documents: list[dict[str, Any]]
) -> tuple[bool, str, str] | None:
    """Whether Shopify's current total equals the documents' (sales less refunds) to the cent,
    by how much QuickBooks differs, and its total; None unless each was read and one is a
    sale. Documents in the order's presentment currency (multicurrency companies) meet that one."""
    counted = [d for d in documents if d["type"] in SALES | REFUNDS]
    if not any(d["type"] in SALES for d in counted) or any("error" in d for d in counted):
        return None
    currency = shopify["currency"]
    target = to_decimal(shopify["total"])
    if {d.get("currency") for d in counted} == {shopify["presentment_currency"]} != {currency}:
        currency, target = shopify["presentment_currency"], to_decimal(shopify["presentment_total"])
    total = sum((to_decimal(d["total"]) * (1 if d["type"] in SALES else -1) for d in counted), ZERO)
    difference = quantize(total, currency) - quantize(target, currency)
    return difference == 0, str(difference), str(quantize(total, currency))


def fix_page(fix: str | None) -> str | None:
    """The app page where a failure's fix is made, when the fix names one."""
    text = (fix or "").lower()
    return next((page for words, page in FIX_PAGES if any(w in text for w in words)), None)


def qbo_url(entity: str, qbo_id: str, production: bool) -> str | None:
    """Where the document opens in QuickBooks Online (a sandbox company: Intuit's sandbox)."""
    page = QBO_PAGES.get(entity)
    if page is None:
        return None
    host = "app.qbo.intuit.com" if production else "app.sandbox.qbo.intuit.com"
    return f"https://{host}/app/{page}?txnId={qbo_id}"
