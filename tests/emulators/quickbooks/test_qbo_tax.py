"""Tax arithmetic: US automated sales tax and the non-US TaxExcluded/TaxInclusive models."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.base import Address
from quickbooks.objects.company_info import CompanyInfo
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.preferences import Preferences
from quickbooks.objects.salesreceipt import SalesReceipt
from quickbooks.objects.tax import TxnTaxDetail
from quickbooks.objects.taxcode import TaxCode
from quickbooks.objects.taxrate import TaxRate

from .builders import discount, item_id, line, make_doc

SHIP = "SHIPPING_ITEM_ID"


def _tax(doc):
    return doc.TxnTaxDetail.TotalTax


def _state(code):
    addr = Address()
    addr.CountrySubDivisionCode = code
    return addr


def test_us_tax_on_taxable_lines_and_shipping(qb):
    design = item_id(qb, "Design")
    inv = make_doc(
        qb,
        lines=[
            line(design, "100.00", tax="TAX"),
            line(design, "50.00", tax="NON"),
            line(SHIP, "10.00", tax="TAX"),
        ],
    )
    # California combined 6% + 1.25% on 110.00: 6.60 + 1.38
    assert _tax(inv) == D("7.98") and inv.TotalAmt == D("167.98") and inv.Balance == D("167.98")
    assert [t.Amount for t in inv.TxnTaxDetail.TaxLine] == [D("6.60"), D("1.38")]
    assert inv.Line[-1].Amount == D("150.00")  # SubTotalLine excludes shipping


def test_us_omitted_line_tax_code_counts_as_taxable(qb):
    inv = make_doc(qb, lines=[line(item_id(qb, "Design"), "100.00")])
    assert _tax(inv) == D("7.25")


def test_us_rate_follows_ship_to_state(qb):
    inv = make_doc(qb, ShipAddr=_state("NY"), lines=[line(item_id(qb, "Design"), "100.00")])
    assert _tax(inv) == D("8.88") and inv.TotalAmt == D("108.88")


@pytest.mark.parametrize(
    ("after", "tax", "total"), [(True, "6.53", "96.53"), (False, "7.25", "97.25")]
)
def test_us_percent_discount_and_apply_tax_after_discount(qb, after, tax, total):
    inv = make_doc(
        qb,
        ApplyTaxAfterDiscount=after,
        lines=[line(item_id(qb, "Design"), "100.00"), discount(percent="10")],
    )
    assert inv.Line[1].Amount == D("10.00")
    assert _tax(inv) == D(tax) and inv.TotalAmt == D(total)


def test_us_amount_discount(qb):
    inv = make_doc(
        qb,
        ApplyTaxAfterDiscount=True,
        lines=[line(item_id(qb, "Design"), "80.00", tax="NON"), discount("5.50")],
    )
    assert inv.TotalAmt == D("74.50") and _tax(inv) == 0


def test_us_total_tax_override(qb):
    detail = TxnTaxDetail()
    detail.TotalTax = D("5.00")
    inv = make_doc(qb, TxnTaxDetail=detail, lines=[line(item_id(qb, "Design"), "100.00")])
    assert _tax(inv) == D("5.00") and inv.TotalAmt == D("105.00")


def _code_id(qb_non_us, name):
    return TaxCode.filter(Name=name, qb=qb_non_us)[0].Id


def test_non_us_tax_excluded_with_two_rates(qb_ca):
    code = _code_id(qb_ca, "GST/PST BC")
    inv = make_doc(
        qb_ca,
        GlobalTaxCalculation="TaxExcluded",
        lines=[line(item_id(qb_ca, "Design"), "100.00", tax=code)],
    )
    assert _tax(inv) == D("12.00") and inv.TotalAmt == D("112.00")
    assert sorted(t.TaxLineDetail.TaxPercent for t in inv.TxnTaxDetail.TaxLine) == [5, 7]


def test_non_us_tax_inclusive_amount_holds_tax(qb_ca):
    code = _code_id(qb_ca, "HST ON")
    inv = make_doc(
        qb_ca,
        GlobalTaxCalculation="TaxInclusive",
        lines=[line(item_id(qb_ca, "Design"), "113.00", tax=code), line(SHIP, "11.30", tax=code)],
    )
    assert _tax(inv) == D("14.30") and inv.TotalAmt == D("124.30")
    assert inv.Line[0].Amount == D("100.00")
    assert inv.Line[0].SalesItemLineDetail.TaxInclusiveAmt == D("113.00")
    again = Invoice.get(inv.Id, qb=qb_ca)  # a full update round-trip keeps the same totals
    again.PrivateNote = "round trip"
    assert again.save(qb=qb_ca).TotalAmt == D("124.30")


def test_non_us_inclusive_with_discount(qb_ca):
    code = _code_id(qb_ca, "GST")
    inv = make_doc(
        qb_ca,
        GlobalTaxCalculation="TaxInclusive",
        lines=[line(item_id(qb_ca, "Design"), "105.00", tax=code), discount(percent="20")],
    )
    assert inv.TotalAmt == D("84.00") and _tax(inv) == D("4.00")


def test_non_us_not_applicable_has_no_tax(qb_ca):
    inv = make_doc(
        qb_ca,
        GlobalTaxCalculation="NotApplicable",
        lines=[line(item_id(qb_ca, "Design"), "100.00")],
    )
    assert _tax(inv) == 0 and inv.TotalAmt == D("100.00")


def test_non_us_line_without_tax_code_is_refused(qb_ca):
    with pytest.raises(QuickbooksException) as err:
        make_doc(qb_ca, lines=[line(item_id(qb_ca, "Design"), "100.00")])
    assert err.value.error_code == 6000


def test_uk_vat_inclusive_receipt(qbo):
    qb_uk = qbo.qb(qbo.company("uk"))
    vat = _code_id(qb_uk, "20.0% S")
    receipt = make_doc(
        qb_uk,
        SalesReceipt,
        GlobalTaxCalculation="TaxInclusive",
        lines=[line(item_id(qb_uk, "Design"), "120.00", tax=vat)],
    )
    assert receipt.TotalAmt == D("120.00") and _tax(receipt) == D("20.00")
    assert Preferences.get(qb=qb_uk).CurrencyPrefs.HomeCurrency.value == "GBP"


def test_us_default_txn_tax_detail_does_not_zero_the_tax(qb):
    inv = make_doc(qb, TxnTaxDetail=TxnTaxDetail(), lines=[line(item_id(qb, "Design"), "100.00")])
    assert _tax(inv) == D("7.25")


def test_au_company_has_gst_codes_and_aud_home_currency(qbo):
    qb_au = qbo.qb(qbo.company("au"))
    rates = {
        code.Name: [
            TaxRate.get(d.TaxRateRef.value, qb=qb_au).RateValue
            for d in code.SalesTaxRateList.TaxRateDetail
        ]
        for code in TaxCode.all(qb=qb_au)
    }
    assert rates == {
        "GST": [D(10)],
        "GST free": [D(0)],
        "GST free exports": [D(0)],
        "Input taxed": [D(0)],
        "Out of Scope": [D(0)],
    }
    prefs = Preferences.get(qb=qb_au)
    assert prefs.CurrencyPrefs.HomeCurrency.value == "AUD"
    assert prefs.TaxPrefs.PartnerTaxEnabled is False
    dates = {n.Name: n.Value for n in prefs.OtherPrefs.NameValue}["DateFormatMnemonic"]
    assert dates == "DDMMYYYY_SEP_SLASH"
    info = CompanyInfo.get(qb_au.company_id, qb=qb_au)
    assert info.Country == "AU" and info.CompanyAddr.CountrySubDivisionCode == "NSW"
    assert info.FiscalYearStartMonth == "July"


def test_au_gst_inclusive_receipt_with_gst_free_lines_to_the_cent(qbo):
    qb_au = qbo.qb(qbo.company("au"))
    gst, free = _code_id(qb_au, "GST"), _code_id(qb_au, "GST free")
    receipt = make_doc(
        qb_au,
        SalesReceipt,
        GlobalTaxCalculation="TaxInclusive",
        lines=[
            line(item_id(qb_au, "Design"), "110.00", tax=gst),
            line(item_id(qb_au, "Pump"), "33.33", qty="3", tax=gst),
            line(item_id(qb_au, "Gardening Supplies"), "25.00", tax=free),
            line(SHIP, "9.95", tax=gst),
        ],
    )
    # GST is one eleventh of the taxed gross, rounded once: 153.28 / 11 = 13.934… → 13.93
    assert _tax(receipt) == D("13.93") and receipt.TotalAmt == D("178.28")
    assert receipt.GlobalTaxCalculation == "TaxInclusive"
    tax_lines = receipt.TxnTaxDetail.TaxLine  # one per rate used, the 0% one included
    assert [(t.Amount, t.TaxLineDetail.NetAmountTaxable) for t in tax_lines] == [
        (D("13.93"), D("139.35")),
        (D("0.00"), D("25.00")),
    ]
    assert receipt.Line[0].Amount == D("100.00")
    detail = receipt.Line[0].SalesItemLineDetail  # python-quickbooks leaves it a dict here
    assert D(str(detail["TaxInclusiveAmt"])) == D("110.00")
    assert receipt.Line[2].Amount == D("25.00")  # GST free: net is gross
    assert receipt.Balance == 0
