"""The database enforces the model's invariants, whatever code path writes to it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from extensions import db
from models import (
    InventorySettings,
    LedgerEntry,
    LedgerKind,
    LedgerStatus,
    PaymentGatewayMapping,
    ProcessedWebhook,
    ProductSettings,
    QuickBooksConnection,
    SalesSettings,
    Shop,
    SyncRun,
    SyncSettings,
    TaxMapping,
    Trigger,
    Workflow,
)


def make_shop(domain: str = "alpha.myshopify.com") -> Shop:
    """A saved shop."""
    shop = Shop(shop_domain=domain, installed_at=datetime.now(UTC))
    db.session.add(shop)
    db.session.commit()
    return shop


def fill_shop(shop: Shop) -> None:
    """One row of every table that belongs to a shop."""
    run = SyncRun(shop_id=shop.id, workflow=Workflow.SALES, trigger=Trigger.MANUAL)
    db.session.add_all(
        [
            QuickBooksConnection(shop_id=shop.id, realm_id="123", refresh_token="r"),
            SalesSettings(shop_id=shop.id),
            ProductSettings(shop_id=shop.id),
            InventorySettings(shop_id=shop.id),
            SyncSettings(shop_id=shop.id),
            TaxMapping(shop_id=shop.id, title="GST", rate=Decimal("0.05"), country_code="CA"),
            PaymentGatewayMapping(shop_id=shop.id, gateway="shopify_payments"),
            run,
            ProcessedWebhook(
                webhook_id=f"wh-{shop.id}",
                shop_id=shop.id,
                shop_domain=shop.shop_domain,
                topic="orders/create",
            ),
        ]
    )
    db.session.flush()
    db.session.add(
        LedgerEntry(shop_id=shop.id, kind=LedgerKind.ORDER, shopify_id="1001", last_run_id=run.id)
    )
    db.session.commit()


def count(model: type) -> int:
    """Rows in a table."""
    return db.session.scalar(select(func.count()).select_from(model))


def test_one_ledger_row_per_shop_kind_and_shopify_id(app) -> None:
    shop = make_shop()
    db.session.add(LedgerEntry(shop_id=shop.id, kind=LedgerKind.ORDER, shopify_id="42"))
    db.session.commit()
    db.session.add(LedgerEntry(shop_id=shop.id, kind=LedgerKind.REFUND, shopify_id="42"))
    db.session.commit()  # another kind is another object
    db.session.add(LedgerEntry(shop_id=shop.id, kind=LedgerKind.ORDER, shopify_id="42"))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_ledger_rows_of_different_shops_do_not_collide(app) -> None:
    first, second = make_shop("a.myshopify.com"), make_shop("b.myshopify.com")
    for shop in (first, second):
        db.session.add(LedgerEntry(shop_id=shop.id, kind=LedgerKind.ORDER, shopify_id="7"))
    db.session.commit()
    assert count(LedgerEntry) == 2


def test_one_quickbooks_connection_per_shop(app) -> None:
    shop = make_shop()
    db.session.add(QuickBooksConnection(shop_id=shop.id, realm_id="1"))
    db.session.commit()
    db.session.add(QuickBooksConnection(shop_id=shop.id, realm_id="2"))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_erasing_a_shop_in_sql_cascades_to_everything_it_owns(app) -> None:
    keep, erase = make_shop("keep.myshopify.com"), make_shop("erase.myshopify.com")
    fill_shop(keep)
    fill_shop(erase)
    db.session.execute(text("DELETE FROM shops WHERE shop_domain = 'erase.myshopify.com'"))
    db.session.commit()
    for model in (
        QuickBooksConnection,
        SalesSettings,
        ProductSettings,
        InventorySettings,
        SyncSettings,
        TaxMapping,
        PaymentGatewayMapping,
        SyncRun,
        LedgerEntry,
        ProcessedWebhook,
    ):
        assert count(model) == 1, model.__name__


def test_erasing_a_shop_through_the_orm_cascades_too(app) -> None:
    shop = make_shop()
    fill_shop(shop)
    db.session.delete(shop)
    db.session.commit()
    assert count(LedgerEntry) == count(SyncRun) == count(QuickBooksConnection) == 0


def test_automated_sync_needs_accepted_terms(app) -> None:
    shop = make_shop()
    db.session.add(SyncSettings(shop_id=shop.id, hourly_sync_enabled=True))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(
        SyncSettings(
            shop_id=shop.id,
            hourly_sync_enabled=True,
            terms_accepted_at=datetime.now(UTC),
            terms_version="2026-11",
        )
    )
    db.session.commit()


def test_inventory_push_needs_a_location(app) -> None:
    shop = make_shop()
    db.session.add(InventorySettings(shop_id=shop.id, enabled=True))
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_inventory_item_creation_needs_a_start_date(app) -> None:
    shop = make_shop()
    db.session.add(SalesSettings(shop_id=shop.id, create_items=True, item_type="inventory"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(
        SalesSettings(
            shop_id=shop.id,
            create_items=True,
            item_type="inventory",
            inventory_start_date=date(2026, 1, 31),
        )
    )
    db.session.commit()


def test_unknown_enum_values_are_refused(app) -> None:
    shop = make_shop()
    db.session.add(SalesSettings(shop_id=shop.id, document_type="estimate"))
    with pytest.raises((StatementError, LookupError)):
        db.session.commit()
    db.session.rollback()
    with pytest.raises(IntegrityError):
        db.session.execute(
            text(
                "INSERT INTO sync_ledger (shop_id, kind, shopify_id, status, attempts, "
                "created_at, updated_at) VALUES (:s, 'order', '9', 'lost', 0, :t, :t)"
            ),
            {"s": shop.id, "t": datetime.now(UTC)},
        )


def test_settings_defaults_let_a_merchant_save_without_touching_anything(app) -> None:
    shop = make_shop()
    db.session.add_all([SalesSettings(shop_id=shop.id), InventorySettings(shop_id=shop.id)])
    db.session.commit()
    db.session.expire_all()
    sales = db.session.get(SalesSettings, shop.id)
    assert sales.financial_statuses == ["PAID"]
    assert sales.document_type == "sales_receipt"
    assert sales.customer_mode == "original"
    assert sales.generic_customer_name == "Shopify Sales"
    assert sales.record_payments is True and sales.qbo_clearing_account_id is None
    assert db.session.get(InventorySettings, shop.id).max_zero_share == Decimal("0.1000")


def test_money_and_timestamps_round_trip_exactly(app) -> None:
    shop = make_shop()
    posted = datetime(2026, 3, 1, 12, 30, tzinfo=UTC) + timedelta(microseconds=5)
    db.session.add(
        LedgerEntry(
            shop_id=shop.id,
            kind=LedgerKind.ORDER,
            shopify_id="5",
            status=LedgerStatus.POSTED,
            shopify_total=Decimal("1234.5678"),
            qbo_total=Decimal("0.01"),
            posted_at=posted,
        )
    )
    db.session.commit()
    db.session.expire_all()
    entry = db.session.scalars(select(LedgerEntry)).one()
    assert entry.shopify_total == Decimal("1234.5678") and entry.qbo_total == Decimal("0.01")
    assert isinstance(entry.shopify_total, Decimal)
    assert entry.posted_at == posted and entry.posted_at.tzinfo is not None
    assert entry.created_at.tzinfo is not None


def test_naive_timestamps_are_refused(app) -> None:
    db.session.add(Shop(shop_domain="n.myshopify.com", installed_at=datetime(2026, 1, 1)))
    with pytest.raises(StatementError, match="naive"):
        db.session.commit()
