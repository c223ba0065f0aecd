"""The Preferences entity: every group Intuit documents, with defaults per company template.

Groups and fields as in the Accounting API reference and its sample response:
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/preferences
(AccountingInfoPrefs, ProductAndServicesPrefs, SalesFormsPrefs, EmailMessagesPrefs,
VendorAndPurchasesPrefs, TimeTrackingPrefs, TaxPrefs, CurrencyPrefs, ReportPrefs, OtherPrefs).
AccountingInfoPrefs.BookCloseDate exists only once the books have a closing date, so a new
company has none. Sales tax per locale:
https://developer.intuit.com/app/developer/qbo/docs/develop/tutorials/manage-sales-tax-for-non-us-locales
"""

from __future__ import annotations

import copy
from typing import Any

_MESSAGE = "Thank you for your business and have a great day!"


def _email(form: str) -> dict[str, str]:
    """One EmailMessagesPrefs message."""
    return {
        "Subject": f"{form} from Sandbox Company",
        "Message": f"Dear Customer,\n\nPlease find our {form.lower()} attached.\n\n{_MESSAGE}",
    }


def _names(**values: str) -> dict[str, list[dict[str, str]]]:
    """OtherPrefs' NameValue list."""
    return {"NameValue": [{"Name": k.replace("__", "."), "Value": v} for k, v in values.items()]}


BASE: dict[str, Any] = {
    "AccountingInfoPrefs": {
        "TrackDepartments": True,
        "DepartmentTerminology": "Location",
        "ClassTrackingPerTxn": True,
        "ClassTrackingPerTxnLine": True,
        "CustomerTerminology": "Customers",
        "FirstMonthOfFiscalYear": "January",
        "TaxYearMonth": "January",
        "UseAccountNumbers": False,
    },
    "ProductAndServicesPrefs": {
        "ForSales": True,
        "ForPurchase": True,
        "QuantityOnHand": True,
        "QuantityWithPriceAndRate": True,
        "RevenueRecognitionEnabled": False,
    },
    "SalesFormsPrefs": {
        "CustomTxnNumbers": True,
        "AllowDiscount": True,
        "AllowShipping": True,
        "AllowDeposit": True,
        "AllowEstimates": True,
        "AllowServiceDate": False,
        "ApplyTaxAfterDiscount": False,
        "AutoApplyCredit": True,
        "AutoApplyPayments": True,
        "DefaultCustomerMessage": _MESSAGE,
        "DefaultTerms": {"value": "3"},
        "EmailCopyToCompany": False,
        "ETransactionAttachPDF": False,
        "ETransactionEnabledStatus": "NotApplicable",
        "ETransactionPaymentEnabled": False,
        "IPNSupportEnabled": False,
        "PrintItemWithZeroAmount": True,
        "UsingPriceLevels": False,
        "UsingProgressInvoicing": False,
        "CustomField": [
            {
                "CustomField": [
                    {
                        "Name": "SalesFormsPrefs.UseSalesCustom1",
                        "Type": "BooleanType",
                        "BooleanValue": False,
                    }
                ]
            }
        ],
    },
    "EmailMessagesPrefs": {
        "InvoiceMessage": _email("Invoice"),
        "EstimateMessage": _email("Estimate"),
        "SalesReceiptMessage": _email("Sales Receipt"),
        "StatementMessage": _email("Statement"),
    },
    "VendorAndPurchasesPrefs": {
        "BillableExpenseTracking": True,
        "TrackingByCustomer": True,
        "DefaultTerms": {"value": "3"},
        "DefaultMarkup": 0,
        "POCustomField": [
            {
                "CustomField": [
                    {
                        "Name": "PurchasePrefs.UsePurchaseCustom1",
                        "Type": "BooleanType",
                        "BooleanValue": False,
                    }
                ]
            }
        ],
    },
    "TimeTrackingPrefs": {
        "UseServices": True,
        "BillCustomers": True,
        "ShowBillRateToAll": False,
        "WorkWeekStartDate": "Monday",
        "MarkTimeEntriesBillable": True,
    },
    "TaxPrefs": {
        "UsingSalesTax": True,
        "PartnerTaxEnabled": True,
        "TaxGroupCodeRef": {"value": ""},
    },
    "CurrencyPrefs": {"HomeCurrency": {"value": "USD"}, "MultiCurrencyEnabled": False},
    "ReportPrefs": {"ReportBasis": "Accrual", "CalcAgingReportFromTxnDate": False},
}

# Per template: AccountingInfoPrefs.TaxForm (US income tax form code), date and number formats.
LOCALE: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    "US": ({"TaxForm": "6"}, {"DateFormat": "MMDDYYYY_SEP_SLASH", "NumberFormat": "US_NB"}),
    "CA": ({}, {"DateFormat": "DDMMYYYY_SEP_SLASH", "NumberFormat": "US_NB"}),
    "GB": ({}, {"DateFormat": "DDMMYYYY_SEP_SLASH", "NumberFormat": "US_NB"}),
    # Australia's income year runs from 1 July, and QBO Australia's fiscal year with it [U].
    "AU": (
        {"FirstMonthOfFiscalYear": "July", "TaxYearMonth": "July"},
        {"DateFormat": "DDMMYYYY_SEP_SLASH", "NumberFormat": "US_NB"},
    ),
}


def defaults(country: str, home: str, multi_currency: bool, tax_group: str) -> dict[str, Any]:
    """A new company's Preferences for its country (US, CA, GB, AU) and home currency."""
    prefs = copy.deepcopy(BASE)
    accounting, formats = LOCALE[country]
    prefs["AccountingInfoPrefs"].update(accounting)
    prefs["CurrencyPrefs"] = {
        "HomeCurrency": {"value": home},
        "MultiCurrencyEnabled": multi_currency,
    }
    prefs["TaxPrefs"]["PartnerTaxEnabled"] = country == "US"  # automated sales tax
    prefs["TaxPrefs"]["TaxGroupCodeRef"]["value"] = tax_group
    if country != "US":  # no automated sales tax: QBO keeps no default tax group
        del prefs["TaxPrefs"]["TaxGroupCodeRef"]
    prefs["OtherPrefs"] = _names(
        DateFormatMnemonic=formats["DateFormat"],
        NumberFormatMnemonic=formats["NumberFormat"],
        SalesFormsPrefs__DefaultItem="1",
        WarnDuplicateCheckNumber="true",
        WarnDuplicateBillNumber="false",
        SignoutInactiveMinutes="60",
    )
    return prefs
