"""GET/PUT /api/settings: defaults for every option, validation naming the field, each field
saved on its own, and only ever the authenticated shop's settings."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from extensions import db
from models import QuickBooksConnection, SalesSettings, Shop, TaxMapping

ALPHA, BETA = "alpha.myshopify.com", "beta.myshopify.com"


@pytest.fixture
def shops(app) -> dict[str, Shop]:
    """Two installed shops connected to QBO companies with classes and locations tracked."""
    made = {}
    for domain in (ALPHA, BETA):
        shop = Shop(shop_domain=domain, installed_at=datetime.now(UTC), shopify_access_token="t")
        shop.quickbooks_connection = QuickBooksConnection(
            realm_id="1", class_tracking=True, location_tracking=True, custom_txn_numbers=True
        )
        db.session.add(shop)
        made[domain] = shop
    db.session.commit()
    return made


def call(client, session_token, method: str, body=None, shop: str = ALPHA):
    """A settings API call as the embedded page makes it."""
    return client.open(
        "/api/settings",
        method=method,
        json=body,
        headers={"Authorization": f"Bearer {session_token(shop)}"},
    )


def test_defaults_cover_every_section(client, shops, session_token) -> None:
    body = call(client, session_token, "GET").get_json()
    assert body["sales"]["financial_statuses"] == ["PAID"]
    assert body["sales"]["document_type"] == "sales_receipt"
    assert body["sales"]["customer_mode"] == "original"
    assert body["inventory"]["max_zero_share"] == "0.1000"
    assert body["sync"]["hourly_sync_enabled"] is False and body["sync"]["terms_version"] is None
    assert body["tax_mappings"] == [] and body["gateway_mappings"] == []


def test_saving_the_defaults_untouched_works(client, shops, session_token) -> None:
    defaults = call(client, session_token, "GET").get_json()
    sections = {k: v for k, v in defaults.items() if k in {"sales", "products", "inventory"}}
    assert call(client, session_token, "PUT", sections).status_code == 200


def test_changes_are_saved_and_read_back(client, shops, session_token) -> None:
    changes = {
        "sales": {
            "document_type": "invoice",
            "order_number_prefix": "SH-",
            "financial_statuses": ["PARTIALLY_PAID", "PAID"],
            "customer_mode": "generic",
            "generic_customer_name": "Online Sales",
            "qbo_class_id": "7",
            "qbo_shipping_item_id": "21",
        },
        "inventory": {"max_zero_share": "0.25"},
    }
    body = call(client, session_token, "PUT", changes).get_json()
    assert body["sales"]["document_type"] == "invoice"
    assert body["sales"]["financial_statuses"] == ["PAID", "PARTIALLY_PAID"]
    assert body["inventory"]["max_zero_share"] == "0.2500"
    db.session.expire_all()
    assert db.session.get(SalesSettings, shops[ALPHA].id).qbo_shipping_item_id == "21"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        (
            {"sales": {"order_number_prefix": "SHOPIFY-STORE-"}},
            "sales.order_number_prefix",
            "QuickBooks document numbers hold 21",
        ),
        ({"sales": {"document_type": "estimate"}}, "sales.document_type", "sales_receipt"),
        ({"sales": {"financial_statuses": []}}, "sales.financial_statuses", "at least one"),
        ({"sales": {"financial_statuses": ["VOIDED"]}}, "sales.financial_statuses", "VOIDED"),
        (
            {"sales": {"generic_customer_name": "Shop: Online"}},
            "sales.generic_customer_name",
            "':'",
        ),
        ({"sales": {"qbo_income_account_id": "abc"}}, "sales.qbo_income_account_id", "digits"),
        ({"sales": {"bogus": 1}}, "sales.bogus", "not a setting"),
        ({"inventory": {"max_zero_share": "1.5"}}, "inventory.max_zero_share", "between 0 and 1"),
        ({"sync": {"hourly_sync_enabled": True}}, "sync.hourly_sync_enabled", "terms of use"),
        (
            {"inventory": {"enabled": True, "shopify_location_id": "gid://shopify/Location/1"}},
            "inventory.opening_stock_confirmed",
            "set to zero",
        ),
        (
            {
                "sales": {
                    "create_items": True,
                    "item_type": "inventory",
                    "inventory_start_date": "2026-02-02",
                },
                "sync": {"integration_start_date": "2026-02-01"},
            },
            "sales.inventory_start_date",
            "on or before the integration start date",
        ),
        (
            {"sales": {"create_items": True, "item_type": "inventory"}},
            "sales.inventory_start_date",
            "required",
        ),
    ],
)
def test_invalid_settings_name_the_field_and_save_only_the_others(
    client, shops, session_token, changes, field, words
) -> None:
    before = call(client, session_token, "GET").get_json()
    response = call(client, session_token, "PUT", changes)
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid" and words in body["errors"][field]
    after = call(client, session_token, "GET").get_json()
    assert body["settings"] == after
    for section, fields in changes.items():
        for name, value in fields.items():
            dotted = f"{section}.{name}"
            if dotted in body["errors"]:  # refused: left as it was
                assert dotted not in body["saved"]
                assert after[section].get(name) == before[section].get(name), dotted
            else:  # kept: saved as sent
                assert dotted in body["saved"]
                assert after[section][name] == value, dotted


def test_one_invalid_field_keeps_the_valid_ones(client, shops, session_token) -> None:
    response = call(
        client,
        session_token,
        "PUT",
        {
            "sales": {"order_number_prefix": "SH-", "document_type": "estimate"},
            "inventory": {"max_zero_share": "0.25"},
        },
    )
    assert response.status_code == 422
    body = response.get_json()
    assert set(body["errors"]) == {"sales.document_type"}
    assert body["saved"] == ["inventory.max_zero_share", "sales.order_number_prefix"]
    db.session.expire_all()
    stored = db.session.get(SalesSettings, shops[ALPHA].id)
    assert stored.order_number_prefix == "SH-" and stored.document_type.value == "sales_receipt"


def test_a_cross_field_check_refuses_only_the_fields_it_names(client, shops, session_token) -> None:
    connection = shops[ALPHA].quickbooks_connection
    connection.class_tracking = False
    db.session.commit()
    body = call(
        client,
        session_token,
        "PUT",
        {
            "sales": {"qbo_class_id": "3", "qbo_department_id": "4"},
            "inventory": {"enabled": True, "shopify_location_id": "gid://shopify/Location/1"},
        },
    ).get_json()
    assert set(body["errors"]) == {
        "sales.qbo_class_id",
        "inventory.opening_stock_confirmed",
        "inventory.enabled",
    }
    assert body["saved"] == ["inventory.shopify_location_id", "sales.qbo_department_id"]
    assert body["settings"]["sales"]["qbo_class_id"] is None
    assert body["settings"]["sales"]["qbo_department_id"] == "4"
    assert body["settings"]["inventory"]["enabled"] is False


def test_a_valid_save_lists_what_it_saved(client, shops, session_token) -> None:
    body = call(client, session_token, "PUT", {"sales": {"order_number_prefix": "A-"}}).get_json()
    assert body["saved"] == ["sales.order_number_prefix"]
    assert body["sales"]["order_number_prefix"] == "A-"


def test_class_and_location_need_the_company_to_track_them(client, shops, session_token) -> None:
    connection = shops[ALPHA].quickbooks_connection
    connection.class_tracking = connection.location_tracking = False
    db.session.commit()
    response = call(
        client, session_token, "PUT", {"sales": {"qbo_class_id": "3", "qbo_department_id": "4"}}
    )
    errors = response.get_json()["errors"]
    assert "class tracking is off" in errors["sales.qbo_class_id"]
    assert "location tracking is off" in errors["sales.qbo_department_id"]


def test_accepting_the_terms_and_finishing_the_setup_allow_automated_sync(
    client, shops, session_token
) -> None:
    body = call(
        client,
        session_token,
        "PUT",
        {
            "sales": {"enabled": True, "qbo_income_account_id": "1", "qbo_default_item_id": "2"},
            "sync": {
                "accept_terms": True,
                "integration_start_date": "2026-01-01",
                "hourly_sync_enabled": True,
                "webhook_sync_enabled": True,
            },
        },
    ).get_json()
    assert body["sync"]["hourly_sync_enabled"] is True and body["sync"]["terms_version"]


def test_tax_and_gateway_mappings(client, shops, session_token) -> None:
    tax = TaxMapping(shop_id=shops[ALPHA].id, title="GST", rate=Decimal("0.05"), country_code="CA")
    theirs = TaxMapping(shop_id=shops[BETA].id, title="VAT", rate=Decimal("0.2"))
    db.session.add_all([tax, theirs])
    db.session.commit()
    body = call(
        client,
        session_token,
        "PUT",
        {
            "tax_mappings": [{"id": tax.id, "qbo_tax_code_id": "5"}],
            "gateway_mappings": [{"gateway": "shopify_payments", "qbo_clearing_account_id": "90"}],
        },
    ).get_json()
    assert body["tax_mappings"][0]["qbo_tax_code_id"] == "5"
    assert body["gateway_mappings"] == [
        {
            "gateway": "shopify_payments",
            "qbo_clearing_account_id": "90",
            "qbo_payment_method_id": None,
        }
    ]
    foreign = call(
        client, session_token, "PUT", {"tax_mappings": [{"id": theirs.id, "qbo_tax_code_id": "6"}]}
    )
    assert foreign.status_code == 422  # another shop's tax is not this shop's to map
    db.session.expire_all()
    assert db.session.get(TaxMapping, theirs.id).qbo_tax_code_id is None


def test_each_shop_sees_only_its_own_settings(client, shops, session_token) -> None:
    call(client, session_token, "PUT", {"sales": {"order_number_prefix": "A-"}})
    assert (
        call(client, session_token, "GET", shop=BETA).get_json()["sales"]["order_number_prefix"]
        == ""
    )


def test_settings_need_a_session_token(client, shops) -> None:
    assert client.get("/api/settings").status_code == 401
    assert client.put("/api/settings", json={"sales": {}}).status_code == 401
