"""Builders of realistic Shopify order JSON (as ORDER_QUERY returns it), with Shopify's arithmetic.

Shopify computes in the presentment currency: discounts allocated across lines and rounded per
line, tax rounded per line and per rate (exclusive: base × r; inclusive: base × r / (1 + Σr)),
refunds priced at quantity share of the line's discounted total and of its total tax. Each
MoneyBag's shop amount is the presentment amount converted at `rate` and rounded on its own, as
Shopify does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

D = Decimal
ZERO = D(0)
ZERO_DECIMAL = {"JPY", "KRW"}


def q(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit."""
    unit = D(1) if currency in ZERO_DECIMAL else D("0.01")
    return amount.quantize(unit, rounding=ROUND_HALF_UP)


@dataclass
class Line:
    """A line to put on an order: SKU, unit price, quantity and its own taxes."""

    sku: str | None
    price: str
    qty: int = 1
    taxes: tuple[tuple[str, str], ...] | None = None  # None: the order's taxes
    discount: str | None = None  # a line-level discount amount
    refunded: int = 0
    gift_card: bool = False
    title: str | None = None


@dataclass
class _Calc:
    """Running amounts of the order being built (presentment currency)."""

    currency: str
    shop_currency: str
    rate: Decimal
    lines: list[dict[str, Any]] = field(default_factory=list)
    subtotal: Decimal = ZERO
    tax: Decimal = ZERO
    refunded_subtotal: Decimal = ZERO
    refunded_tax: Decimal = ZERO

    def bag(self, amount: Decimal) -> dict[str, Any]:
        """A MoneyBag: presentment amount and its shop conversion."""
        shop = q(amount * self.rate, self.shop_currency)
        return {
            "shopMoney": {"amount": str(shop), "currencyCode": self.shop_currency},
            "presentmentMoney": {"amount": str(amount), "currencyCode": self.currency},
        }

    def taxes(self, rates: tuple[tuple[str, str], ...], base: Decimal, included: bool) -> list:
        """Tax lines on a base."""
        total_rate = sum((D(r) for _, r in rates), ZERO)
        out = []
        for title, r in rates:
            factor = D(r) / (1 + total_rate) if included else D(r)
            out.append((title, D(r), q(base * factor, self.currency)))
        return out

    def tax_nodes(self, taxes: list) -> list[dict[str, Any]]:
        """TaxLine JSON (rate a Float, as the schema types it)."""
        return [
            {
                "title": t,
                "rate": float(r),
                "ratePercentage": float(r * 100),
                "priceSet": self.bag(a),
            }
            for t, r, a in taxes
        ]


def _shares(amount: Decimal, weights: list[Decimal], currency: str) -> list[Decimal]:
    """Allocate across weights, rounding each and putting the remainder on the last."""
    total = sum(weights, ZERO)
    if not total:
        return [ZERO for _ in weights]
    shares = [q(amount * w / total, currency) for w in weights[:-1]]
    return [*shares, amount - sum(shares, ZERO)]


def _order_discounts(lines: list[Line], discount: str | None, cur: str) -> list[Decimal]:
    """Each line's share of an order-level discount ('10%' or an amount)."""
    totals = [D(li.price) * li.qty for li in lines]
    if not discount:
        return [ZERO for _ in lines]
    if discount.endswith("%"):
        pct = D(discount[:-1]) / 100
        return [q(t * pct, cur) for t in totals]
    return _shares(D(discount), totals, cur)


def _line_node(c: _Calc, i: int, li: Line, alloc: Decimal, taxes: list) -> dict[str, Any]:
    """One LineItem node."""
    allocations = [{"allocatedAmountSet": c.bag(alloc), "discountApplication": {"index": 0}}]
    discounted = D(li.price) * li.qty - alloc
    return {
        "id": f"gid://shopify/LineItem/{1000 + i}",
        "sku": li.sku,
        "name": li.title or f"Product {li.sku or i}",
        "title": li.title or f"Product {li.sku or i}",
        "quantity": li.qty,
        "currentQuantity": li.qty - li.refunded,
        "isGiftCard": li.gift_card,
        "requiresShipping": not li.gift_card,
        "taxable": bool(taxes),
        "originalUnitPriceSet": c.bag(D(li.price)),
        "discountedUnitPriceSet": c.bag(q(discounted / li.qty, c.currency)),
        "totalDiscountSet": c.bag(alloc),
        "discountAllocations": allocations if alloc else [],
        "taxLines": c.tax_nodes(taxes),
        "variant": {"id": f"gid://shopify/ProductVariant/{2000 + i}", "sku": li.sku},
    }


def _add_lines(c: _Calc, lines: list[Line], o: dict[str, Any]) -> None:
    """Lines with discounts, taxes and refunds."""
    shares = _order_discounts(lines, o["discount"], c.currency)
    for i, (li, share) in enumerate(zip(lines, shares, strict=True)):
        alloc = min(share + (D(li.discount) if li.discount else ZERO), D(li.price) * li.qty)
        base = D(li.price) * li.qty - alloc
        rates = () if li.gift_card else (o["tax"] if li.taxes is None else li.taxes)
        taxes = c.taxes(rates, base, o["taxes_included"])
        c.lines.append(_line_node(c, i, li, alloc, taxes))
        c.subtotal += base
        line_tax = sum((a for _, _, a in taxes), ZERO)
        c.tax += line_tax
        if li.refunded:
            c.refunded_subtotal += q(base * li.refunded / li.qty, c.currency)
            c.refunded_tax += q(line_tax * li.refunded / li.qty, c.currency)


def _shipping(c: _Calc, o: dict[str, Any]) -> tuple[list[dict[str, Any]], Decimal, Decimal]:
    """Shipping lines, their net charge and their tax."""
    if o["shipping"] is None:
        return [], ZERO, ZERO
    price = D(o["shipping"])
    disc = o["shipping_discount"]
    discount = price if disc == "100%" else (D(disc) if disc else ZERO)
    rates = o["tax"] if o["shipping_taxed"] else ()
    taxes = c.taxes(rates, price - discount, o["taxes_included"])
    node = {
        "title": "Standard",
        "code": "STANDARD",
        "isRemoved": False,
        "originalPriceSet": c.bag(price),
        "discountedPriceSet": c.bag(price - discount),
        "discountAllocations": [{"allocatedAmountSet": c.bag(discount)}] if discount else [],
        "taxLines": c.tax_nodes(taxes),
    }
    return [node], price - discount, sum((a for _, _, a in taxes), ZERO)


def _transactions(c: _Calc, o: dict[str, Any], total: Decimal, refunded: Decimal) -> list:
    """SALE transactions for what was paid and a REFUND for what went back."""
    paid = o["paid"]
    amounts = [] if paid is None else ([total] if paid == "total" else [D(p) for p in paid])
    gateways = o["gateways"]
    out = []
    for n, amount in enumerate(amounts):
        out.append(_txn(c, n, "SALE", gateways[n % len(gateways)], amount))
    if refunded:
        out.append(_txn(c, 99, "REFUND", gateways[0], refunded))
    return out


def _txn(c: _Calc, n: int, kind: str, gateway: str, amount: Decimal) -> dict[str, Any]:
    """One OrderTransaction."""
    return {
        "id": f"gid://shopify/OrderTransaction/{5000 + n}",
        "kind": kind,
        "status": "SUCCESS",
        "gateway": gateway,
        "formattedGateway": gateway.replace("_", " ").title(),
        "processedAt": "2025-02-01T10:05:00Z",
        "test": False,
        "amountSet": c.bag(amount),
    }


DEFAULTS: dict[str, Any] = {
    "taxes_included": False,
    "tax": (("VAT", "0.2"),),
    "discount": None,
    "shipping": None,
    "shipping_taxed": True,
    "shipping_discount": None,
    "shipping_refunded": False,
    "currency": "GBP",
    "presentment": None,
    "rate": "1",
    "paid": "total",
    "gateways": ("shopify_payments",),
    "status": "PAID",
    "test": False,
    "cancelled": False,
    "created": "2025-02-01T10:00:00Z",
    "country": "GB",
    "province": None,
    "company": None,
    "customer": ("Jane", "Doe", "jane@example.com"),
    "tip": None,
    "duties": None,
    "number": 1001,
}


def make_order(lines: list[Line] | None = None, **overrides: Any) -> dict[str, Any]:
    """An Order node as ORDER_QUERY returns it (see DEFAULTS for the options)."""
    o = {**DEFAULTS, **overrides}
    lines = lines or [Line("SKU-1", "10.00", 1)]
    shop = o["currency"]
    c = _Calc(o["presentment"] or shop, shop, D(o["rate"]) if o["presentment"] else D(1))
    _add_lines(c, lines, o)
    ship_nodes, ship_net, ship_tax = _shipping(c, o)
    tip = D(o["tip"]) if o["tip"] else ZERO
    duties = D(o["duties"]) if o["duties"] else ZERO
    tax = c.tax + ship_tax
    gross = c.subtotal + ship_net + tip + duties + (ZERO if o["taxes_included"] else tax)
    ship_refund = ship_net if o["shipping_refunded"] else ZERO
    ship_refund_tax = ship_tax if o["shipping_refunded"] else ZERO
    cur_tax = tax - c.refunded_tax - ship_refund_tax
    refunded = c.refunded_subtotal + ship_refund
    if not o["taxes_included"]:
        refunded += c.refunded_tax + ship_refund_tax
    current = gross - refunded
    return {
        **_identity(o, shop, c.currency),
        **_people(o),
        "currentTotalPriceSet": c.bag(current),
        "currentTotalTaxSet": c.bag(cur_tax),
        "currentShippingPriceSet": c.bag(ship_net - ship_refund),
        "totalTipReceivedSet": c.bag(tip),
        "currentTotalDutiesSet": c.bag(duties) if duties else None,
        "lineItems": {"pageInfo": {"hasNextPage": False}, "nodes": c.lines},
        "shippingLines": {"nodes": ship_nodes},
        "transactions": _transactions(c, o, gross, refunded),
        "discountApplications": {"nodes": []},
    }


def _identity(o: dict[str, Any], shop: str, presentment: str) -> dict[str, Any]:
    """Ids, dates, flags and currencies of the order."""
    return {
        "id": f"gid://shopify/Order/{o['number'] + 450000}",
        "name": f"#{o['number']}",
        "createdAt": o["created"],
        "processedAt": o["created"],
        "updatedAt": o["created"],
        "cancelledAt": "2025-02-02T00:00:00Z" if o["cancelled"] else None,
        "test": o["test"],
        "taxesIncluded": o["taxes_included"],
        "currencyCode": shop,
        "presentmentCurrencyCode": presentment,
        "displayFinancialStatus": o["status"],
    }


def _people(o: dict[str, Any]) -> dict[str, Any]:
    """Customer and addresses."""
    first, last, email = o["customer"] or (None, None, None)
    customer = {
        "id": "gid://shopify/Customer/777",
        "email": email,
        "firstName": first,
        "lastName": last,
        "displayName": f"{first} {last}",
    }
    return {
        "customer": None if o["customer"] is None else customer,
        "billingAddress": {
            "company": o["company"],
            "firstName": first,
            "lastName": last,
            "countryCodeV2": o["country"],
            "provinceCode": o["province"],
        },
        "shippingAddress": {"countryCodeV2": o["country"], "provinceCode": o["province"]},
    }
