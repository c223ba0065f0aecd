"""Batch-only behaviour: an item's SystemFault (a resend replays the rest) and the batch limit."""

from __future__ import annotations

from quickbooks.objects.customer import Customer


def _items(*names):
    return [
        {"bId": name, "operation": "create", "Customer": {"DisplayName": name}} for name in names
    ]


def _batch(qbo, qb, items, request_id=None):
    params = {"requestid": request_id} if request_id else {}
    return qbo.raw(qb, "POST", "batch", json={"BatchItemRequest": items}, params=params)


def test_batch_item_fault_knob_answers_one_system_fault(qbo, qb):
    qbo.control("POST", "faults", batch_item_fault=1)
    body = _batch(qbo, qb, _items("SF A", "SF B", "SF C")).json()
    answers = {r["bId"]: r for r in body["BatchItemResponse"]}
    assert answers["SF A"]["Customer"]["Id"] and answers["SF B"]["Customer"]["Id"]
    fault = answers["SF C"]["Fault"]
    assert fault["type"] == "SystemFault" and fault["Error"][0]["code"] == "10000"
    assert Customer.count(qb=qb) == 3 + 2  # the faulted item did nothing
    assert qbo.control("GET", "faults").json()["batch_item_fault"] == 0


def test_a_resent_batch_replays_done_items_and_runs_the_faulted_one(qbo, qb):
    qbo.control("POST", "faults", batch_item_fault=1)
    first = _batch(qbo, qb, _items("RB A", "RB B"), "batch-req-1").json()["BatchItemResponse"]
    assert "Fault" in first[1]
    again = _batch(qbo, qb, _items("RB A", "RB B"), "batch-req-1").json()["BatchItemResponse"]
    assert again[0] == first[0] and again[1]["Customer"]["DisplayName"] == "RB B"
    third = _batch(qbo, qb, _items("RB A", "RB B"), "batch-req-1").json()["BatchItemResponse"]
    assert third == again  # now whole: replayed as it is
    assert Customer.count("DisplayName LIKE 'RB %'", qb=qb) == 2


def test_batch_requests_per_minute_per_realm(qbo, qb):
    assert qbo.control("GET", "settings").json()["batch_per_minute"] == 40
    query = [{"bId": "q", "Query": "SELECT COUNT(*) FROM Customer"}]
    statuses = [_batch(qbo, qb, query).status_code for _ in range(41)]
    assert statuses == [200] * 40 + [429]
    assert qbo.raw(qb, "GET", "preferences").status_code == 200  # other calls go on
    other = qbo.qb(qbo.company())
    assert _batch(qbo, other, query).status_code == 200  # another realm has its own window
    qbo.control("POST", "clock", advance=61)
    assert _batch(qbo, qb, query).status_code == 200


def test_batch_limit_is_a_setting(qbo, qb):
    qbo.control("POST", "settings", batch_per_minute=2)
    query = [{"bId": "q", "Query": "SELECT COUNT(*) FROM Customer"}]
    assert [_batch(qbo, qb, query).status_code for _ in range(3)] == [200, 200, 429]
