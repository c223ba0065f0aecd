"""Turn an OrderCreateOrderInput into an Order: prices, discount allocation, taxes, shipping.

ref: https://shopify.dev/docs/api/admin-graphql/2025-01/mutations/orderCreate
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from emulators.shopify.money import Bag, Currencies, total
from emulators.shopify.order_model import DiscountApplication, LineItem, ShippingLine, TaxLine

NextId = Callable[[], int]


class InputError(Exception):
    """A userError: field path, message, code."""

    def __init__(self, field: list[Any], message: str, code: str = "INVALID") -> None:
        super().__init__(message)
        self.field, self.message, self.code = field, message, code


def build_discount(cur: Currencies, data: dict[str, Any] | None) -> DiscountApplication | None:
    """The order's discount code (only one kind may be given)."""
    if not data:
        return None
    given = [k for k, v in data.items() if v]
    if len(given) > 1:
        raise InputError(["order", "discountCode"], "Only one type of discount can be applied")
    if not given:
        return None
    kind, attrs = given[0], data[given[0]]
    if kind == "itemPercentageDiscountCode":
        pct = Decimal(str(attrs.get("percentage") or 0))
        if not 0 <= pct <= 100:
            raise InputError(
                ["order", "discountCode", kind, "percentage"],
                "Percentage must be between 0 and 100",
            )
        return DiscountApplication(attrs["code"], "percentage", percentage=pct)
    if kind == "itemFixedDiscountCode":
        return DiscountApplication(
            attrs["code"], "fixed_amount", amount=cur.from_input(attrs.get("amountSet"))
        )
    return DiscountApplication(attrs["code"], "free_shipping")


def allocate_discount(
    cur: Currencies, discount: DiscountApplication | None, lines: list[LineItem]
) -> None:
    """Spread a line-item discount across the lines (ACROSS allocation), capped at each line."""
    if discount is None or discount.kind == "free_shipping" or not lines:
        return
    totals = [li.original_total(cur) for li in lines]
    if discount.kind == "percentage":
        factor = (discount.percentage or Decimal(0)) / 100
        shares = [cur.scale(t, factor) for t in totals]
    else:
        amount = discount.amount or Bag.zero()
        capped = amount if amount.shop <= total(totals).shop else total(totals)
        shares = cur.allocate(capped, totals)
    for line, share in zip(lines, shares, strict=True):
        line.discount = share


def tax_lines(
    cur: Currencies, inputs: list[dict[str, Any]] | None, base: Bag, included: bool
) -> list[TaxLine]:
    """Tax lines with the given price, or rate × base (tax-inclusive: base × r / (1 + Σr))."""
    inputs = inputs or []
    rates = sum((Decimal(str(t["rate"])) for t in inputs), Decimal(0))
    out = []
    for t in inputs:
        rate = Decimal(str(t["rate"]))
        if t.get("priceSet"):
            price = cur.from_input(t["priceSet"])
        else:
            price = cur.scale(base, rate / (1 + rates) if included else rate)
        out.append(TaxLine(t["title"], rate, price, bool(t.get("channelLiable"))))
    return out


def apply_order_taxes(
    cur: Currencies, inputs: list[dict[str, Any]] | None, lines: list[LineItem], included: bool
) -> None:
    """Order-level taxLines: given amounts are allocated over taxable lines, else computed."""
    taxable = [li for li in lines if li.taxable and not li.tax_lines]
    if not inputs or not taxable:
        return
    bases = [li.discounted_total(cur) for li in taxable]
    for t in inputs:
        rate = Decimal(str(t["rate"]))
        if t.get("priceSet"):
            shares = cur.allocate(cur.from_input(t["priceSet"]), bases)
            for li, share in zip(taxable, shares, strict=True):
                li.tax_lines.append(TaxLine(t["title"], rate, share))
            continue
        for li, base in zip(taxable, bases, strict=True):
            li.tax_lines.extend(tax_lines(cur, [t], base, included))


def build_shipping(
    cur: Currencies,
    inputs: list[dict[str, Any]] | None,
    free: bool,
    included: bool,
    next_id: NextId,
) -> list[ShippingLine]:
    """Shipping lines; a free-shipping code discounts each one to zero."""
    out = []
    for s in inputs or []:
        price = cur.from_input(s["priceSet"])
        discount = price if free else Bag.zero()
        line = ShippingLine(next_id(), s["title"], price, discount, s.get("code"), s.get("source"))
        line.tax_lines = tax_lines(cur, s.get("taxLines"), price - discount, included)
        out.append(line)
    return out


def build_line(
    cur: Currencies, shop: Any, index: int, data: dict[str, Any], next_id: NextId
) -> LineItem:
    """One line item from a variant (price, sku, title) or from custom title/sku/price."""
    from emulators.shopify.ids import parse_gid

    field = ["order", "lineItems", index]
    if data["quantity"] < 1:
        raise InputError([*field, "quantity"], "Quantity must be greater than 0")
    variant = None
    if data.get("variantId"):
        variant = shop.variants.get(parse_gid(data["variantId"], "ProductVariant"))
        if variant is None:
            raise InputError([*field, "variantId"], "Variant does not exist")
    product = shop.products.get(variant.product_id) if variant else None
    title = data.get("title") or (product.title if product else None)
    if not title:
        raise InputError([*field, "title"], "Title can't be blank")
    if data.get("priceSet"):
        price = cur.from_input(data["priceSet"])
    else:
        price = cur.from_shop(variant.price if variant else Decimal(0))
    return LineItem(
        id=next_id(),
        title=title,
        quantity=data["quantity"],
        unit_price=price,
        discount=Bag.zero(),
        sku=data.get("sku") or (variant.sku if variant else None),
        variant_title=data.get("variantTitle") or (variant.title if variant else None),
        variant_id=variant.id if variant else None,
        product_id=variant.product_id if variant else None,
        vendor=data.get("vendor") or (product.vendor if product else None),
        taxable=data.get("taxable") is not False,
        requires_shipping=bool(data.get("requiresShipping")),
    )


def build_lines(
    cur: Currencies,
    shop: Any,
    data: dict[str, Any],
    included: bool,
    discount: DiscountApplication | None,
    next_id: NextId,
) -> list[LineItem]:
    """Every line with its discount share and taxes."""
    lines = [
        build_line(cur, shop, i, li, next_id) for i, li in enumerate(data.get("lineItems") or [])
    ]
    if not lines:
        raise InputError(["order", "lineItems"], "Line items can't be blank")
    allocate_discount(cur, discount, lines)
    for li, raw in zip(lines, data.get("lineItems") or [], strict=True):
        if raw.get("taxLines") and li.taxable:
            li.tax_lines = tax_lines(cur, raw["taxLines"], li.discounted_total(cur), included)
    apply_order_taxes(cur, data.get("taxLines"), lines, included)
    return lines
