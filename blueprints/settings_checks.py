"""Settings rules that span fields or depend on the QuickBooks company."""

from __future__ import annotations

from models import Shop
from services.setup import missing_for_automation
from settings_schema import ItemType


def _company_checks(shop: Shop) -> dict[str, str]:
    """Options QBO only honours when the company has the matching preference on."""
    errors: dict[str, str] = {}
    sales, connection = shop.sales_settings, shop.quickbooks_connection
    if connection is None:
        return errors
    if sales.qbo_class_id and not connection.class_tracking:
        errors["sales.qbo_class_id"] = "class tracking is off in your QuickBooks company"
    if sales.qbo_department_id and not connection.location_tracking:
        errors["sales.qbo_department_id"] = "location tracking is off in your QuickBooks company"
    if not sales.auto_doc_number and not connection.custom_txn_numbers:
        errors["sales.auto_doc_number"] = (
            "your QuickBooks company numbers documents itself (custom transaction numbers are "
            "off): turn on automatic numbers here, or custom transaction numbers in QuickBooks"
        )
    return errors


def _inventory_item_checks(shop: Shop) -> dict[str, str]:
    """Inventory items need a start date on or before the first day synced."""
    sales, start = shop.sales_settings, shop.sync_settings.integration_start_date
    if not (sales.create_items and sales.item_type == ItemType.INVENTORY):
        return {}
    if sales.inventory_start_date is None:
        return {"sales.inventory_start_date": "is required to create inventory items"}
    if start is not None and sales.inventory_start_date > start:
        return {
            "sales.inventory_start_date": (
                f"must be on or before the integration start date ({start.isoformat()}): "
                "QuickBooks refuses sales dated before an item's start date (e.g. 31 January "
                "to sync from 1 February)"
            )
        }
    return {}


def _automation_checks(shop: Shop) -> dict[str, str]:
    """Automated triggers need the terms; the stock push needs a location and opening stock."""
    errors: dict[str, str] = {}
    sync, inventory = shop.sync_settings, shop.inventory_settings
    missing: list[str] | None = None
    for name in ("hourly_sync_enabled", "webhook_sync_enabled"):
        if not getattr(sync, name):
            continue
        if sync.terms_accepted_at is None:
            errors[f"sync.{name}"] = "accept the terms of use before turning on automated sync"
            continue
        missing = missing_for_automation(shop) if missing is None else missing
        if missing:
            errors[f"sync.{name}"] = (
                "finish the setup before turning on automated sync: " + " ".join(missing)
            )
    if inventory.enabled and not inventory.shopify_location_id:
        errors["inventory.shopify_location_id"] = "choose the Shopify location to set stock at"
    if inventory.enabled and not inventory.opening_stock_confirmed:
        errors["inventory.opening_stock_confirmed"] = (
            "confirm opening stock is entered in QuickBooks first, or Shopify stock would be "
            "set to zero"
        )
    elif inventory.enabled and inventory.preview_approved_at is None:
        errors["inventory.enabled"] = (
            "look through the stock preview on the Stock page and approve it first: it shows "
            "what Shopify's stock would become"
        )
    return errors


def cross_checks(shop: Shop) -> dict[str, str]:
    """Every rule that looks at more than one field."""
    return _company_checks(shop) | _inventory_item_checks(shop) | _automation_checks(shop)


# The fields of a save a failing check refuses, by the field the check names: the named field
# itself, and the switches whose change made the check apply (a check naming a field the save
# did not send refuses the sent switch instead, so a half-configured feature is never turned on).
REFUSES: dict[str, tuple[str, ...]] = {
    "sales.inventory_start_date": (
        "sales.inventory_start_date",
        "sales.create_items",
        "sales.item_type",
        "sync.integration_start_date",
    ),
    "inventory.shopify_location_id": ("inventory.shopify_location_id", "inventory.enabled"),
    "inventory.opening_stock_confirmed": ("inventory.opening_stock_confirmed", "inventory.enabled"),
}


def refused_fields(field: str) -> tuple[str, ...]:
    """The dotted fields a failing check named `field` refuses when this save changed them."""
    return REFUSES.get(field, (field,))
