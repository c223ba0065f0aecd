"""Batch posting through python-quickbooks' transport: per-item outcomes, and a request id that
turns a retry after a lost answer into a replay instead of duplicates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from quickbooks.objects.customer import Customer

from clients.errors import DataError, RetryableError, RetryReason
from clients.quickbooks_batch import BatchItem, post_batch
from clients.quickbooks_faults import fault_error
from extensions import db
from models import Shop
from services.quickbooks_connection import client_for

SHOP = "batch.myshopify.com"


@pytest.fixture
def qb(app, qbo_emulator, merchant):
    """A python-quickbooks client for the connected emulator company."""
    db.session.add(Shop(shop_domain=SHOP, installed_at=datetime.now(UTC), shopify_access_token="t"))
    db.session.commit()
    merchant(SHOP).connect_quickbooks()
    return client_for(Shop.by_domain(SHOP).quickbooks_connection)


def customers(*names: str) -> list[BatchItem]:
    """Batch items creating customers with these display names."""
    return [BatchItem(f"c{i}", "Customer", {"DisplayName": name}) for i, name in enumerate(names)]


def faults(emulator, **settings: object) -> None:
    """Configure fault injection on the QBO emulator."""
    emulator.control("POST", "faults", **settings).raise_for_status()


def test_each_item_gets_its_own_outcome(qb) -> None:
    outcomes = post_batch(qb, customers("Ada Lovelace", "Grace Hopper", "Ada Lovelace"), "b-1")
    assert outcomes["c0"].saved["Id"] and outcomes["c1"].saved["Id"]
    duplicate = outcomes["c2"].error
    assert isinstance(duplicate, DataError) and duplicate.code == "6240"
    assert "already uses this name" in duplicate.fix


def test_a_lost_answer_is_replayed_not_reposted(qb, qbo_emulator) -> None:
    faults(qbo_emulator, drop_after_commit=1)
    with pytest.raises(RetryableError) as raised:
        post_batch(qb, customers("Katherine Johnson"), "b-2")
    assert raised.value.why is RetryReason.NETWORK
    replay = post_batch(qb, customers("Katherine Johnson"), "b-2")  # same request id
    assert replay["c0"].error is None and replay["c0"].saved["Id"]
    assert len(Customer.filter(DisplayName="Katherine Johnson", qb=qb)) == 1


def test_throttling_is_retryable(qb, qbo_emulator) -> None:
    faults(qbo_emulator, throttle_burst=1)
    with pytest.raises(RetryableError) as raised:
        post_batch(qb, customers("Margaret Hamilton"), "b-3")
    assert raised.value.code == "10000" and raised.value.why is RetryReason.THROTTLED
    assert post_batch(qb, customers("Margaret Hamilton"), "b-4")["c0"].saved


def test_batch_limits_are_enforced_before_sending(qb) -> None:
    with pytest.raises(ValueError, match="1 to 30"):
        post_batch(qb, customers(*[f"N{i}" for i in range(31)]), "b-5")
    with pytest.raises(ValueError, match="36"):
        post_batch(qb, customers("A"), "x" * 37)


def test_unreachable_quickbooks_is_retryable(qb) -> None:
    qb.api_url_v3 = qb.sandbox_api_url_v3 = "http://127.0.0.1:9/v3"
    with pytest.raises(RetryableError) as raised:
        post_batch(qb, customers("Hedy Lamarr"), "b-6")
    assert raised.value.why is RetryReason.NETWORK


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("3001", RetryReason.THROTTLED),
        ("3200", RetryReason.TOKEN_EXPIRED),
        ("5010", RetryReason.STALE),
        ("10000", RetryReason.SERVER_ERROR),
    ],
)
def test_retryable_faults_say_why(code: str, why: RetryReason) -> None:
    error = fault_error(code, "message", "detail")
    assert isinstance(error, RetryableError) and error.why is why and error.code == code


def test_other_faults_are_data_errors() -> None:
    assert isinstance(fault_error("6000", "A business validation error has occurred"), DataError)
