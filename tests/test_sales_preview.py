"""The preview (POST /api/sync/sales/preview, then GET …/preview/<run>): a dry run on the worker
over the next sync's first orders — what each would post, or why it would be skipped or fail —
that writes nothing to QuickBooks or the ledger and remembers the taxes and gateways it saw."""

from __future__ import annotations

from decimal import Decimal

from quickbooks.objects.customer import Customer
from quickbooks.objects.item import Item
from quickbooks.objects.salesreceipt import SalesReceipt

from extensions import db
from models import LedgerEntry, Shop, SyncRun
from services.quickbooks_connection import client_for
from sync.sales.preview import PREVIEW_ORDERS
from tests.sales_store import Store, money

SHOP = "preview.myshopify.com"


def qbo_counts(domain: str) -> tuple[int, int, int]:
    """Receipts, customers and items in the company (what a preview must never add to)."""
    qb = client_for(Shop.by_domain(domain).quickbooks_connection)
    return tuple(  # type: ignore[return-value]
        len(kind.all(max_results=1000, qb=qb)) for kind in (SalesReceipt, Customer, Item)
    )


def uk_orders(store: Store) -> None:
    """Three VAT orders, two untaxed ones, one unpaid (skipped), and a gift card payment."""
    for n in range(3):
        store.order(
            lineItems=[
                {"title": "Mug", "sku": "MUG-1", "priceSet": money(f"1{n}.00"), "quantity": 1}
            ],
            taxLines=[{"title": "VAT", "rate": "0.2"}],
        )
    for n in range(2):
        store.order(
            lineItems=[
                {"title": "Book", "sku": "BOOK-1", "priceSet": money(f"2{n}.00"), "quantity": 1}
            ]
        )
    store.order(
        paid=False,
        lineItems=[{"title": "Book", "sku": "BOOK-1", "priceSet": money("9.00"), "quantity": 1}],
    )


def preview(owner, worker) -> dict:
    """Press Preview and let the worker run it; the answer as the page reads it."""
    queued = owner.api("POST", "/api/sync/sales/preview")
    assert queued.status_code == 202, queued.get_json()
    run = queued.get_json()
    assert run["dry_run"] is True and run["status"] == "queued"
    worker.run()
    answer = owner.api("GET", f"/api/sync/sales/preview/{run['id']}")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["run"]["status"] in ("succeeded", "partial"), body["run"]
    return body


def test_preview_shows_what_would_post_and_fail_and_writes_nothing(
    shopify_emulator, connect, merchant, worker
) -> None:
    store = Store(shopify_emulator, SHOP, currency="GBP")
    uk_orders(store)
    connect(store, "uk")
    owner = merchant(SHOP)
    owner.put_sales_settings(
        customer_mode="generic",
        generic_customer_name="Online Sales",
        qbo_untaxed_tax_code_id=owner.first_choice("tax_codes", "0.0% Z"),
    )
    before = qbo_counts(SHOP)

    body = preview(owner, worker)
    found = body["preview"]
    assert (found["orders_in_next_sync"], found["previewed"]) == (6, 6)
    assert (found["would_post"], found["would_fail"], found["would_skip"]) == (2, 3, 1)
    by_outcome: dict[str, list[dict]] = {}
    for line in found["orders"]:
        by_outcome.setdefault(line["outcome"], []).append(line)
    assert all("VAT" in f["reason"] and f["fix"] for f in by_outcome["fail"])
    posted = by_outcome["post"]
    assert sorted(Decimal(p["total"]) for p in posted) == [Decimal("20.00"), Decimal("21.00")]
    assert {p["document_type"] for p in posted} == {"sales_receipt"}
    assert body["run"]["counts"] == {"created": 2, "updated": 0, "skipped": 1, "failed": 3}

    # nothing written to QuickBooks or the ledger; the tax it met is there to be mapped
    assert qbo_counts(SHOP) == before
    assert db.session.query(LedgerEntry).count() == 0
    settings = owner.api("GET", "/api/settings").get_json()
    assert [t["title"] for t in settings["tax_mappings"]] == ["VAT 20%"]
    assert [g["gateway"] for g in settings["gateway_mappings"]] == ["manual"]
    steps = {s["id"]: s for s in owner.api("GET", "/api/setup").get_json()["steps"]}
    assert steps["preview"]["done"]

    # once the VAT is mapped, the same orders would all post
    owner.map_taxes({"VAT 20%": "20.0% S"})
    again = preview(owner, worker)["preview"]
    assert (again["would_post"], again["would_fail"]) == (5, 0)


def test_item_settings_missing_are_named_before_quickbooks_is_asked(
    make_store, merchant, worker
) -> None:
    make_store(
        SHOP,
        orders=lambda s: s.order(
            lineItems=[
                {"title": "Lamp", "sku": "LAMP-9", "priceSet": money("30.00"), "quantity": 1}
            ]
        ),
    )
    owner = merchant(SHOP)
    found = preview(owner, worker)["preview"]  # no income account chosen yet
    [line] = found["orders"]
    assert line["outcome"] == "fail"
    assert line["reason"] == "Creating items in QuickBooks needs an income account"
    assert "income account" in line["fix"]

    # the real sync fails the order with the same reason, without creating anything
    run = owner.sync()
    entry = db.session.query(LedgerEntry).one()
    assert run.failed_count == 1 and entry.last_error == line["reason"]


def test_a_preview_reads_at_most_its_share_of_a_large_backlog(make_store, merchant, worker) -> None:
    def orders(store: Store) -> None:
        for n in range(PREVIEW_ORDERS + 3):
            store.order(
                lineItems=[
                    {"title": "Pen", "sku": "PEN", "priceSet": money(f"{n + 1}.00"), "quantity": 1}
                ]
            )

    make_store(SHOP, orders=orders, sales={})
    found = preview(merchant(SHOP), worker)["preview"]
    assert found["orders_in_next_sync"] == PREVIEW_ORDERS + 3
    assert found["previewed"] == PREVIEW_ORDERS == found["would_post"]


def test_a_preview_is_the_shops_own(make_store, merchant, worker) -> None:
    make_store(SHOP, sales={})
    make_store("other-preview.myshopify.com", sales={})
    run = merchant(SHOP).api("POST", "/api/sync/sales/preview").get_json()
    theirs = merchant("other-preview.myshopify.com").api(
        "GET", f"/api/sync/sales/preview/{run['id']}"
    )
    assert theirs.status_code == 404 and "no such preview" in theirs.get_data(as_text=True)
    worker.run()
    real = merchant(SHOP).sync()
    assert merchant(SHOP).api("GET", f"/api/sync/sales/preview/{real.id}").status_code == 404
    assert db.session.get(SyncRun, run["id"]).dry_run
