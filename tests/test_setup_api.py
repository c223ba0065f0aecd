"""GET /api/setup: the guided setup's steps in order, each done or missing what; automated sync
cannot be turned on while a required step is missing."""

from __future__ import annotations

from decimal import Decimal

from extensions import db
from models import PaymentGatewayMapping, Shop, TaxMapping

SHOP = "setup.myshopify.com"
STEP_IDS = [
    "connect",
    "send",
    "customers",
    "items",
    "taxes",
    "payments",
    "start_date",
    "preview",
    "terms",
    "automation",
    "products",
    "stock",
]


def steps(owner) -> dict[str, dict]:
    response = owner.api("GET", "/api/setup")
    assert response.status_code == 200
    body = response.get_json()
    assert [s["id"] for s in body["steps"]] == STEP_IDS
    assert all(isinstance(s["done"], bool) and s["title"] for s in body["steps"])
    return {s["id"]: s for s in body["steps"]} | {"all": body}


def seen(domain: str, tax: str = "VAT 20%", gateway: str = "shopify_payments") -> TaxMapping:
    """A tax and a gateway as the sync records them when it first meets them on an order."""
    shop = Shop.by_domain(domain)
    assert shop is not None
    row = TaxMapping(shop_id=shop.id, title=tax, rate=Decimal("0.2"), country_code="GB")
    db.session.add_all([row, PaymentGatewayMapping(shop_id=shop.id, gateway=gateway)])
    db.session.commit()
    return row


def test_a_new_us_shop_lists_what_is_missing(make_store, merchant) -> None:
    make_store(SHOP, sales={})
    status = steps(merchant(SHOP))
    assert status["connect"]["done"] and status["items"]["done"]
    assert status["taxes"]["done"]  # US: the sync sends TAX/NON itself
    assert not status["send"]["done"] and "Turn on" in status["send"]["missing"][0]
    assert not status["start_date"]["done"] and not status["terms"]["done"]
    assert status["all"]["done"] is False


def test_a_disconnected_shop_starts_at_connect(make_store, merchant) -> None:
    make_store(SHOP, install=False)
    owner = merchant(SHOP)
    assert owner.open_app().status_code == 200
    status = steps(owner)
    assert status["connect"]["missing"] == ["Connect your QuickBooks company."]


def test_uk_taxes_and_gateways_need_mapping(make_store, merchant) -> None:
    make_store(SHOP, template="uk", sales={})
    owner = merchant(SHOP)
    tax = seen(SHOP)
    status = steps(owner)
    assert len(status["taxes"]["missing"]) == 2  # untaxed lines, and VAT 20%
    assert any("VAT 20%" in m for m in status["taxes"]["missing"])
    assert status["payments"]["missing"] and "Shopify Payments" in status["payments"]["missing"][0]
    code = owner.first_choice("tax_codes", "20.0% S")
    exempt = owner.first_choice("tax_codes", "Exempt")
    bank = owner.first_choice("accounts?type=Bank", "")
    owner.put_settings(
        {
            "sales": {"qbo_untaxed_tax_code_id": exempt},
            "tax_mappings": [{"id": tax.id, "qbo_tax_code_id": code}],
            "gateway_mappings": [{"gateway": "shopify_payments", "qbo_clearing_account_id": bank}],
        }
    )
    status = steps(owner)
    assert status["taxes"] == status["taxes"] | {"done": True, "missing": []}
    assert status["payments"]["done"]


def test_one_default_deposit_account_covers_every_gateway(make_store, merchant) -> None:
    make_store(SHOP, sales={})
    owner = merchant(SHOP)
    seen(SHOP)
    assert not steps(owner)["payments"]["done"]
    funds = owner.first_choice("accounts?type=Other Current Asset", "Undeposited")
    owner.put_settings({"sales": {"qbo_clearing_account_id": funds}})
    assert steps(owner)["payments"]["done"]


def test_automated_sync_waits_for_the_required_steps(make_store, merchant) -> None:
    make_store(SHOP, sales={})
    owner = merchant(SHOP)
    owner.put_settings({"sync": {"accept_terms": True}})
    refused = owner.api(
        "PUT",
        "/api/settings",
        {"sync": {"hourly_sync_enabled": True, "webhook_sync_enabled": True}},
    )
    assert refused.status_code == 422
    errors = refused.get_json()["errors"]
    assert set(errors) == {"sync.hourly_sync_enabled", "sync.webhook_sync_enabled"}
    assert "Start date" in errors["sync.hourly_sync_enabled"]
    assert "What to send" in errors["sync.hourly_sync_enabled"]
    assert refused.get_json()["settings"]["sync"]["hourly_sync_enabled"] is False
    body = owner.put_settings(
        {
            "sales": {"enabled": True},
            "sync": {"integration_start_date": "2026-01-01", "hourly_sync_enabled": True},
        }
    )
    assert body["sync"]["hourly_sync_enabled"] is True
    status = steps(owner)
    assert status["all"]["done"] and status["automation"]["done"]


def test_setup_needs_a_session_token(client) -> None:
    assert client.get("/api/setup").status_code == 401


def test_products_and_stock_are_optional_steps_taken_on_their_pages(make_store, merchant) -> None:
    make_store(SHOP)
    owner = merchant(SHOP)
    status = steps(owner)
    products, stock = status["products"], status["stock"]
    assert not products["required"] and not stock["required"]
    assert products["page"] == "products" and "products.enabled" in products["fields"]
    assert stock["page"] == "stock" and stock["action"] == "page"
    assert stock["fields"] == ["inventory.shopify_location_id"]
    assert any("Stock page" in m for m in stock["missing"])
    owner.put_settings({"products": {"enabled": True}})
    assert steps(owner)["products"]["done"]
