"""Sales options for the emulator's template companies (us, ca, uk, au), and QBO's arithmetic on a
document as the emulator performs it."""

from __future__ import annotations

import copy
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from emulators.quickbooks import sales as qbo_sales
from emulators.quickbooks import templates
from emulators.quickbooks.store import Company, EmulatorState
from rules.documents import SalesDocument, to_qbo_dict
from rules.orders import parse_order
from rules.problems import Problems
from rules.sales import order_to_sales_document
from rules.settings import CompanyFacts, ResolvedIds, SalesOptions, TaxCodeRates
from settings_schema import Sales, Sync, defaults
from tests.rules.builders import Line, make_order

ITEMS = {f"SKU-{n}": str(100 + n) for n in range(1, 10)}
ITEM_IDS = {"discount": "201", "shipping": "202", "rounding": "203", "gift": "204", "tip": "205"}


@lru_cache
def company(template: str) -> Company:
    """An emulator company made from a template (shared: the arithmetic never changes it)."""
    return templates.create(EmulatorState(), template)


# A company the emulator has no template for: Japan, yen without minor unit, 10% JCT.
JP_RATES = {
    "JCT10": TaxCodeRates("JCT10", (("r10", Decimal(10)),)),
    "JCT0": TaxCodeRates("JCT0", (("r0", Decimal(0)),)),
}


def code_id(template: str, name: str) -> str:
    """The Id of the template's tax code called `name`."""
    if template == "jp":
        return name
    return next(c["Id"] for c in company(template).all("TaxCode") if c["Name"] == name)


def rates(template: str) -> dict[str, TaxCodeRates]:
    """Every tax code's rates, as the poster reads them from QBO."""
    if template == "jp":
        return JP_RATES
    co, out = company(template), {}
    for code in co.all("TaxCode"):
        details = (code.get("SalesTaxRateList") or {}).get("TaxRateDetail") or []
        pairs = tuple(
            (d["TaxRateRef"]["value"], co.get("TaxRate", d["TaxRateRef"]["value"])["RateValue"])
            for d in details
        )
        out[code["Id"]] = TaxCodeRates(code["Id"], pairs)
    return out


TAX_MAPS = {
    "uk": {"VAT 20%": "20.0% S", "VAT 5%": "5.0% R", "VAT 0%": "0.0% Z"},
    "ca": {"GST 5%": "GST", "GST 5% + PST 7%": "GST/PST BC", "HST 13%": "HST ON"},
    "us": {},
    "jp": {"JCT 10%": "JCT10"},
    "au": {"GST 10%": "GST"},
}
UNTAXED = {"uk": "0.0% Z", "ca": "Exempt", "us": None, "jp": "JCT0", "au": "GST free"}
FACTS = {
    "uk": CompanyFacts(country="GB", home_currency="GBP"),
    "ca": CompanyFacts(country="CA", home_currency="CAD"),
    "us": CompanyFacts(country="US", home_currency="USD"),
    "jp": CompanyFacts(country="JP", home_currency="JPY"),
    "au": CompanyFacts(country="AU", home_currency="AUD"),
}


def options(template: str, lookups: dict[str, Any] | None = None, **kw: Any) -> SalesOptions:
    """Options for a template company: the settings' defaults, items matched by SKU and never
    created, every item chosen; `kw` overrides options."""
    tax_codes = {k: code_id(template, v) for k, v in TAX_MAPS[template].items()}
    untaxed = UNTAXED[template]
    base = SalesOptions.from_settings(
        defaults(Sales),
        defaults(Sync),
        company=FACTS[template],
        lookups=ResolvedIds(items=dict(ITEMS), tax_codes=tax_codes, tax_rates=rates(template)),
        shop_domain="example-shop.myshopify.com",
    )
    base = replace(
        base,
        sku_match_field="sku",
        create_items=False,
        discount_item_id=ITEM_IDS["discount"],
        shipping_item_id=ITEM_IDS["shipping"],
        rounding_item_id=ITEM_IDS["rounding"],
        gift_card_item_id=ITEM_IDS["gift"],
        tip_item_id=ITEM_IDS["tip"],
        untaxed_tax_code_id=code_id(template, untaxed) if untaxed else None,
        statuses=frozenset({"PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "PENDING"}),
    )
    if lookups:
        base = replace(base, lookups=replace(base.lookups, **lookups))
    return replace(base, **kw)


def emulator_totals(template: str, doc: SalesDocument) -> tuple[Decimal, Decimal] | None:
    """(TotalAmt, TxnTaxDetail.TotalTax) the QBO emulator computes for the document's JSON."""
    if template not in templates.TEMPLATES:
        return None
    body = copy.deepcopy(
        to_qbo_dict(doc, rates(template), {i.name: "999" for i in doc.new_items}, "1")
    )
    qbo_sales.compute(company(template), body)
    return body["TotalAmt"], body["TxnTaxDetail"]["TotalTax"]


ODD_LINES = [Line("SKU-1", "9.99", 3), Line("SKU-2", "4.45", 2)]


def build(
    template: str = "uk",
    lines: list[Line] | None = None,
    lookups: dict[str, Any] | None = None,
    order: dict[str, Any] | None = None,
    **kw: Any,
) -> SalesDocument | Problems:
    """The document (or problems) for a built order under template options."""
    node = make_order(lines or ODD_LINES, **(order or {}))
    return order_to_sales_document(parse_order(node), options(template, lookups=lookups, **kw))
