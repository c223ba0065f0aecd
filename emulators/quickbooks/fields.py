"""Queryable top-level properties of each entity, so a query naming any other answers 4001.

Property lists of the Accounting API v3 reference, one page per entity, e.g.
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice and
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer
(the same names python-quickbooks' objects carry). QBO answers an unknown property with
Fault 4001 "Invalid query", Detail "QueryValidationError: property 'Foo' is not queryable":
https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
"""

from __future__ import annotations

from emulators.quickbooks.faults import QBOFault
from emulators.quickbooks.query import Query

COMMON = frozenset({"Id", "SyncToken", "MetaData", "domain", "sparse"})
METADATA = frozenset({"CreateTime", "LastUpdatedTime", "LastModifiedByRef"})

PROPERTIES: dict[str, frozenset[str]] = {
    "Customer": frozenset(
        "ARAccountRef Active AlternatePhone Balance BalanceWithJobs BillAddr BillWithParent "
        "BusinessNumber CompanyName CurrencyRef CustomerTypeRef DefaultTaxCodeRef DisplayName "
        "FamilyName Fax FullyQualifiedName GSTIN GSTRegistrationType GivenName IsProject Job "
        "Level MiddleName Mobile Notes OpenBalanceDate ParentRef PaymentMethodRef "
        "PreferredDeliveryMethod PrimaryEmailAddr PrimaryPhone PrimaryTaxIdentifier "
        "PrintOnCheckName ResaleNum SalesTermRef SecondaryTaxIdentifier ShipAddr Source "
        "Suffix TaxExemptionReasonId Taxable Title WebAddr".split()
    ),
    "Vendor": frozenset(
        "APAccountRef AcctNum Active AlternatePhone Balance BillAddr BillRate BusinessNumber "
        "CompanyName CostRate CurrencyRef DisplayName FamilyName Fax GSTIN GivenName "
        "MiddleName Mobile OtherContactInfo PrimaryEmailAddr PrimaryPhone PrintOnCheckName "
        "Source Suffix T4AEligible T5018Eligible TaxIdentifier TaxReportingBasis TermRef "
        "Title Vendor1099 WebAddr".split()
    ),
    "Employee": frozenset(
        "Active BillRate BillableTime BirthDate CostRate DisplayName EmailAddress "
        "EmployeeNumber FamilyName Gender GivenName HiredDate MiddleName Mobile Organization "
        "PrimaryAddr PrimaryPhone PrintOnCheckName ReleasedDate SSN Suffix Title".split()
    ),
    "Item": frozenset(
        "AbatementRate Active AssetAccountRef ClassRef Description ExpenseAccountRef "
        "FullyQualifiedName IncomeAccountRef InvStartDate ItemCategoryType Level Name "
        "ParentRef PrefVendorRef PurchaseCost PurchaseDesc PurchaseTaxCodeRef "
        "PurchaseTaxIncluded QtyOnHand ReorderPoint ReverseChargeRate SalesTaxCodeRef "
        "SalesTaxIncluded ServiceType Sku SubItem TaxClassificationRef Taxable TrackQtyOnHand "
        "Type UQCDisplayText UQCId UnitPrice".split()
    ),
    "Account": frozenset(
        "AccountAlias AccountSubType AccountType AcctNum Active Classification CurrencyRef "
        "CurrentBalance CurrentBalanceWithSubAccounts Description FullyQualifiedName Name "
        "ParentRef SubAccount TaxCodeRef TxnLocationType".split()
    ),
    "Class": frozenset("Active FullyQualifiedName Name SubClass".split()),
    "Department": frozenset("Active FullyQualifiedName Name SubDepartment".split()),
    "PaymentMethod": frozenset("Active Name Type".split()),
    "CompanyCurrency": frozenset("Active Code CustomField Name".split()),
    "Invoice": frozenset(
        "AllowIPNPayment AllowOnlineACHPayment AllowOnlineCreditCardPayment "
        "ApplyTaxAfterDiscount Balance BillAddr BillEmail BillEmailBcc BillEmailCc ClassRef "
        "CurrencyRef CustomField CustomerMemo CustomerRef DeliveryInfo DepartmentRef Deposit "
        "DocNumber DueDate EInvoiceStatus EmailStatus ExchangeRate FreeFormAddress "
        "GlobalTaxCalculation HomeBalance HomeTotalAmt InvoiceLink Line LinkedTxn PrintStatus "
        "PrivateNote RecurDataRef SalesTermRef ShipAddr ShipDate ShipMethodRef "
        "TaxExemptionRef TotalAmt TrackingNum TransactionLocationType TxnDate TxnSource "
        "TxnTaxDetail".split()
    ),
    "SalesReceipt": frozenset(
        "ApplyTaxAfterDiscount Balance BillAddr BillEmail ClassRef CreditCardPayment "
        "CurrencyRef CustomField CustomerMemo CustomerRef DeliveryInfo DepartmentRef "
        "DepositToAccountRef DocNumber EmailStatus ExchangeRate GlobalTaxCalculation "
        "HomeTotalAmt Line LinkedTxn PaymentMethodRef PaymentRefNum PrintStatus PrivateNote "
        "ShipAddr ShipDate ShipMethodRef TotalAmt TrackingNum TransactionLocationType TxnDate "
        "TxnSource TxnTaxDetail".split()
    ),
    "CreditMemo": frozenset(
        "ApplyTaxAfterDiscount Balance BillAddr BillEmail ClassRef CurrencyRef CustomField "
        "CustomerMemo CustomerRef DepartmentRef DocNumber EmailStatus ExchangeRate "
        "GlobalTaxCalculation HomeTotalAmt Line LinkedTxn PrintStatus PrivateNote "
        "RemainingCredit SalesTermRef ShipAddr TotalAmt TransactionLocationType TxnDate "
        "TxnTaxDetail".split()
    ),
    "RefundReceipt": frozenset(
        "ApplyTaxAfterDiscount Balance BillAddr BillEmail CheckPayment ClassRef "
        "CreditCardPayment CurrencyRef CustomField CustomerMemo CustomerRef DepartmentRef "
        "DepositToAccountRef DocNumber ExchangeRate GlobalTaxCalculation HomeTotalAmt Line "
        "LinkedTxn PaymentMethodRef PaymentRefNum PaymentType PrintStatus PrivateNote "
        "ShipAddr TotalAmt TransactionLocationType TxnDate TxnSource TxnTaxDetail".split()
    ),
    "Payment": frozenset(
        "ARAccountRef CreditCardPayment CurrencyRef CustomerRef DepositToAccountRef "
        "ExchangeRate Line LinkedTxn PaymentMethodRef PaymentRefNum PrivateNote "
        "ProcessPayment TaxExemptionRef TotalAmt TransactionLocationType TxnDate TxnSource "
        "TxnStatus UnappliedAmt".split()
    ),
    "Deposit": frozenset(
        "AttachableRef CashBack CurrencyRef DepartmentRef DepositToAccountRef DocNumber "
        "ExchangeRate GlobalTaxCalculation HomeTotalAmt Line PrivateNote TotalAmt "
        "TransactionLocationType TxnDate TxnSource TxnStatus".split()
    ),
    "TaxCode": frozenset(
        "Active Description Hidden Name PurchaseTaxRateList SalesTaxRateList "
        "TaxCodeConfigType TaxGroup Taxable".split()
    ),
    "TaxRate": frozenset(
        "Active AgencyRef Description DisplayType EffectiveTaxRate Name RateValue "
        "SpecialTaxType TaxReturnLineRef".split()
    ),
    "TaxAgency": frozenset(
        "DisplayName TaxRegistrationNumber TaxTrackedOnPurchases TaxTrackedOnSales".split()
    ),
    "CompanyInfo": frozenset(
        "CompanyAddr CompanyName CompanyStartDate Country CustomerCommunicationAddr Domain "
        "Email FiscalYearStartMonth LegalAddr LegalName NameValue OtherContactInfo "
        "PrimaryPhone SupportedLanguages WebAddr".split()
    ),
    "Preferences": frozenset(
        "AccountingInfoPrefs CurrencyPrefs EmailMessagesPrefs OtherPrefs "
        "ProductAndServicesPrefs ReportPrefs SalesFormsPrefs TaxPrefs TimeTrackingPrefs "
        "VendorAndPurchasesPrefs".split()
    ),
}


def _known(entity: str, path: str) -> bool:
    """True when `path` (e.g. DocNumber, MetaData.LastUpdatedTime) names a property of entity."""
    head, _, rest = path.partition(".")
    names = {n.lower() for n in PROPERTIES.get(entity, frozenset()) | COMMON}
    if head.lower() not in names:
        return False
    return head.lower() != "metadata" or not rest or rest.lower() in {m.lower() for m in METADATA}


def check(q: Query) -> None:
    """Raise QBO's 4001 QueryValidationError for a WHERE or ORDER BY property the entity lacks."""
    for path in [c.field for c in q.where] + [name for name, _ in q.order]:
        if not _known(q.entity, path):
            raise QBOFault(
                "4001", "Invalid query", f"QueryValidationError: property '{path}' is not queryable"
            )
