"""Multicurrency: the company option, CompanyCurrency, transaction/customer/account currencies."""

from __future__ import annotations

from decimal import Decimal
from itertools import count

import pytest
import requests
from quickbooks.exceptions import QuickbooksException, ValidationException
from quickbooks.objects.account import Account
from quickbooks.objects.companycurrency import CompanyCurrency
from quickbooks.objects.creditmemo import CreditMemo
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.preferences import Preferences
from quickbooks.objects.salesreceipt import SalesReceipt

from .builders import customer_id, item_id, line, make_doc, payment, ref

_NAMES = count(1)
ACCOUNT_RULE = (
    "The currency of the account must be either in home currency or the transaction currency."
)


@pytest.fixture
def mc(qbo):
    """python-quickbooks on a fresh US company with multicurrency on and EUR, JPY added."""
    resp = qbo.control("POST", "companies", template="us", multi_currency=True)
    assert resp.status_code == 201 and resp.json()["multi_currency"] is True
    qb = qbo.qb(resp.json()["realm_id"])
    for code in ("EUR", "JPY"):
        _currency(qb, code)
    return qb


def _currency(qb, code: str) -> CompanyCurrency:
    """Add a currency to the company's currency list."""
    cc = CompanyCurrency()
    cc.Code = code
    return cc.save(qb=qb)


def _customer(qb, name: str, code: str | None = None) -> Customer:
    """A new customer, in `code` when given."""
    c = Customer()
    c.DisplayName = name
    if code:
        c.CurrencyRef = ref(code)
    return c.save(qb=qb)


def _sale(
    qb,
    cls=SalesReceipt,
    code: str | None = None,
    amount: str = "122.00",
    tax: str | None = "NON",
    **fields,
):
    """An unsaved sales form for a new customer in `code` (a line on Design, US-untaxed)."""
    customer = _customer(qb, f"{code or 'Home'} buyer {next(_NAMES)}", code).Id
    doc = make_doc(
        qb, cls, [line(item_id(qb, "Design"), amount, tax=tax)], save=False, customer=customer
    )
    if code:
        doc.CurrencyRef = ref(code)
    for key, value in fields.items():
        setattr(doc, key, value)
    return doc


def _fault(action) -> QuickbooksException:
    """The python-quickbooks exception `action` raises."""
    with pytest.raises(QuickbooksException) as err:
        action()
    return err.value


def _account(qb, name: str, code: str, kind: str = "Bank") -> Account:
    """A new account in currency `code`."""
    acct = Account()
    acct.Name, acct.AccountType, acct.CurrencyRef = name, kind, ref(code)
    return acct.save(qb=qb)


# --- the company option -------------------------------------------------------------------------


def test_company_option_turns_multicurrency_on(qbo, mc):
    prefs = Preferences.get(qb=mc).CurrencyPrefs
    assert prefs.MultiCurrencyEnabled is True
    raw = qbo.raw(mc, "GET", "preferences").json()["Preferences"]["CurrencyPrefs"]
    assert raw == {"HomeCurrency": {"value": "USD"}, "MultiCurrencyEnabled": True}
    plain = qbo.qb(qbo.company("us"))
    assert Preferences.get(qb=plain).CurrencyPrefs.MultiCurrencyEnabled is False


def test_exchange_rates_control_validates_and_lists(qbo, mc):
    base = f"companies/{mc.company_id}/exchange_rates"
    assert qbo.control("POST", base, EUR="1.0825").json()["exchange_rates"] == {"EUR": "1.0825"}
    assert qbo.control("GET", base).json() == {
        "realm_id": mc.company_id,
        "home": "USD",
        "exchange_rates": {"EUR": "1.0825"},
    }
    assert qbo.control("POST", base, XXX="1").status_code == 400
    assert qbo.control("POST", base, EUR="-1").status_code == 400
    assert qbo.control("POST", "companies/nope/exchange_rates", EUR="1").status_code == 404
    bad = qbo.control("POST", "companies", template="us", exchange_rates={"EUR": "x"})
    assert bad.status_code == 400


# --- CompanyCurrency ------------------------------------------------------------------------------


def test_company_currency_create_read_query_and_sparse_update(mc):
    gbp = _currency(mc, "gbp")
    assert (gbp.Code, gbp.Name, gbp.Active, gbp.SyncToken) == (
        "GBP",
        "British Pound Sterling",
        True,
        "0",
    )
    assert gbp.MetaData.CreateTime
    assert CompanyCurrency.get(gbp.Id, qb=mc).Code == "GBP"
    found = CompanyCurrency.where("Code = 'EUR'", qb=mc)
    assert [c.Name for c in found] == ["Euro"]
    assert {c.Code for c in CompanyCurrency.where("Active = true", qb=mc)} == {"EUR", "JPY", "GBP"}
    gbp.Active = False
    off = gbp.save(qb=mc)
    assert off.Active is False and off.SyncToken == "1" and off.Name == "British Pound Sterling"
    assert CompanyCurrency.where("Code = 'GBP'", qb=mc) == []  # name lists hide inactive ones
    assert CompanyCurrency.where("Code = 'GBP' AND Active = false", qb=mc)[0].Id == gbp.Id
    on = CompanyCurrency.get(gbp.Id, qb=mc)
    on.sparse, on.Active = True, True
    assert on.save(qb=mc).Active is True


@pytest.mark.parametrize(
    ("code", "expected", "text"),
    [
        ("XXX", 6000, "not a supported ISO 4217"),
        ("USD", 6240, "already in the currency list"),  # the home currency
        ("EUR", 6240, "already in the currency list"),  # added by the fixture
        ("EURO", 2050, "Max:3"),
    ],
)
def test_company_currency_refusals(mc, code, expected, text):
    err = _fault(lambda: _currency(mc, code))
    assert err.error_code == expected and text in err.detail


def test_company_currency_needs_code_and_multicurrency(qb, mc):
    assert _fault(lambda: CompanyCurrency().save(qb=mc)).error_code == 2020
    err = _fault(lambda: _currency(qb, "EUR"))
    assert err.error_code == 6000 and "Multicurrency is not enabled" in err.detail
    assert err.message == "A business validation error has occurred while processing your request"


def test_company_currency_code_cannot_change(mc):
    eur = CompanyCurrency.where("Code = 'EUR'", qb=mc)[0]
    eur.Code = "GBP"
    assert _fault(lambda: eur.save(qb=mc)).error_code == 6000


def test_company_currency_cannot_be_deleted(qbo, mc):
    eur = CompanyCurrency.where("Code = 'EUR'", qb=mc)[0]
    body = {"Id": eur.Id, "SyncToken": eur.SyncToken}
    resp = qbo.raw(mc, "POST", "companycurrency?operation=delete", json=body)
    assert resp.json()["Fault"]["Error"][0]["code"] == "500"  # made inactive instead


# --- transactions -------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [SalesReceipt, Invoice, CreditMemo])
def test_transaction_currency_defaults_to_home_at_rate_one(mc, cls):
    doc = _sale(mc, cls).save(qb=mc)
    assert doc.CurrencyRef.value == "USD" and doc.CurrencyRef.name == "United States Dollar"
    assert doc.ExchangeRate == 1 and doc.HomeTotalAmt == doc.TotalAmt == Decimal("122.00")


def test_home_currency_rate_is_always_one(mc):
    doc = _sale(mc, CurrencyRef=ref("USD"), ExchangeRate=Decimal("1.5")).save(qb=mc)
    assert doc.ExchangeRate == 1 and doc.HomeTotalAmt == Decimal("122.00")


def test_foreign_sales_receipt_home_total_rounds_half_up_to_the_cent(mc):
    # 122.00 × 1.0825 = 132.065 → 132.07 (half-up; half-even would give 132.06)
    doc = _sale(mc, code="EUR", ExchangeRate=Decimal("1.0825")).save(qb=mc)
    assert doc.CurrencyRef.value == "EUR" and doc.CurrencyRef.name == "Euro"
    assert doc.TotalAmt == Decimal("122.00") and doc.ExchangeRate == Decimal("1.0825")
    assert doc.HomeTotalAmt == Decimal("132.07")
    again = SalesReceipt.get(doc.Id, qb=mc)
    assert (again.ExchangeRate, again.HomeTotalAmt) == (Decimal("1.0825"), Decimal("132.07"))


def test_exchange_rate_is_kept_exactly(qbo, mc):
    doc = _sale(mc, code="EUR", amount="133.33", ExchangeRate=Decimal("1.23456789")).save(qb=mc)
    raw = qbo.raw(mc, "GET", f"salesreceipt/{doc.Id}").text
    assert '"ExchangeRate": 1.23456789' in raw and '"HomeTotalAmt": 164.60' in raw


def test_foreign_invoice_home_balance_follows_payments(mc):
    inv = _sale(mc, Invoice, code="EUR", amount="200.00", ExchangeRate=Decimal("1.5")).save(qb=mc)
    assert (inv.HomeTotalAmt, inv.HomeBalance) == (Decimal("300.00"), Decimal("300.00"))
    p = payment(mc, inv.CustomerRef.value, "50.00", [(inv.Id, "50.00")], currency="EUR")
    assert p.CurrencyRef.value == "EUR" and p.ExchangeRate == 1
    paid = Invoice.get(inv.Id, qb=mc)
    assert (paid.Balance, paid.HomeBalance) == (Decimal("150.00"), Decimal("225.00"))


def test_omitted_exchange_rate_uses_the_company_rate(qbo, mc):
    default = _sale(mc, code="EUR", ExchangeRate=None).save(qb=mc)
    assert default.ExchangeRate == 1 and default.HomeTotalAmt == Decimal("122.00")
    qbo.control("POST", f"companies/{mc.company_id}/exchange_rates", EUR="1.1")
    receipt = _sale(mc, code="EUR", amount="10.05", ExchangeRate=None).save(qb=mc)
    assert receipt.ExchangeRate == Decimal("1.1") and receipt.HomeTotalAmt == Decimal("11.06")
    credit = _sale(mc, CreditMemo, code="EUR").save(qb=mc)  # python-quickbooks sends 0
    assert credit.ExchangeRate == Decimal("1.1") and credit.HomeTotalAmt == Decimal("134.20")


def test_rate_at_company_creation(qbo):
    resp = qbo.control(
        "POST", "companies", template="uk", multi_currency=True, exchange_rates={"EUR": "0.85"}
    ).json()
    qb = qbo.qb(resp["realm_id"])
    _currency(qb, "EUR")
    doc = _sale(qb, code="EUR", tax=None, ExchangeRate=None, GlobalTaxCalculation="NotApplicable")
    saved = doc.save(qb=qb)
    assert saved.ExchangeRate == Decimal("0.85") and saved.HomeTotalAmt == Decimal("103.70")


def test_jpy_amounts_and_tax_round_to_whole_yen(mc):
    customer = _customer(mc, "Tanaka", "JPY").Id
    doc = make_doc(
        mc,
        Invoice,
        [line(item_id(mc, "Design"), "1000.40")],
        save=False,
        customer=customer,
    )
    doc.CurrencyRef, doc.ExchangeRate = ref("JPY"), Decimal("0.0067")
    inv = doc.save(qb=mc)
    assert inv.Line[0].Amount == Decimal("1000")
    # CA 6% = 60, San Mateo 1.25% = 12.5 → 13 (each TaxLine rounded to the yen)
    assert [t.Amount for t in inv.TxnTaxDetail.TaxLine] == [Decimal("60"), Decimal("13")]
    assert inv.TotalAmt == Decimal("1073") and inv.HomeTotalAmt == Decimal("7.19")


def test_void_zeroes_home_amounts(mc):
    inv = _sale(mc, Invoice, code="EUR", ExchangeRate=Decimal("1.2")).save(qb=mc)
    inv.void(qb=mc)
    voided = Invoice.get(inv.Id, qb=mc)
    assert voided.HomeTotalAmt == 0 and voided.HomeBalance == 0


# --- refusals -----------------------------------------------------------------------------------


def test_foreign_transaction_refused_without_multicurrency(qb):
    doc = make_doc(qb, SalesReceipt, save=False)
    doc.CurrencyRef = ref("EUR")
    err = _fault(lambda: doc.save(qb=qb))
    assert err.error_code == 6000 and "Multicurrency is not enabled" in err.detail


def test_currency_must_be_in_the_company_list(mc):
    doc = make_doc(mc, SalesReceipt, save=False, CurrencyRef=ref("GBP"))
    err = _fault(lambda: doc.save(qb=mc))
    assert err.error_code == 6000 and "GBP is not an active currency" in err.detail


def test_inactive_company_currency_refused(mc):
    gbp = _currency(mc, "GBP")
    customer = _customer(mc, "Brit", "GBP").Id
    gbp.Active = False
    gbp.save(qb=mc)
    doc = make_doc(mc, SalesReceipt, save=False, customer=customer, CurrencyRef=ref("GBP"))
    assert "GBP is not an active currency" in _fault(lambda: doc.save(qb=mc)).detail
    assert "GBP is not an active currency" in _fault(lambda: _customer(mc, "Brit 2", "GBP")).detail


@pytest.mark.parametrize("cls", [SalesReceipt, Invoice])
def test_transaction_currency_must_match_the_customer(mc, cls):
    eur_buyer = _customer(mc, f"Euro {cls.__name__}", "EUR").Id
    home_doc = make_doc(mc, cls, save=False, customer=eur_buyer)  # USD by default
    err = _fault(lambda: home_doc.save(qb=mc))
    assert err.error_code == 6000 and "must be the currency of the customer (EUR)" in err.detail
    foreign = make_doc(mc, cls, save=False, CurrencyRef=ref("EUR"))  # Cool Cars is USD
    assert "currency of the customer (USD)" in _fault(lambda: foreign.save(qb=mc)).detail


def test_payment_currency_must_match_customer_and_invoices(mc):
    inv = _sale(mc, Invoice, code="EUR", ExchangeRate=Decimal("1.1")).save(qb=mc)
    eur_buyer = inv.CustomerRef.value
    err = _fault(lambda: payment(mc, eur_buyer, "10.00", []))  # USD payment, EUR customer
    assert err.error_code == 6000 and "currency of the customer (EUR)" in err.detail
    home_inv = make_doc(mc, Invoice)
    err = _fault(lambda: payment(mc, customer_id(mc), "10.00", [(inv.Id, "10.00")]))
    assert err.error_code == 6000  # customer USD, payment USD, invoice EUR
    assert f"Invoice {inv.Id} is in EUR" in err.detail
    assert (
        payment(mc, customer_id(mc), "10.00", [(home_inv.Id, "10.00")]).CurrencyRef.value == "USD"
    )


def test_deposit_account_must_be_home_or_transaction_currency(mc):
    _currency(mc, "GBP")
    gbp_bank = _account(mc, "Bank GBP", "GBP")
    eur_bank = _account(mc, "Bank EUR", "EUR")
    doc = _sale(mc, code="EUR", DepositToAccountRef=ref(gbp_bank.Id))
    err = _fault(lambda: doc.save(qb=mc))
    assert err.error_code == 6000 and err.detail.endswith(ACCOUNT_RULE)
    ok = _sale(mc, code="EUR", amount="1.00", DepositToAccountRef=ref(eur_bank.Id)).save(qb=mc)
    assert ok.DepositToAccountRef.value == eur_bank.Id
    home = _sale(mc, amount="2.00", DepositToAccountRef=ref(eur_bank.Id))  # USD sale, EUR bank
    assert _fault(lambda: home.save(qb=mc)).detail.endswith(ACCOUNT_RULE)


def test_ar_account_must_be_home_or_transaction_currency(mc):
    ar_jpy = _account(mc, "A/R JPY", "JPY", "Accounts Receivable")
    doc = _sale(mc, Invoice, code="EUR", ARAccountRef=ref(ar_jpy.Id))
    assert _fault(lambda: doc.save(qb=mc)).detail.endswith(ACCOUNT_RULE)
    ar = next(a for a in Account.all(qb=mc) if a.AccountType == "Accounts Receivable")
    assert _sale(mc, Invoice, code="EUR", ARAccountRef=ref(ar.Id)).save(qb=mc).Id


def test_negative_exchange_rate_refused(mc):
    doc = _sale(mc, code="EUR", ExchangeRate=Decimal("-1"))
    assert _fault(lambda: doc.save(qb=mc)).error_code == 6000


# --- customers and accounts ---------------------------------------------------------------------


def test_customer_currency_defaults_to_home_and_is_returned(mc):
    assert _customer(mc, "Plain").CurrencyRef.value == "USD"
    template = Customer.get(customer_id(mc), qb=mc).CurrencyRef
    assert (template.value, template.name) == ("USD", "United States Dollar")
    assert _customer(mc, "Jean", "EUR").CurrencyRef.name == "Euro"


def test_customer_currency_cannot_change(mc):
    jean = _customer(mc, "Jean", "EUR")
    jean.CurrencyRef = ref("JPY")
    err = _fault(lambda: jean.save(qb=mc))
    assert err.error_code == 6000 and "cannot be changed" in err.detail
    kept = Customer.get(jean.Id, qb=mc)
    kept.CompanyName = "Jean SARL"
    assert kept.save(qb=mc).CurrencyRef.value == "EUR"  # a full update echoing it is fine
    home = Customer.get(customer_id(mc), qb=mc)
    home.sparse, home.CurrencyRef = True, ref("EUR")
    assert _fault(lambda: home.save(qb=mc)).error_code == 6000


def test_foreign_customer_needs_multicurrency(qb):
    err = _fault(lambda: _customer(qb, "Jean", "EUR"))
    assert err.error_code == 6000 and "Multicurrency is not enabled" in err.detail


def test_account_currency_defaults_to_home_and_cannot_change(mc):
    acct = Account()
    acct.Name, acct.AccountType = "Petty cash", "Bank"
    saved = acct.save(qb=mc)
    assert saved.CurrencyRef.value == "USD"
    saved.CurrencyRef = ref("EUR")
    assert _fault(lambda: saved.save(qb=mc)).error_code == 6000
    assert _account(mc, "Bank JPY", "JPY").CurrencyRef.value == "JPY"


# --- browse page and the single-currency company --------------------------------------------------


def test_browse_page_shows_foreign_currency(qbo, mc):
    _sale(mc, code="EUR", DocNumber="FX-1", ExchangeRate=Decimal("1.0825")).save(qb=mc)
    _sale(mc, DocNumber="HOME-1", amount="5.00").save(qb=mc)
    html = requests.get(f"{qbo.url}/_emulator/browse/{mc.company_id}", timeout=5).text
    assert "EUR @ 1.0825 (home 132.07 USD)" in html
    assert html.count(" @ ") == 1  # the home-currency receipt shows no currency note


def test_company_without_the_option_behaves_as_before(qbo, qb):
    inv = make_doc(qb, ExchangeRate=Decimal("1.5"))  # python-quickbooks sends 1 unless told
    raw = qbo.raw(qb, "GET", f"invoice/{inv.Id}").json()["Invoice"]
    assert raw["TotalAmt"] == 107.25 and raw["Balance"] == 107.25
    assert raw["CurrencyRef"] == {"value": "USD", "name": "United States Dollar"}
    assert "ExchangeRate" not in raw and "HomeTotalAmt" not in raw and "HomeBalance" not in raw
    with pytest.raises(ValidationException):
        make_doc(qb, DocNumber="x" * 22)  # other rules unchanged
    assert CompanyCurrency.all(qb=qb) == []
    usd = make_doc(qb, SalesReceipt, CurrencyRef=ref("USD"))
    assert usd.CurrencyRef.value == "USD" and usd.TotalAmt == Decimal("107.25")
