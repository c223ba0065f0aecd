"""One settings schema: every setting exists in the schema, the model columns (with the schema's
defaults), the API's fields, the sales rules' options and the page's description — or in none;
GET /api/settings/schema describes them; validation errors name the field."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect

import settings_schema
from blueprints.settings_fields import SECTIONS
from extensions import db
from models import (
    InventorySettings,
    ProductSettings,
    QuickBooksConnection,
    SalesSettings,
    Shop,
    SyncSettings,
)
from rules.sales import validate_prefix
from rules.settings import CompanyFacts, SalesOptions, option_fields
from settings_schema import Inventory, Products, Sales, Sync

SHOP = "schema.myshopify.com"
ROOT = Path(__file__).resolve().parent.parent
MODELS = {
    "sales": SalesSettings,
    "products": ProductSettings,
    "inventory": InventorySettings,
    "sync": SyncSettings,
}
# Columns of the settings rows that are not merchant settings: keys, timestamps, and state the
# app records (terms accepted, a stock preview approved).
NOT_SETTINGS = {
    "shop_id",
    "created_at",
    "updated_at",
    "terms_accepted_at",
    "terms_version",
    "preview_approved_at",
}
# SalesOptions fields that are run-time facts or per-gateway mappings, not settings.
RUN_TIME = {
    "company",
    "lookups",
    "customer_data",
    "book_close_date",
    "gateway_accounts",
    "payment_methods",
    "shop_domain",
    "shop_timezone",
}


@pytest.fixture
def shop(app) -> Shop:
    """An installed shop connected to a QBO company that tracks classes and locations."""
    made = Shop(shop_domain=SHOP, installed_at=datetime.now(UTC), shopify_access_token="t")
    made.quickbooks_connection = QuickBooksConnection(
        realm_id="1", class_tracking=True, location_tracking=True, custom_txn_numbers=True
    )
    db.session.add(made)
    db.session.commit()
    return made


def call(client, session_token, method: str, path: str = "/api/settings", body=None):
    return client.open(
        path, method=method, json=body, headers={"Authorization": f"Bearer {session_token(SHOP)}"}
    )


def schema_fields() -> dict[str, set[str]]:
    return {name: set(model.model_fields) for name, model in settings_schema.SECTIONS.items()}


# --- every setting in every place ---------------------------------------------------------------


def test_every_setting_is_a_column_and_every_column_a_setting() -> None:
    for name, model in MODELS.items():
        columns = {c.key for c in inspect(model).columns} - NOT_SETTINGS
        assert columns == schema_fields()[name], name


def test_the_columns_defaults_are_the_schemas() -> None:
    for name, model in MODELS.items():
        schema = settings_schema.SECTIONS[name]
        for field in schema.model_fields:
            column = inspect(model).columns[field]
            arg = None if column.default is None else column.default.arg  # default=None: none
            value = arg(None) if callable(arg) else arg
            assert value == settings_schema.defaults(schema)[field], f"{name}.{field}"


def test_the_api_reads_and_writes_exactly_the_schemas_settings() -> None:
    assert {s.name: set(s.fields) for s in SECTIONS} == schema_fields()


def test_the_sales_rules_receive_every_sales_setting_under_one_name() -> None:
    options = {f.name: f for f in dataclasses.fields(SalesOptions)}
    merchant = {
        n
        for n, f in options.items()
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    mapped = [option for _, _, option in option_fields()]
    assert len(mapped) == len(set(mapped)), "two settings reach the rules under one name"
    # no defaults of their own: every merchant option comes from a setting, and back
    assert set(mapped) == merchant
    assert merchant.isdisjoint(RUN_TIME) and set(options) == merchant | RUN_TIME
    # the settings the rules do not see are the ones other code reads
    unseen = {(s, n) for s, fields in schema_fields().items() for n in fields} - {
        (s, n) for s, n, _ in option_fields()
    }
    assert {(s, n) for s, n in unseen if s == "sales"} == {("sales", "enabled")}


def test_the_pages_description_has_every_setting(client, shop, session_token) -> None:
    described = call(client, session_token, "GET", "/api/settings/schema").get_json()
    assert {s["name"]: {f["name"] for f in s["fields"]} for s in described["sections"]} == (
        schema_fields()
    )
    stored = call(client, session_token, "GET").get_json()
    for name, fields in schema_fields().items():
        assert set(stored[name]) - {"terms_accepted_at", "terms_version"} == fields


def test_the_page_script_declares_no_setting_of_its_own() -> None:
    script = (ROOT / "static" / "settings.js").read_text()
    assert "PICKERS" not in script and "CHOICES" not in script
    names = {n for fields in schema_fields().values() for n in fields}
    named = set(re.findall(r"['\"]([a-z_]+)['\"]", script)) & names
    assert named == set(), f"settings.js names settings itself: {sorted(named)}"


def test_the_schema_and_the_rules_stay_pure() -> None:
    code = (
        "import sys, settings_schema, rules.settings, rules.sales; "
        "bad = {'flask', 'models', 'sqlalchemy', 'clients'} & set(sys.modules); "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# --- the endpoint -------------------------------------------------------------------------------


def test_schema_endpoint_describes_each_setting(client, shop, session_token) -> None:
    response = call(client, session_token, "GET", "/api/settings/schema")
    assert response.status_code == 200
    sections = {s["name"]: s for s in response.get_json()["sections"]}
    assert list(sections) == ["sales", "products", "inventory", "sync"]
    sales = {f["name"]: f for f in sections["sales"]["fields"]}
    income = sales["qbo_income_account_id"]
    assert income["picker"] == "accounts?type=Income" and income["step"] == "items"
    assert income["type"] == "text" and income["nullable"] and income["default"] is None
    assert income["label"] and income["help"]
    document = sales["document_type"]
    assert document["type"] == "choice" and document["default"] == "sales_receipt"
    assert document["choices"] == [
        {"id": "sales_receipt", "name": "Sales receipt"},
        {"id": "invoice", "name": "Invoice"},
    ]
    statuses = sales["financial_statuses"]
    assert statuses["type"] == "choices" and statuses["default"] == ["PAID"]
    assert [c["id"] for c in statuses["choices"]] == list(
        settings_schema.SYNCABLE_FINANCIAL_STATUSES
    )
    assert sales["order_number_prefix"]["max_length"] == settings_schema.MAX_PREFIX
    assert sales["inventory_start_date"]["type"] == "date"
    share = {f["name"]: f for f in sections["inventory"]["fields"]}["max_zero_share"]
    assert (share["type"], share["default"]) == ("number", "0.1000")
    assert {f["name"]: f for f in sections["inventory"]["fields"]}["shopify_location_id"][
        "picker"
    ] == "locations"
    for section in sections.values():
        steps = {s["name"] for s in section["steps"]}
        assert all(s["title"] for s in section["steps"])
        for spec in section["fields"]:
            assert spec["step"] in steps, spec["name"]
            assert spec["label"] and spec["help"], spec["name"]
        assert set(section["json_schema"]["properties"]) == {f["name"] for f in section["fields"]}


def test_schema_defaults_are_what_a_new_shop_reads(client, shop, session_token) -> None:
    described = call(client, session_token, "GET", "/api/settings/schema").get_json()
    stored = call(client, session_token, "GET").get_json()
    for section in described["sections"]:
        for spec in section["fields"]:
            assert stored[section["name"]][spec["name"]] == spec["default"], spec["name"]


def test_schema_endpoint_needs_a_session_token(client, shop) -> None:
    assert client.get("/api/settings/schema").status_code == 401


# --- validation names the field -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "field"),
    [(s, f) for s, fields in schema_fields().items() for f in sorted(fields)],
)
def test_a_wrong_value_is_refused_naming_the_field(
    client, shop, session_token, section, field
) -> None:
    before = call(client, session_token, "GET").get_json()
    response = call(client, session_token, "PUT", body={section: {field: {"not": "a value"}}})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert list(errors) == [f"{section}.{field}"]
    assert errors[f"{section}.{field}"] and "Value error" not in errors[f"{section}.{field}"]
    assert call(client, session_token, "GET").get_json() == before


def test_every_wrong_field_is_named_at_once(client, shop, session_token) -> None:
    body = {
        "sales": {"item_type": "service", "qbo_tip_item_id": "x1", "auto_doc_number": "yes"},
        "sync": {"integration_start_date": "31/01/2026"},
    }
    errors = call(client, session_token, "PUT", body=body).get_json()["errors"]
    assert errors == {
        "sales.item_type": "must be one of non_inventory, inventory",
        "sales.qbo_tip_item_id": "must be a QuickBooks id (up to 32 digits) or null",
        "sales.auto_doc_number": "must be true or false",
        "sync.integration_start_date": "must be a date like 2026-01-31",
    }


# --- the prefix rule, once; the disputed defaults -----------------------------------------------


@pytest.mark.parametrize(("length", "ok"), [(13, True), (14, False)])
def test_the_api_and_the_rules_apply_one_prefix_rule(
    client, shop, session_token, length, ok
) -> None:
    prefix = "A" * length
    response = call(client, session_token, "PUT", body={"sales": {"order_number_prefix": prefix}})
    assert (response.status_code == 200) is ok
    assert (validate_prefix(prefix) is None) is ok


def test_the_disputed_defaults(app) -> None:
    row = SalesSettings(shop_id=1)
    db.session.add(Shop(id=1, shop_domain="d.myshopify.com"))
    db.session.add(row)
    db.session.flush()
    assert (row.sku_match_field, row.create_items) == ("name", True)
    options = SalesOptions.from_settings(
        settings_schema.defaults(Sales), settings_schema.defaults(Sync)
    )
    assert (options.sku_match_field, options.create_items) == ("name", True)
    connection = QuickBooksConnection(shop_id=1, realm_id="1")
    db.session.add(connection)
    db.session.flush()
    assert CompanyFacts().automated_sales_tax is connection.automated_sales_tax is False


def test_the_sales_wide_payment_method_reaches_the_rules() -> None:
    options = SalesOptions.from_settings(
        settings_schema.defaults(Sales) | {"qbo_payment_method_id": "7"},
        settings_schema.defaults(Sync),
        payment_methods={"paypal": "9"},
    )
    assert options.method_for_gateway("paypal") == "9"
    assert options.method_for_gateway("shopify_payments") == "7"


def test_sections_other_than_sales_are_complete() -> None:
    # the section models forbid unknown names: a typo in a stored document is an error
    for model in (Products, Inventory, Sync):
        with pytest.raises(ValueError, match="extra"):
            model.model_validate({"no_such_setting": True})
