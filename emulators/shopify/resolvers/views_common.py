"""Shared pieces of the GraphQL views: DateTime formatting, lazy connections, tax lines."""

from __future__ import annotations

from typing import Any

from emulators.shopify.money import Currencies
from emulators.shopify.order_model import Order, TaxLine
from emulators.shopify.resolvers.pagination import connection


def iso(value: Any) -> str | None:
    """ISO 8601 with Z, as Shopify's DateTime scalar."""
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _record_id(item: Any) -> Any:
    """Default pagination key: the record's id."""
    return item.id


def lazy_connection(items: list[Any], to_node: Any, key: Any = _record_id) -> Any:
    """A resolver for a connection field over a list of records."""

    def resolve(info: Any, **args: Any) -> dict[str, Any]:
        """One page, honouring first/after/last/before/reverse."""
        page = {k: args.get(k) for k in ("first", "after", "last", "before")}
        ordered = list(reversed(items)) if args.get("reverse") else items
        return connection(ordered, to_node, key, **page)

    return resolve


def aggregate_tax_lines(order: Order) -> list[TaxLine]:
    """Order-level tax lines: line and shipping taxes summed by (title, rate)."""
    merged: dict[tuple[str, Any], TaxLine] = {}
    sources = [li.tax_lines for li in order.line_items] + [
        s.tax_lines for s in order.shipping_lines
    ]
    for tax_lines in sources:
        for t in tax_lines:
            key = (t.title, t.rate)
            prev = merged.get(key)
            merged[key] = TaxLine(
                t.title, t.rate, t.price + prev.price if prev else t.price, t.channel_liable
            )
    return list(merged.values())


def tax_line_node(cur: Currencies, t: TaxLine) -> dict[str, Any]:
    """The TaxLine object (rate is a Float in the schema)."""
    return {
        "title": t.title,
        "rate": float(t.rate),
        "ratePercentage": float(t.rate * 100),
        "priceSet": cur.money_bag(t.price),
        "price": str(cur.round(t.price).shop),
        "channelLiable": t.channel_liable,
        "source": "Merchant",
    }


def address_node(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """MailingAddress from the MailingAddressInput an order was created with."""
    if not data:
        return None
    name = " ".join(p for p in (data.get("firstName"), data.get("lastName")) if p) or None
    lines = [data.get(k) for k in ("address1", "address2", "city", "zip", "countryCode")]
    return {
        **data,
        "id": "gid://shopify/MailingAddress/1",
        "name": name,
        "countryCodeV2": data.get("countryCode"),
        "coordinatesValidated": False,
        "formatted": [line for line in lines if line],
        "formattedArea": ", ".join(
            p for p in (data.get("city"), data.get("provinceCode"), data.get("countryCode")) if p
        )
        or None,
    }


def rest_address(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """The REST (snake_case) form of a MailingAddressInput."""
    if not data:
        return None
    keys = {
        "firstName": "first_name",
        "lastName": "last_name",
        "countryCode": "country_code",
        "provinceCode": "province_code",
    }
    return {keys.get(k, k): v for k, v in data.items()}
