"""The guided setup's steps, in order, each done or missing what, in the merchant's words.

`GET /api/setup` shows them; automated sync (hourly or on webhooks) cannot be turned on while
a required step is missing (blueprints/settings_checks.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from extensions import db
from models import (
    ConnectionStatus,
    PaymentGatewayMapping,
    RunStatus,
    Shop,
    SyncRun,
    TaxMapping,
    Workflow,
)
from settings_schema import SECTIONS, CustomerMode, extra

TERMS_VERSION = "2026-11"


@dataclass
class Step:
    """One step of the guided setup: what it still misses, and how the merchant takes it — the
    settings it shows (`fields`, "section.name" keys of the settings schema), the page that holds
    the rest of it, or the action the setup page offers (connect, preview, terms)."""

    id: str
    title: str
    required: bool = True
    missing: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    page: str | None = None
    action: str | None = None
    note: str | None = None

    @property
    def done(self) -> bool:
        return not self.missing

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "required": self.required,
            "done": self.done,
            "missing": self.missing,
            "fields": self.fields,
            "page": self.page,
            "action": self.action,
            "note": self.note,
        }


def _connect(shop: Shop) -> list[str]:
    connection = shop.quickbooks_connection
    if connection is None or connection.status != ConnectionStatus.CONNECTED:
        return ["Connect your QuickBooks company."]
    return []


def _what_to_send(shop: Shop) -> list[str]:
    sales = shop.sales_settings
    missing = [] if sales.enabled else ["Turn on sending Shopify orders to QuickBooks."]
    if not sales.financial_statuses:
        missing.append("Choose which orders to send (paid, partially paid, ...).")
    return missing


def _customers(shop: Shop) -> list[str]:
    sales = shop.sales_settings
    if sales.customer_mode == CustomerMode.GENERIC and not sales.generic_customer_name.strip():
        return ["Name the QuickBooks customer every order is recorded against."]
    return []


def _items(shop: Shop) -> list[str]:
    sales = shop.sales_settings
    if sales.create_items and not sales.qbo_income_account_id:
        return ["Choose the income account new QuickBooks items record sales in."]
    if not sales.create_items and not sales.qbo_default_item_id:
        return ["Choose the QuickBooks item for products not found in QuickBooks."]
    return []


def maps_taxes(shop: Shop) -> bool:
    """Whether the merchant maps Shopify taxes to tax codes: outside the US. A US company's
    sales tax is worked out by QuickBooks (automated sales tax), so the sync sends no codes."""
    connection = shop.quickbooks_connection
    return connection is not None and (connection.country or "US") != "US"


def _taxes(shop: Shop) -> list[str]:
    """Outside the US every line needs a tax code: each Shopify tax seen, and untaxed lines."""
    if not maps_taxes(shop):
        return []
    missing = []
    if not shop.sales_settings.qbo_untaxed_tax_code_id:
        missing.append("Choose the QuickBooks tax code for untaxed lines (zero-rated or exempt).")
    for tax in db.session.scalars(
        select(TaxMapping).filter_by(shop_id=shop.id).order_by(TaxMapping.title, TaxMapping.id)
    ):
        if not tax.qbo_tax_code_id:
            where = "/".join(p for p in (tax.country_code, tax.region_code) if p)
            # "VAT 20%" already carries its rate: "(GB)", not "(20%, GB)".
            rate = "" if "%" in (tax.title or "") else f"{(tax.rate * 100).normalize():f}%"
            detail = ", ".join(p for p in (rate, where) if p)
            missing.append(
                f"Choose the QuickBooks tax code for the Shopify tax {tax.title}"
                + (f" ({detail})." if detail else ".")
            )
    return missing


GATEWAY_NAMES = {
    "gift_card": "Gift card",
    "shopify_payments": "Shopify Payments",
    "paypal": "PayPal",
    "manual": "Manual",
}


def gateway_label(gateway: str) -> str:
    """A payment gateway in the merchant's words: "Shopify Payments", not "shopify_payments"."""
    key = (gateway or "").strip()
    known = GATEWAY_NAMES.get("_".join(key.lower().replace("-", " ").split()))
    if known:
        return known
    return " ".join(w[:1].upper() + w[1:] for w in key.replace("-", " ").replace("_", " ").split())


def _payments(shop: Shop) -> list[str]:
    """Each gateway seen deposits to its own account, or to the default one chosen (which may
    be Undeposited Funds, chosen explicitly)."""
    sales = shop.sales_settings
    if not sales.record_payments or sales.qbo_clearing_account_id:
        return []
    gateways = db.session.scalars(
        select(PaymentGatewayMapping)
        .filter_by(shop_id=shop.id)
        .order_by(PaymentGatewayMapping.gateway)
    )
    return [
        f"Choose the account payments through {gateway_label(g.gateway)} are deposited to"
        " (or Undeposited Funds)."
        for g in gateways
        if not g.qbo_clearing_account_id
    ]


def _start_date(shop: Shop) -> list[str]:
    if shop.sync_settings.integration_start_date is None:
        return ["Choose the first day whose orders are sent to QuickBooks."]
    return []


def _preview(shop: Shop) -> list[str]:
    previewed = db.session.scalar(
        select(SyncRun.id)
        .filter_by(shop_id=shop.id, workflow=Workflow.SALES, dry_run=True)
        .where(SyncRun.status.in_((RunStatus.SUCCEEDED, RunStatus.PARTIAL)))
        .limit(1)
    )
    return [] if previewed else ["Preview what would be sent to QuickBooks."]


def _terms(shop: Shop) -> list[str]:
    sync = shop.sync_settings
    if sync.terms_accepted_at is None:
        return ["Accept the terms of use."]
    if sync.terms_version != TERMS_VERSION:
        return ["Accept the updated terms of use."]
    return []


def _automation(shop: Shop) -> list[str]:
    sync = shop.sync_settings
    if sync.hourly_sync_enabled or sync.webhook_sync_enabled:
        return []
    return ["Turn on automatic sync (every hour, or as orders arrive)."]


def _products(shop: Shop) -> list[str]:
    if shop.product_settings.enabled:
        return []
    return ["Turn on copying your Shopify products to QuickBooks (optional)."]


def _stock(shop: Shop) -> list[str]:
    """The stock push is turned on from the Stock page, after its preview and confirmation."""
    inventory = shop.inventory_settings
    if inventory.enabled:
        return []
    missing = [] if inventory.shopify_location_id else ["Choose the Shopify location."]
    if inventory.preview_approved_at is None:
        missing.append("Preview stock levels and confirm opening stock on the Stock page.")
    return missing + ["Turn on setting Shopify stock from QuickBooks."]


@dataclass(frozen=True)
class StepSpec:
    """How a step is checked and where it is taken."""

    id: str
    title: str
    required: bool
    check: Callable[[Shop], list[str]]
    steps: tuple[tuple[str, str], ...] = ()  # the settings schema's (section, step) it shows
    fields: tuple[str, ...] = ()  # single settings it shows, "section.name"
    page: str | None = None
    action: str | None = None


STEPS = (
    StepSpec("connect", "Connect QuickBooks", True, _connect, action="connect"),
    StepSpec(
        "send", "What to send", True, _what_to_send, (("sales", "orders"), ("sales", "documents"))
    ),
    StepSpec("customers", "Customers", True, _customers, (("sales", "customers"),)),
    StepSpec("items", "Items and accounts", True, _items, (("sales", "items"), ("sales", "lines"))),
    StepSpec("taxes", "Taxes", True, _taxes, (("sales", "taxes"),), page="taxes"),
    StepSpec("payments", "Payments", True, _payments, (("sales", "payments"),), page="taxes"),
    StepSpec(
        "start_date", "Start date", True, _start_date, fields=("sync.integration_start_date",)
    ),
    StepSpec("preview", "Preview", False, _preview, action="preview"),
    StepSpec("terms", "Terms of use", True, _terms, action="terms"),
    StepSpec(
        "automation",
        "Automation",
        False,
        _automation,
        fields=("sync.hourly_sync_enabled", "sync.webhook_sync_enabled"),
    ),
    # Optional workflows, products first (stock is matched to the items they create). Stock is
    # turned on from its page, where its preview and the confirmation are.
    StepSpec(
        "products", "Products", False, _products, (("products", "products"),), page="products"
    ),
    StepSpec(
        "stock",
        "Stock levels",
        False,
        _stock,
        fields=("inventory.shopify_location_id",),
        page="stock",
        action="page",
    ),
)
US_TAX_NOTE = (
    "QuickBooks works out US sales tax itself (automated sales tax): there is nothing to map."
)


def _fields(spec: StepSpec) -> list[str]:
    """The settings the step shows, in the schema's order."""
    keys = list(spec.fields)
    for section, step in spec.steps:
        model = SECTIONS[section]
        keys += [
            f"{section}.{n}"
            for n, info in model.model_fields.items()
            if extra(info)["step"] == step
        ]
    return keys


def _step(shop: Shop, spec: StepSpec) -> Step:
    """The step as this shop stands: US companies map no taxes, so none are shown to them."""
    step = Step(
        spec.id, spec.title, spec.required, spec.check(shop), _fields(spec), spec.page, spec.action
    )
    if spec.id == "taxes" and not maps_taxes(shop):
        step.fields, step.page, step.note = [], None, US_TAX_NOTE
    return step


def setup_steps(shop: Shop) -> list[Step]:
    """Every step in order, with what it still misses."""
    shop.ensure_settings()
    return [_step(shop, spec) for spec in STEPS]


def missing_for_automation(shop: Shop) -> list[str]:
    """What a required step still misses, before automated sync can be turned on (the terms
    have their own check, the automation step is the one being taken)."""
    return [
        f"{step.title}: {missing}"
        for step in setup_steps(shop)
        if step.required and step.id != "terms"
        for missing in step.missing
    ]
