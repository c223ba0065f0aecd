"""The settings pickers list what the merchant's QuickBooks company and Shopify store hold."""

from __future__ import annotations

import pytest
import requests

SHOP = "lookups.myshopify.com"
LOCATION_ADD = """mutation($input: LocationAddInput!) {
  locationAdd(input: $input) { location { id } userErrors { message } } }"""


@pytest.fixture
def connected(app, shopify_emulator, qbo_emulator, merchant) -> None:
    """A shop installed on the Shopify emulator and connected to the QBO emulator."""
    assert merchant(SHOP).open_app().status_code == 200
    merchant(SHOP).connect_quickbooks()


def lookup(client, session_token, path: str):
    """GET a lookup as the settings page does."""
    return client.get(
        f"/api/lookups/{path}", headers={"Authorization": f"Bearer {session_token(SHOP)}"}
    )


@pytest.mark.parametrize(
    "kind", ["items", "tax_codes", "classes", "departments", "payment_methods"]
)
def test_quickbooks_lists_come_from_the_company(client, connected, session_token, kind) -> None:
    body = lookup(client, session_token, kind).get_json()
    assert body["kind"] == kind and body["choices"]
    assert all(choice["id"] and choice["name"] for choice in body["choices"])


def test_accounts_are_filtered_by_type(client, connected, session_token) -> None:
    income = lookup(client, session_token, "accounts?type=Income").get_json()["choices"]
    assert income and any("Sales" in account["name"] for account in income)
    assets = lookup(client, session_token, "accounts?type=Other Current Asset").get_json()
    assert {a["id"] for a in income}.isdisjoint({a["id"] for a in assets["choices"]})
    assert lookup(client, session_token, "accounts?type=Nonsense").status_code == 400


def test_lookups_are_cached_between_calls(client, connected, session_token, qbo_emulator):
    lookup(client, session_token, "items")
    before = qbo_emulator.request_count("POST /v3/company/{realm}/query")
    assert before >= 1  # the first call did query QuickBooks
    lookup(client, session_token, "items")
    assert qbo_emulator.request_count("POST /v3/company/{realm}/query") == before


def test_shopify_locations_come_from_the_store(
    app, client, connected, session_token, shopify_emulator
) -> None:
    from clients.shopify import ShopifyClient

    # The app may only read locations (read_locations); the store owner adds one.
    owner = requests.post(
        f"{shopify_emulator.url}/_emulator/tokens", json={"shop": SHOP}, timeout=10
    )
    owner.raise_for_status()
    shopify = ShopifyClient(SHOP, owner.json()["access_token"], "2026-10", shopify_emulator.url)
    shopify.execute(
        LOCATION_ADD, {"input": {"name": "Main Warehouse", "address": {"countryCode": "US"}}}
    )
    names = [c["name"] for c in lookup(client, session_token, "locations").get_json()["choices"]]
    assert "Main Warehouse" in names


def test_unknown_lookup_is_404_and_disconnected_quickbooks_is_explained(
    app, client, shopify_emulator, session_token, merchant
) -> None:
    assert merchant(SHOP).open_app().status_code == 200
    assert lookup(client, session_token, "nonsense").status_code == 404
    response = lookup(client, session_token, "items")
    assert response.status_code == 409 and "Connect QuickBooks" in response.get_json()["fix"]


def test_tax_code_pickers_never_offer_the_us_pseudo_codes(
    client, connected, session_token, merchant
) -> None:
    """US companies list TAX and NON as TaxCodes; the settings taking a tax code refuse them (the
    sync puts them on US lines itself), so the picker leaves them out and what it offers saves."""
    choices = lookup(client, session_token, "tax_codes").get_json()["choices"]
    ids = {choice["id"] for choice in choices}
    assert choices and not ids & {"TAX", "NON"}
    body = merchant(SHOP).put_settings({"sales": {"qbo_untaxed_tax_code_id": choices[0]["id"]}})
    assert body["sales"]["qbo_untaxed_tax_code_id"] == choices[0]["id"]
    refused = merchant(SHOP).api(
        "PUT", "/api/settings", {"sales": {"qbo_untaxed_tax_code_id": "NON"}}
    )
    assert (
        refused.status_code == 422
        and "sales.qbo_untaxed_tax_code_id" in refused.get_json()["errors"]
    )


def test_deposit_account_pickers_offer_bank_and_other_current_asset_accounts(
    client, connected, session_token
) -> None:
    """Payments wait in a bank account, Undeposited Funds or a clearing account: the payments
    pickers (default and per gateway) offer exactly those two account types."""
    from settings_schema import DEPOSIT_ACCOUNTS, Sales

    extra = Sales.model_fields["qbo_clearing_account_id"].json_schema_extra
    assert isinstance(extra, dict) and extra["picker"] == DEPOSIT_ACCOUNTS
    deposit = lookup(client, session_token, DEPOSIT_ACCOUNTS).get_json()["choices"]
    bank = lookup(client, session_token, "accounts?type=Bank").get_json()["choices"]
    other = lookup(client, session_token, "accounts?type=Other Current Asset").get_json()
    assert bank and other["choices"]
    assert {a["id"] for a in deposit} == {a["id"] for a in bank + other["choices"]}
    assert any("Undeposited" in a["name"] for a in deposit)
    income = lookup(client, session_token, "accounts?type=Income").get_json()["choices"]
    assert {a["id"] for a in deposit}.isdisjoint({a["id"] for a in income})
    assert lookup(client, session_token, "accounts?type=Bank,Nonsense").status_code == 400
