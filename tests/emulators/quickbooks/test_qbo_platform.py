"""requestid replay, throttling, batch, CDC, preferences, company info and tax services."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import requests
from quickbooks.batch import batch_create, batch_delete, batch_update
from quickbooks.cdc import change_data_capture
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.company_info import CompanyInfo
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.preferences import Preferences
from quickbooks.objects.taxcode import TaxCode
from quickbooks.objects.taxrate import TaxRate
from quickbooks.objects.taxservice import TaxRateDetails, TaxService

from emulators.quickbooks.faults import PACIFIC

from .builders import make_doc


def _customers(*names):
    out = []
    for name in names:
        c = Customer()
        c.DisplayName = name
        out.append(c)
    return out


def test_requestid_replays_the_original_response(qb):
    doc = make_doc(qb, save=False, DocNumber="R-1")
    first = doc.save(qb=qb, request_id="req-0001")
    doc.Id = None
    again = make_doc(qb, save=False, DocNumber="R-1").save(qb=qb, request_id="req-0001")
    assert again.Id == first.Id and Invoice.count(qb=qb) == 1


def test_requestid_replays_faults_too(qb):
    with pytest.raises(QuickbooksException):
        make_doc(qb, save=False, customer="424242").save(qb=qb, request_id="req-bad")
    with pytest.raises(QuickbooksException) as err:
        make_doc(qb, save=False).save(qb=qb, request_id="req-bad")
    assert err.value.error_code == 2500


def test_requestid_is_per_realm(qbo, qb):
    other = qbo.qb(qbo.company())
    a = make_doc(qb, save=False).save(qb=qb, request_id="shared-id")
    b = make_doc(other, save=False).save(qb=other, request_id="shared-id")
    assert Invoice.count(qb=other) == 1 and a.Id and b.Id


def test_throttle_burst_is_qbo_xml_429(qbo, qb):
    qbo.control("POST", "faults", throttle_burst=2)
    resp = qbo.raw(qb, "GET", "preferences")
    assert resp.status_code == 429 and resp.headers["Content-Type"].startswith("application/xml")
    assert (
        '<Error code="3001"><Message>message=ThrottleExceeded; errorCode=003001; '
        "statusCode=429</Message>" in resp.text
    )
    with pytest.raises(QuickbooksException) as err:
        Customer.all(qb=qb)
    assert err.value.error_code == 10000
    assert Customer.all(qb=qb)


def test_requests_per_minute_per_realm(qbo, qb):
    assert qbo.control("GET", "settings").json()["per_minute"] == 500
    qbo.control("POST", "settings", per_minute=3)
    statuses = [qbo.raw(qb, "GET", "preferences").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    other = qbo.qb(qbo.company())
    assert other.query("SELECT * FROM Class")  # another realm has its own window
    qbo.control("POST", "clock", advance=61)
    assert qbo.raw(qb, "GET", "preferences").status_code == 200


def test_concurrent_requests_per_realm(qbo, qb):
    assert qbo.control("GET", "settings").json()["concurrent"] == 10
    qbo.control("POST", "settings", concurrent=2, handler_delay_ms=600)
    statuses: list[int] = []

    def call() -> None:
        statuses.append(qbo.raw(qb, "GET", "preferences").status_code)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 200, 429, 429]


def test_batch_create_update_delete_with_the_sdk(qb):
    result = batch_create(_customers("Batch A", "Batch B", "Cool Cars"), qb=qb)
    assert {c.DisplayName for c in result.successes} == {"Batch A", "Batch B"}
    assert len(result.faults) == 1 and result.faults[0].Error[0].code == "6240"
    invoices = [make_doc(qb) for _ in range(2)]
    for inv in invoices:
        inv.PrivateNote = "batched"
    assert all(i.PrivateNote == "batched" for i in batch_update(invoices, qb=qb).successes)
    fresh = [Invoice.get(i.Id, qb=qb) for i in invoices]
    assert len(batch_delete(fresh, qb=qb).successes) == 2 and Invoice.count(qb=qb) == 0


def test_batch_of_more_than_30_items_is_refused(qbo, qb):
    items = [
        {"bId": str(n), "operation": "create", "Customer": {"DisplayName": f"C{n}"}}
        for n in range(31)
    ]
    resp = qbo.raw(qb, "POST", "batch", json={"BatchItemRequest": items})
    assert resp.status_code == 400 and "Fault" in resp.json()
    assert Customer.count(qb=qb) == 3


def test_batch_query_item_options_and_item_fault(qbo, qb):
    make_doc(qb, DocNumber="B-1")
    doc = make_doc(qb, save=False, DocNumber="B-1")
    invoice = json.loads(doc.to_json())
    items = [
        {"bId": "q1", "Query": "SELECT COUNT(*) FROM Invoice"},
        {
            "bId": "d1",
            "operation": "create",
            "optionsData": "allowduplicatedocnum",
            "Invoice": invoice,
        },
        {"bId": "d2", "operation": "create", "Invoice": invoice},
    ]
    body = qbo.raw(qb, "POST", "batch", json={"BatchItemRequest": items}).json()
    by_id = {r["bId"]: r for r in body["BatchItemResponse"]}
    assert by_id["q1"]["QueryResponse"]["totalCount"] == 1
    assert by_id["d1"]["Invoice"]["DocNumber"] == "B-1"
    assert by_id["d2"]["Fault"]["type"] == "ValidationFault"
    assert by_id["d2"]["Fault"]["Error"][0]["code"] == "6140"


def test_cdc_reports_changes_and_deletions(qbo, qb):
    # python-quickbooks formats datetimes without an offset: QBO reads them in company time.
    now = qbo.control("POST", "clock", advance=10).json()["now"]  # template data is older
    since = datetime.fromisoformat(now).astimezone(PACIFIC).replace(tzinfo=None)
    since -= timedelta(seconds=1)
    kept, gone = make_doc(qb), make_doc(qb)
    Invoice.get(gone.Id, qb=qb).delete(qb=qb)
    cust = Customer()
    cust.DisplayName = "CDC Customer"
    cust.save(qb=qb)
    result = change_data_capture([Invoice, Customer], since, qb=qb)
    invoices = {i.Id: getattr(i, "status", None) for i in result.Invoice}
    assert invoices == {kept.Id: None, gone.Id: "Deleted"}
    assert [c.DisplayName for c in result.Customer] == ["CDC Customer"]
    later = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()  # with an offset
    assert len(change_data_capture([Invoice], later, qb=qb).Invoice) == 0


def test_preferences_reflect_the_templates(qbo, qb, qb_ca):
    us, ca = Preferences.get(qb=qb), Preferences.get(qb=qb_ca)
    assert us.CurrencyPrefs.HomeCurrency.value == "USD"
    assert ca.CurrencyPrefs.HomeCurrency.value == "CAD"
    assert us.TaxPrefs.PartnerTaxEnabled is True and ca.TaxPrefs.PartnerTaxEnabled is False
    assert us.SalesFormsPrefs.CustomTxnNumbers is True
    assert us.AccountingInfoPrefs.TrackDepartments is True
    assert us.AccountingInfoPrefs.ClassTrackingPerTxnLine is True


def test_preferences_update_and_custom_numbers_off(qbo, qb):
    prefs = qbo.raw(qb, "GET", "preferences").json()["Preferences"]
    body = {
        "SyncToken": prefs["SyncToken"],
        "sparse": True,
        "SalesFormsPrefs": {"CustomTxnNumbers": False},
    }
    assert qbo.raw(qb, "POST", "preferences", json=body).status_code == 200
    assert make_doc(qb).DocNumber == "1001"
    stale = qbo.raw(qb, "POST", "preferences", json=body).json()
    assert stale["Fault"]["Error"][0]["code"] == "5010"


def test_company_info_and_tax_reads(qb, qb_ca):
    info = CompanyInfo.get(qb.company_id, qb=qb)
    assert info.Country == "US" and info.CompanyName
    codes = {c.Name for c in TaxCode.all(qb=qb_ca)}
    assert {"GST", "HST ON", "GST/PST BC"} <= codes
    hst = TaxRate.filter(Name="HST ON", qb=qb_ca)[0]
    assert TaxRate.get(hst.Id, qb=qb_ca).RateValue == Decimal(13)


def test_tax_service_creates_a_tax_code(qb_ca):
    service = TaxService()
    service.TaxCode = "QST Combo"
    detail = TaxRateDetails()
    detail.TaxRateName, detail.RateValue, detail.TaxAgencyId = "QST", Decimal("9.975"), "1"
    service.TaxRateDetails = [detail]
    created = service.save(qb=qb_ca)
    assert created.TaxCodeId and created.TaxRateDetails[0].TaxRateId
    assert TaxCode.get(created.TaxCodeId, qb=qb_ca).Name == "QST Combo"


def test_tax_codes_are_read_only(qbo, qb_ca):
    resp = qbo.raw(qb_ca, "POST", "taxcode", json={"Name": "Nope"})
    assert resp.json()["Fault"]["Error"][0]["code"] == "500"


def test_minorversion_is_accepted(qbo, qb):
    resp = qbo.raw(qb, "GET", "preferences", params={"minorversion": "75"})
    assert resp.status_code == 200


def test_unknown_realm_is_403(qbo, qb):
    resp = requests.get(
        f"{qbo.url}/v3/company/1/preferences",
        timeout=5,
        headers={"Authorization": f"Bearer {qb.auth_client.access_token}"},
    )
    assert resp.status_code == 403
