"""Intuit meters every call, and every batch item as a call: reads (queries, reads by id,
CompanyInfo, Preferences) apart from writes."""

from __future__ import annotations

from quickbooks.objects.customer import Customer


def metered(qbo) -> dict:
    """The emulator's metered counts."""
    return qbo.control("GET", "metered").json()


def test_reads_and_writes_are_counted_batch_items_one_by_one(qbo, qb) -> None:
    qbo.control("DELETE", "metered")
    Customer.all(max_results=5, qb=qb)  # one query
    created = Customer.from_json({"DisplayName": "Meter Me"}).save(qb=qb)  # one write
    Customer.get(created.Id, qb=qb)  # one read by id
    items = [
        {"bId": "q1", "Query": "SELECT * FROM Customer WHERE DisplayName = 'Meter Me'"},
        {"bId": "q2", "Query": "SELECT * FROM Item"},
        {"bId": "c1", "operation": "create", "Customer": {"DisplayName": "Meter Too"}},
    ]
    qbo.raw(qb, "POST", "batch", json={"BatchItemRequest": items})
    assert metered(qbo) == {"reads": 2 + 2, "writes": 1 + 1}
    assert qbo.control("DELETE", "metered").json() == {"reads": 0, "writes": 0}
