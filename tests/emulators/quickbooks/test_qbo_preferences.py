"""The Preferences entity: every group Intuit documents, with template defaults."""

from __future__ import annotations

from quickbooks.objects.preferences import Preferences

GROUPS = {
    "AccountingInfoPrefs",
    "ProductAndServicesPrefs",
    "SalesFormsPrefs",
    "EmailMessagesPrefs",
    "VendorAndPurchasesPrefs",
    "TimeTrackingPrefs",
    "TaxPrefs",
    "CurrencyPrefs",
    "ReportPrefs",
    "OtherPrefs",
}


def test_every_preference_group_is_present(qbo, qb, qb_ca):
    for client in (qb, qb_ca):
        prefs = qbo.raw(client, "GET", "preferences").json()["Preferences"]
        assert GROUPS <= set(prefs)
        assert prefs["SalesFormsPrefs"]["AllowShipping"] is True
        assert "BookCloseDate" not in prefs["AccountingInfoPrefs"]  # no closing date yet
        assert prefs["ReportPrefs"]["ReportBasis"] == "Accrual"
        assert prefs["EmailMessagesPrefs"]["InvoiceMessage"]["Subject"]
        names = {n["Name"] for n in prefs["OtherPrefs"]["NameValue"]}
        assert "DateFormatMnemonic" in names


def test_the_sdk_reads_the_groups_and_templates_differ(qbo, qb, qb_ca):
    us, ca = Preferences.get(qb=qb), Preferences.get(qb=qb_ca)
    assert us.TimeTrackingPrefs.WorkWeekStartDate == "Monday"
    assert us.VendorAndPurchasesPrefs.BillableExpenseTracking is True
    assert us.AccountingInfoPrefs.TaxForm == "6"  # a US income tax form
    ca_raw = qbo.raw(qb_ca, "GET", "preferences").json()["Preferences"]
    assert "TaxForm" not in ca_raw["AccountingInfoPrefs"]
    us_dates = {n.Name: n.Value for n in us.OtherPrefs.NameValue}["DateFormatMnemonic"]
    ca_dates = {n.Name: n.Value for n in ca.OtherPrefs.NameValue}["DateFormatMnemonic"]
    assert us_dates.startswith("MMDD") and ca_dates.startswith("DDMM")
    assert ca.TaxPrefs.PartnerTaxEnabled is False


def test_book_close_date_can_be_set(qbo, qb):
    prefs = qbo.raw(qb, "GET", "preferences").json()["Preferences"]
    body = {
        "Id": "1",
        "SyncToken": prefs["SyncToken"],
        "sparse": True,
        "AccountingInfoPrefs": {"BookCloseDate": "2025-12-31"},
    }
    saved = qbo.raw(qb, "POST", "preferences", json=body).json()["Preferences"]
    assert saved["AccountingInfoPrefs"]["BookCloseDate"] == "2025-12-31"
    assert saved["AccountingInfoPrefs"]["TrackDepartments"] is True  # the rest of the group kept
