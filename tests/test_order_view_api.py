"""GET /api/orders/<id>: one order beside the QBO documents posted for it, each side read on its
own, scoped to the session's shop."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rules.order_view import fix_page, qbo_url
from tests.sales_store import Store, money

SHOP = "order-view.myshopify.com"


def legacy(order: dict) -> str:
    """The order's number, as the page's URL carries it."""
    return order["id"].rsplit("/", 1)[1]


@pytest.fixture
def store(make_store, merchant) -> Store:
    """Two orders synced: one posts (two lines, shipping, a discount), one has a SKU QBO lacks."""

    def orders(store: Store) -> None:
        store.order(
            lineItems=[
                {"title": "Gadget", "sku": "GS-1", "priceSet": money("20.00"), "quantity": 2},
                {"title": "Widget", "sku": "GS-1", "priceSet": money("7.35"), "quantity": 1},
            ],
            shippingLines=[{"title": "Post", "priceSet": money("4.99")}],
            discountCode={"itemFixedDiscountCode": {"code": "TEN", "amountSet": money("3.00")}},
        )
        store.order(
            lineItems=[
                {"title": "Gizmo", "sku": "ABC-1", "priceSet": money("10.00"), "quantity": 1}
            ]
        )

    created = make_store(SHOP, orders=orders, sales={"sku_match_field": "sku"})
    owner = merchant(SHOP)
    owner.put_settings({"sales": {"create_items": False}})
    owner.sync()
    return created


def test_a_posted_order_reconciles_to_the_cent_with_its_document(store, merchant) -> None:
    posted = store.orders[0]
    response = merchant(SHOP).api("GET", f"/api/orders/{legacy(posted)}")
    assert response.status_code == 200, response.get_json()
    view = response.get_json()
    shopify, documents = view["shopify"], view["quickbooks"]["documents"]
    assert shopify["name"] == posted["name"] == view["name"]
    assert Decimal(shopify["total"]) == posted["total"]
    assert [(li["name"], li["quantity"]) for li in shopify["line_items"]] == [
        ("Gadget", 2),
        ("Widget", 1),
    ]
    assert Decimal(shopify["shipping"]) == Decimal("4.99")
    sales = [d for d in documents if d["type"] in ("SalesReceipt", "Invoice")]
    assert len(sales) == 1 and Decimal(sales[0]["total"]) == posted["total"]
    assert sales[0]["lines"] and sales[0]["txn_date"]
    assert view["reconciles"] is True and view["difference"] == "0.00"
    assert Decimal(view["quickbooks"]["total"]) == posted["total"]
    (row,) = view["ledger"]
    assert row["status"] == "posted" and row["qbo_id"] == sales[0]["id"]
    assert Decimal(row["qbo_total"]) == posted["total"] and row["posted_at"]
    page = {"SalesReceipt": "salesreceipt", "Invoice": "invoice"}[sales[0]["type"]]
    expected = f"https://app.sandbox.qbo.intuit.com/app/{page}?txnId={sales[0]['id']}"
    assert sales[0]["qbo_url"] == row["qbo_url"] == expected
    # the gid form names the same order
    again = merchant(SHOP).api("GET", f"/api/orders/{posted['id']}").get_json()
    assert again["shopify_order_id"] == legacy(posted) and again["reconciles"] is True


def test_sandbox_mode_links_to_the_emulators_page_of_the_company(
    store, merchant, app, qbo_emulator
) -> None:
    app.config["SANDBOX"] = True
    view = merchant(SHOP).api("GET", f"/api/orders/{legacy(store.orders[0])}").get_json()
    link = view["quickbooks"]["documents"][0]["qbo_url"]
    assert link == f"{qbo_emulator.url}/_emulator/browse/{qbo_emulator.realm_id}"


def test_a_failed_order_shows_its_reason_and_fix(store, merchant) -> None:
    failed = store.orders[1]
    view = merchant(SHOP).api("GET", f"/api/orders/{legacy(failed)}").get_json()
    (row,) = view["ledger"]
    assert row["status"] == "failed" and row["attempts"] == 1
    assert row["reason"] == "SKU 'ABC-1' is not in QuickBooks"
    assert "item creation" in row["fix"].lower() and row["fix_page"] == "settings"
    assert view["quickbooks"] == {"documents": []}  # nothing posted: nothing to read
    assert view["reconciles"] is None and view["difference"] is None
    assert Decimal(view["shopify"]["total"]) == failed["total"]


def test_an_unknown_order_is_404(store, merchant) -> None:
    for order_id in ("999999999", "gid://shopify/Order/999999999", "not-an-order"):
        response = merchant(SHOP).api("GET", f"/api/orders/{order_id}")
        assert response.status_code == 404
        body = response.get_json()
        assert body["error"] == "not_found" and body["message"]


def test_another_shops_order_is_404(store, make_store, merchant) -> None:
    other = make_store("order-view-other.myshopify.com")
    response = merchant(other.domain).api("GET", f"/api/orders/{legacy(store.orders[0])}")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_quickbooks_unreachable_keeps_shopify_and_the_ledger(store, merchant, qbo_emulator) -> None:
    posted = store.orders[0]
    qbo_emulator.control("POST", "faults", error_rate=1, error_status=503).raise_for_status()
    try:
        response = merchant(SHOP).api("GET", f"/api/orders/{legacy(posted)}")
    finally:
        qbo_emulator.control("POST", "faults").raise_for_status()
    assert response.status_code == 200
    view = response.get_json()
    assert view["quickbooks"]["error"] and "documents" not in view["quickbooks"]
    assert Decimal(view["shopify"]["total"]) == posted["total"]
    assert view["ledger"][0]["status"] == "posted" and view["ledger"][0]["qbo_total"]
    assert view["reconciles"] is None


def test_shopify_unreachable_keeps_quickbooks_and_the_ledger(store, merchant, app) -> None:
    app.config["SHOPIFY_ADMIN_BASE_URL"] = "http://127.0.0.1:9"  # nothing listens there
    view = merchant(SHOP).api("GET", f"/api/orders/{legacy(store.orders[0])}").get_json()
    assert "could not be reached" in view["shopify"]["error"] and "total" not in view["shopify"]
    assert view["quickbooks"]["documents"][0]["total"]
    assert view["name"] == store.orders[0]["name"] and view["reconciles"] is None


@pytest.mark.parametrize(
    ("entity", "production", "url"),
    [
        ("SalesReceipt", True, "https://app.qbo.intuit.com/app/salesreceipt?txnId=7"),
        ("Invoice", False, "https://app.sandbox.qbo.intuit.com/app/invoice?txnId=7"),
        ("Payment", True, "https://app.qbo.intuit.com/app/recvpayment?txnId=7"),
        ("RefundReceipt", True, "https://app.qbo.intuit.com/app/refundreceipt?txnId=7"),
        ("Bill", True, None),
    ],
)
def test_quickbooks_links(entity: str, production: bool, url: str | None) -> None:
    assert qbo_url(entity, "7", production) == url


@pytest.mark.parametrize(
    ("fix", "page"),
    [
        ("Map it on the Taxes page.", "taxes"),
        ("Choose a deposit account for the gateway.", "taxes"),
        ("Turn on item creation or add the item to QuickBooks.", "settings"),
        ("Reconnect QuickBooks.", "home"),
        ("Review the document in QuickBooks; the difference is not hidden.", None),
        (None, None),
    ],
)
def test_the_page_that_fixes_a_failure(fix: str | None, page: str | None) -> None:
    assert fix_page(fix) == page
