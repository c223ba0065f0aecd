"""Test control through emulators/common: log, faults, clock, templates, reset; browse page."""

from __future__ import annotations

import time

import pytest
import requests
from quickbooks.exceptions import SevereException
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice

from emulators.common.serve import serve_in_thread
from emulators.quickbooks import create_app

from .builders import make_doc


def test_request_log_counts_per_endpoint(qbo, qb):
    qbo.control("DELETE", "requests")
    inv = make_doc(qb)
    Customer.all(qb=qb)
    Invoice.get(inv.Id, qb=qb)
    counts = qbo.control("GET", "requests").json()["counts"]
    assert counts["POST /v3/company/{realm}/invoice"] == 1
    assert counts["GET /v3/company/{realm}/invoice/{id}"] == 1
    assert counts["POST /v3/company/{realm}/query"] >= 2


def test_latency_fault(qbo, qb):
    qbo.control("POST", "faults", latency_ms=200)
    start = time.monotonic()
    qbo.raw(qb, "GET", "preferences")
    assert time.monotonic() - start >= 0.2


def test_error_rate_fault_is_a_qbo_system_fault(qbo, qb):
    qbo.control("POST", "faults", error_rate=1.0, error_status=503)
    resp = qbo.raw(qb, "GET", "preferences")
    assert resp.status_code == 503 and resp.json()["Fault"]["type"] == "SystemFault"
    with pytest.raises(SevereException):
        Customer.all(qb=qb)


def test_commit_then_drop_applies_the_request(qbo, qb):
    qbo.control("POST", "faults", drop_after_commit=1)
    c = Customer()
    c.DisplayName = "Dropped But Saved"
    with pytest.raises(requests.exceptions.ConnectionError):
        c.save(qb=qb)
    assert Customer.filter(DisplayName="Dropped But Saved", qb=qb)


def test_settable_clock_drives_metadata(qbo):
    qbo.control("POST", "clock", now="2030-01-02T03:04:05Z")
    qb = qbo.qb(qbo.company())  # tokens minted before the jump would have expired
    c = Customer()
    c.DisplayName = "Future"
    created = c.save(qb=qb)
    assert created.MetaData["CreateTime"].startswith("2030-01-01T19:04")  # Pacific


def test_template_endpoint_and_companies_route(qbo):
    before = len(qbo.control("GET", "companies").json()["companies"])
    assert qbo.control("POST", "template", name="ca").status_code == 200
    assert qbo.control("POST", "template", name="nope").status_code == 404
    assert qbo.control("POST", "companies", template="nope").status_code == 400
    assert len(qbo.control("GET", "companies").json()["companies"]) == before + 1


def test_tokens_route_for_seeding(qbo):
    realm = qbo.company()
    tokens = qbo.control("POST", "tokens", realm_id=realm).json()
    resp = requests.get(
        f"{qbo.url}/v3/company/{realm}/companyinfo/{realm}",
        timeout=5,
        headers={"Authorization": f"Bearer {tokens['access_token']}", "Accept": "application/json"},
    )
    assert resp.json()["CompanyInfo"]["Country"] == "US"


def test_reset_forgets_companies_and_tokens():
    handle = serve_in_thread(create_app(template="us"))
    try:
        base = f"{handle.url}/_emulator"
        assert len(requests.get(f"{base}/companies", timeout=5).json()["companies"]) == 1
        requests.post(f"{base}/reset", timeout=5)
        assert requests.get(f"{base}/companies", timeout=5).json()["companies"] == []
    finally:
        handle.shutdown()


def test_browse_page_shows_company_documents(qbo, qb):
    make_doc(qb, DocNumber="BR-1")
    page = requests.get(f"{qbo.url}/_emulator/browse/{qb.company_id}", timeout=5)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    html = page.text
    assert "Cool Cars" in html and "Rock Fountain" in html and "BR-1" in html
    assert "Total 107.25" in html
    index = requests.get(f"{qbo.url}/_emulator/browse/", timeout=5).text
    assert qb.company_id in index


def test_retry_after_drop_with_same_requestid_posts_once(qbo, qb):
    first, retry = (make_doc(qb, save=False, DocNumber="ONCE-1") for _ in range(2))
    qbo.control("POST", "faults", drop_after_commit=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        first.save(qb=qb, request_id="order-1001-post")
    assert retry.save(qb=qb, request_id="order-1001-post").DocNumber == "ONCE-1"
    assert Invoice.count(qb=qb) == 1
