"""GET /api/settings suggests a QBO tax code for each Shopify tax not mapped yet: the active
code of the same combined rate, the nearest name winning a tie; none for US companies or when
QuickBooks cannot be read."""

from __future__ import annotations

from decimal import Decimal

from clients.errors import RetryableError, RetryReason
from extensions import db
from models import Shop, TaxMapping
from services import tax_suggestions
from services.tax_suggestions import best_code
from tests.sales_store import uk_store_after_first_sync


def code_ids(owner) -> dict[str, str]:
    choices = owner.api("GET", "/api/lookups/tax_codes").get_json()["choices"]
    return {c["name"]: c["id"] for c in choices}


def add_taxes(domain: str, *taxes: tuple[str, str, str]) -> None:
    """Tax mapping rows as a sync leaves them (title, rate, country), unmapped."""
    shop = Shop.by_domain(domain)
    for title, rate, country in taxes:
        db.session.add(
            TaxMapping(shop_id=shop.id, title=title, rate=Decimal(rate), country_code=country)
        )
    db.session.commit()


def test_uk_taxes_seen_on_a_first_sync_are_suggested_the_code_of_their_rate(
    shopify_emulator, connect, merchant
) -> None:
    taxes = [[("VAT", "0.2")], [("VAT", "0.05")], []]
    _, owner = uk_store_after_first_sync(
        shopify_emulator, connect, merchant, "vat-suggest.myshopify.com", taxes, seed=3
    )
    ids = code_ids(owner)
    taxes = {t["title"]: t for t in owner.api("GET", "/api/settings").get_json()["tax_mappings"]}
    assert {t: taxes[t]["suggested_qbo_tax_code_id"] for t in taxes} == {
        "VAT 20%": ids["20.0% S"],
        "VAT 5%": ids["5.0% R"],
    }
    # once mapped, an entry carries its code and no suggestion; sent back as read, it is accepted
    mapped = dict(taxes["VAT 20%"], qbo_tax_code_id=ids["20.0% S"])
    saved = owner.put_settings({"tax_mappings": [mapped]})
    after = {t["title"]: t for t in saved["tax_mappings"]}
    assert "suggested_qbo_tax_code_id" not in after["VAT 20%"]
    assert after["VAT 20%"]["qbo_tax_code_id"] == ids["20.0% S"]
    assert after["VAT 5%"]["suggested_qbo_tax_code_id"] == ids["5.0% R"]


def test_canadian_gst_and_hst_are_suggested_gst_and_hst_on(make_store, merchant) -> None:
    store = make_store("maple-suggest.myshopify.com", currency="CAD", template="ca")
    add_taxes(
        store.domain, ("GST 5%", "0.05", "CA"), ("HST 13%", "0.13", "CA"), ("PST 9%", "0.09", "CA")
    )
    owner = merchant(store.domain)
    ids = code_ids(owner)
    taxes = owner.api("GET", "/api/settings").get_json()["tax_mappings"]
    assert {t["title"]: t["suggested_qbo_tax_code_id"] for t in taxes} == {
        "GST 5%": ids["GST"],
        "HST 13%": ids["HST ON"],
        "PST 9%": None,  # no code of that rate
    }


def test_us_companies_get_no_suggestions(make_store, merchant) -> None:
    store = make_store("us-suggest.myshopify.com")
    add_taxes(store.domain, ("CA State Tax 6%", "0.06", "US"))
    taxes = merchant(store.domain).api("GET", "/api/settings").get_json()["tax_mappings"]
    assert [t["suggested_qbo_tax_code_id"] for t in taxes] == [None]


def test_a_failing_quickbooks_read_leaves_the_settings_readable(
    make_store, merchant, monkeypatch
) -> None:
    store = make_store("down-suggest.myshopify.com", currency="GBP", template="uk")
    add_taxes(store.domain, ("VAT 20%", "0.2", "GB"))

    def unavailable(*args: object) -> list:
        raise RetryableError("QuickBooks is unavailable", why=RetryReason.SERVER_ERROR)

    monkeypatch.setattr(tax_suggestions, "_qbo_list", unavailable)
    response = merchant(store.domain).api("GET", "/api/settings")
    assert response.status_code == 200
    assert [t["suggested_qbo_tax_code_id"] for t in response.get_json()["tax_mappings"]] == [None]


def test_a_tie_goes_to_the_name_nearest_the_shopify_title() -> None:
    codes = [
        {"id": "1", "name": "0.0% Z", "percent": "0"},
        {"id": "2", "name": "Exempt", "percent": "0"},
        {"id": "3", "name": "20.0% S", "percent": "20.00"},
    ]
    assert best_code("Exempt", Decimal("0"), codes) == "2"
    assert best_code("VAT 0.0% Z", Decimal("0.000"), codes) == "1"
    assert best_code("VAT", Decimal("0.2"), codes) == "3"
    assert best_code("VAT", Decimal("0.175"), codes) is None
