"""The guided setup's steps, in order, each done or missing what, in the merchant's words.

`GET /api/setup` shows them; automated sync (hourly or on webhooks) cannot be turned on while
a required step is missing (blueprints/settings_checks.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from extensions import db
from models import (
    ConnectionStatus,
    CustomerMode,
    PaymentGatewayMapping,
    RunStatus,
    Shop,
    SyncRun,
    TaxMapping,
    Workflow,
)

TERMS_VERSION = "2026-11"


@dataclass
class Step:
    """One step of the guided setup."""

    id: str
    title: str
    required: bool = True
    missing: list[str] = field(default_factory=list)

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


def _non_us(shop: Shop) -> bool:
    connection = shop.quickbooks_connection
    return connection is not None and (connection.country or "US") != "US"


def _taxes(shop: Shop) -> list[str]:
    """Outside the US every line needs a tax code: each Shopify tax seen, and untaxed lines."""
    if not _non_us(shop):
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


STEPS = (
    ("connect", "Connect QuickBooks", True, _connect),
    ("send", "What to send", True, _what_to_send),
    ("customers", "Customers", True, _customers),
    ("items", "Items and accounts", True, _items),
    ("taxes", "Taxes", True, _taxes),
    ("payments", "Payments", True, _payments),
    ("start_date", "Start date", True, _start_date),
    ("preview", "Preview", False, _preview),
    ("terms", "Terms of use", True, _terms),
    ("automation", "Automation", False, _automation),
)


def setup_steps(shop: Shop) -> list[Step]:
    """Every step in order, with what it still misses."""
    shop.ensure_settings()
    return [
        Step(step_id, title, required, check(shop)) for step_id, title, required, check in STEPS
    ]


def missing_for_automation(shop: Shop) -> list[str]:
    """What a required step still misses, before automated sync can be turned on (the terms
    have their own check, the automation step is the one being taken)."""
    return [
        f"{step.title}: {missing}"
        for step in setup_steps(shop)
        if step.required and step.id != "terms"
        for missing in step.missing
    ]
