"""The lines of a sales document: products, discounts, shipping, tips, duties, gift cards.

Revenue stays gross: one line per Shopify line at its undiscounted price, the discounts Shopify
allocated to it on the discount item (negative, same tax code, so the taxable base is the one
Shopify taxed) or, without a discount item, in one QBO discount line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rules.documents import DocLine, LineKind
from rules.items import NewItem, new_item_for_line, normalise_sku, sku_match_key
from rules.money import ZERO, quantize, remaining_share
from rules.orders import LineItem, ShippingLine, ShopifyOrder, TaxLine
from rules.payments import redeemed_gift_cards
from rules.problems import Problem
from rules.settings import QBO_SHIPPING_ITEM, SalesOptions
from rules.taxes import line_tax_code, untaxed_code


@dataclass(frozen=True)
class Booking:
    """Which money the document is in: shop money, or presentment money at Shopify's rate."""

    currency: str
    presentment: bool
    exchange_rate: Decimal | None = None


@dataclass
class LineBuilder:
    """Collects lines and problems for one order."""

    order: ShopifyOrder
    options: SalesOptions
    booking: Booking

    def __post_init__(self) -> None:
        self.lines: list[DocLine] = []
        self.problems: list[Problem] = []
        self.discount_total = ZERO

    def money(self, amount: Decimal) -> Decimal:
        """An amount in the booking currency, quantised."""
        return quantize(amount, self.booking.currency)

    def code(self, tax_lines: tuple[TaxLine, ...]) -> str | None:
        """The line's QBO tax code, recording a problem when it has none."""
        found = line_tax_code(tax_lines, self.options, self.order.country_code)
        return self._keep(found)

    def untaxed(self) -> str | None:
        """The code for untaxed lines."""
        return self._keep(untaxed_code(self.options))

    def _keep(self, found: str | Problem) -> str | None:
        """A value, or None after reporting its problem."""
        if isinstance(found, Problem):
            self.report(found)
            return None
        return found

    def report(self, problem: Problem) -> None:
        """Record a problem (once, however many lines share it)."""
        if problem not in self.problems:
            self.problems.append(problem)

    def shipping_item(self, amount: Decimal) -> str | None:
        """The item shipping is posted on: the merchant's shipping item, else QBO's built-in
        shipping line when the company allows it (SalesFormsPrefs.AllowShipping), else None
        after reporting the problem (a free shipping line is then left out, no problem)."""
        if self.options.shipping_item_id:
            return self.options.shipping_item_id
        if self.options.company.allow_shipping:
            return QBO_SHIPPING_ITEM
        if amount:
            self.report(
                Problem(
                    "shipping_item_missing",
                    f"The order charges shipping ({self.money(amount)}) and shipping is turned "
                    "off on your QuickBooks company's sales forms",
                    "choose the shipping item in the sales settings, or turn on Shipping in "
                    "QuickBooks (Settings > Account and settings > Sales > Sales form content)",
                )
            )
        return None

    @property
    def class_id(self) -> str | None:
        """The default Class, when the company tracks classes."""
        return self.options.class_id if self.options.company.tracks_classes else None

    def add(
        self, kind: LineKind, amount: Decimal, item_id: str | None, code: str | None, **kw: Any
    ) -> None:
        """Append a line."""
        self.lines.append(
            DocLine(
                kind,
                self.money(amount),
                item_id=item_id,
                tax_code=code,
                class_id=self.class_id,
                **kw,
            )
        )

    def discount(self, amount: Decimal, code: str | None, description: str) -> None:
        """A discount: a negative line on the discount item, or into the QBO discount line."""
        if not amount:
            return
        if self.options.discount_item_id:
            self.add(
                "discount", -amount, self.options.discount_item_id, code, description=description
            )
        else:
            self.discount_total += amount

    def tax_amount(self, tax_lines: tuple[TaxLine, ...], current: int, quantity: int) -> Decimal:
        """The tax still on a line after refunds, in the booking currency."""
        side = self.booking.presentment
        cur = self.booking.currency
        return sum(
            (remaining_share(t.amount.side(side), current, quantity, cur) for t in tax_lines), ZERO
        )

    def net_of_us_tax(self, gross: Decimal, tax: Decimal) -> Decimal:
        """US companies have no tax-inclusive model: an included-tax amount loses its tax."""
        return gross - tax if self.order.taxes_included and self.options.company.us else gross


def resolve_item(b: LineBuilder, line: LineItem) -> tuple[str | None, NewItem | None]:
    """(QBO item id, item to create) for a product line, recording a problem when neither."""
    options = b.options
    if line.is_gift_card:
        if options.gift_card_item_id:
            return options.gift_card_item_id, None
        b.report(
            Problem(
                "gift_card_item_missing",
                f"The order sells a gift card ('{line.name}')",
                "choose the gift card item (on a liability account) in the sales settings",
            )
        )
        return None, None
    key = sku_match_key(line.sku, options.sku_match_field)
    if key is not None and key in options.lookups.items:
        return options.lookups.items[key], None
    if key is not None and options.create_items:
        return None, new_item_for_line(line, options)
    if options.default_item_id:
        return options.default_item_id, None
    sku = normalise_sku(line.sku)
    b.report(
        Problem(
            "sku_unknown",
            f"SKU '{sku}' is not in QuickBooks",
            "turn on item creation or add the item",
        )
        if sku
        else Problem(
            "sku_missing",
            f"'{line.name}' has no SKU",
            "give the variant a SKU in Shopify, or choose a default product",
        )
    )
    return None, None


def add_product_line(b: LineBuilder, line: LineItem) -> None:
    """A Shopify line: the item at its original unit price, then its discounts."""
    qty, current = line.quantity, line.current_quantity
    if current <= 0:
        return  # refunded or removed entirely: nothing of it is left on the order
    side, cur = b.booking.presentment, b.booking.currency
    item_id, new_item = resolve_item(b, line)
    taxes = () if line.is_gift_card else line.tax_lines
    code = b.untaxed() if line.is_gift_card else b.code(taxes)
    unit = line.unit_price.side(side)
    tax = b.tax_amount(taxes, current, qty)
    amount = b.net_of_us_tax(unit * current, tax)
    b.add(
        "gift_card" if line.is_gift_card else "item",
        amount,
        item_id,
        code,
        new_item=new_item,
        qty=Decimal(current),
        description=line.name,
        unit_price=unit if amount == unit * current else amount / current,
    )
    discount = remaining_share(line.discount.side(side), current, qty, cur)
    b.discount(discount, code, f"Discount on {line.name}")


def add_shipping_line(b: LineBuilder, line: ShippingLine) -> None:
    """A shipping line on the shipping item with its own tax; its discount like any other.

    Without a discount item the discount is netted into the line: QBO's discount line never
    discounts QBO's shipping line.
    """
    if line.is_removed:
        return
    side = b.booking.presentment
    code = b.code(line.tax_lines)
    price, discount = line.price.side(side), line.discount.side(side)
    separate = bool(b.options.discount_item_id)
    amount = b.net_of_us_tax(
        price if separate else price - discount, b.tax_amount(line.tax_lines, 1, 1)
    )
    label = line.title if separate or not discount else f"{line.title} (after discount)"
    item = b.shipping_item(price)
    if item is None:
        return
    b.add("shipping", amount, item, code, description=label)
    if separate:
        b.discount(discount, code, f"Discount on shipping ({line.title})")


def add_shipping_refund(b: LineBuilder) -> None:
    """Shipping refunded after the sale: the current shipping is below what the lines charged."""
    order, side = b.order, b.booking.presentment
    if order.current_shipping is None:
        return
    live = [s for s in order.shipping_lines if not s.is_removed]
    charged = sum((s.price.side(side) - s.discount.side(side) for s in live), ZERO)
    refunded = b.money(charged - order.current_shipping.side(side))
    item = b.shipping_item(refunded) if refunded > 0 and live else None
    if item is not None:
        b.add(
            "shipping", -refunded, item, b.code(live[0].tax_lines), description="Shipping refunded"
        )


def add_extra_line(b: LineBuilder, kind: LineKind, amount: Decimal, item_id: str | None) -> None:
    """A tip or duty (untaxed) on its own item."""
    if not amount:
        return
    if not item_id:
        label = "tip" if kind == "tip" else "duties"
        b.report(
            Problem(
                f"{kind}_item_missing",
                f"The order has {label} of {amount}",
                f"choose the {label} item in the sales settings",
            )
        )
        return
    b.add(kind, amount, item_id, b.untaxed(), description="Tip" if kind == "tip" else "Duties")


def add_gift_card_redemption(b: LineBuilder) -> None:
    """Gift cards redeemed: a negative, untaxed line on the gift card item (on the liability).

    Intuit's way of redeeming a gift certificate in QBO:
    https://quickbooks.intuit.com/community/Manage-suppliers-and-expenses/Sell-and-redeem-gift-cards-or-certificates-in-QuickBooks-Online/m-p/262795
    """
    redeemed = b.money(redeemed_gift_cards(b.order, b.booking.presentment))
    if not redeemed:
        return
    if not b.options.gift_card_item_id:
        b.report(
            Problem(
                "gift_card_redeemed_item_missing",
                f"The order was paid with a gift card ({redeemed}), which reduces the gift card "
                "liability",
                "choose the gift card item (on the gift card liability account) in the sales "
                "settings",
            )
        )
        return
    b.add(
        "gift_card",
        -redeemed,
        b.options.gift_card_item_id,
        b.untaxed(),
        description="Gift card redeemed",
    )


def build_lines(b: LineBuilder) -> None:
    """Every line of the order, in Shopify's order, then the QBO discount line if any."""
    order, side = b.order, b.booking.presentment
    for line in order.line_items:
        add_product_line(b, line)
    for shipping in order.shipping_lines:
        add_shipping_line(b, shipping)
    add_shipping_refund(b)
    add_extra_line(b, "tip", order.total_tip.side(side), b.options.tip_item_id)
    add_extra_line(b, "duty", order.current_duties.side(side), b.options.duty_item_id)
    add_gift_card_redemption(b)
    if b.discount_total:
        b.lines.append(
            DocLine(
                "discount_total",
                b.money(b.discount_total),
                description="Shopify discounts",
                class_id=b.class_id,
            )
        )
