"""GET /api/stats/daily: the shop's orders posted and failed per UTC day, oldest first."""

from __future__ import annotations

from datetime import timedelta

import pytest

from extensions import db
from models import LedgerEntry, LedgerKind, LedgerStatus, Shop, utcnow
from tests.sales_store import uk_store_after_first_sync


def test_daily_counts_follow_a_sync_with_failing_orders(
    shopify_emulator, connect, merchant, make_store
) -> None:
    # the VAT is not mapped yet: taxed orders fail, untaxed ones post
    store, owner = uk_store_after_first_sync(
        shopify_emulator, connect, merchant, "stats-uk.myshopify.com", [[("VAT", "0.2")], []], 5
    )
    shop = Shop.by_domain(store.domain)
    rows = db.session.query(LedgerEntry).filter_by(shop_id=shop.id, kind=LedgerKind.ORDER).all()
    posted = sum(r.status == LedgerStatus.POSTED for r in rows)
    failed = sum(r.status == LedgerStatus.FAILED for r in rows)
    assert posted > 0 and failed > 0

    # another shop's rows are never counted; one of this shop's failures was last touched earlier
    other = make_store("stats-other.myshopify.com")
    other_shop = Shop.by_domain(other.domain)
    db.session.add(
        LedgerEntry(
            shop_id=other_shop.id,
            kind=LedgerKind.ORDER,
            shopify_id="gid://shopify/Order/1",
            status=LedgerStatus.POSTED,
        )
    )
    old = next(r for r in rows if r.status == LedgerStatus.FAILED)
    old.updated_at = utcnow() - timedelta(days=3)
    db.session.commit()

    response = owner.api("GET", "/api/stats/daily")
    assert response.status_code == 200
    days = response.get_json()
    today = utcnow().date()
    assert [d["date"] for d in days] == [
        (today - timedelta(days=n)).isoformat() for n in range(29, -1, -1)
    ]
    assert days[-1] == {"date": today.isoformat(), "posted": posted, "failed": failed - 1}
    assert days[-4] == {"date": days[-4]["date"], "posted": 0, "failed": 1}
    assert sum(d["posted"] + d["failed"] for d in days) == posted + failed

    week = owner.api("GET", "/api/stats/daily?days=2").get_json()
    assert week == days[-2:]
    assert len(owner.api("GET", "/api/stats/daily?days=90").get_json()) == 90
    theirs = merchant(other.domain).api("GET", "/api/stats/daily?days=1").get_json()
    assert theirs == [{"date": today.isoformat(), "posted": 1, "failed": 0}]


@pytest.mark.parametrize("days", ["0", "91", "-1", "abc", "7.5", "", "1e2", "٣"])
def test_a_bad_days_value_is_refused(make_store, merchant, days: str) -> None:
    store = make_store("stats-bad.myshopify.com", install=True)
    response = merchant(store.domain).api("GET", f"/api/stats/daily?days={days}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "invalid" and "1 to 90" in body["errors"]["days"]


def test_stats_need_a_session_token(client) -> None:
    response = client.get("/api/stats/daily")
    assert response.status_code == 401
    assert "error" in response.get_json()
