"""Request validation: empty fields, required fields, limits, references, duplicates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from emulators.quickbooks.entities import LINKABLE, Rule
from emulators.quickbooks.faults import QBOFault, business, required, too_long
from emulators.quickbooks.store import Company

# US automated sales tax pseudo codes and QBO's built-in shipping item id, accepted as references.
# ref: https://developer.intuit.com/app/developer/qbo/docs/develop/tutorials/manage-sales-tax-for-us-locales
PSEUDO_TAX_CODES = {"TAX", "NON"}
SHIPPING_ITEM_ID = "SHIPPING_ITEM_ID"
COGS = "Cost of Goods Sold"
# Elements of type xs:decimal in Finance.xsd / IntuitBaseTypes.xsd / IntuitNamesTypes.xsd that the
# emulated entities carry; JSON strings sent for them are read as numbers and answered as numbers.
NUMERIC_FIELDS = frozenset(
    "Amount AvgCost Balance BalanceWithJobs CreditLimit CurrentBalance "
    "CurrentBalanceWithSubAccounts Deposit DiscountAmt DiscountPercent DiscountRate ExchangeRate "
    "HomeBalance HomeTotalAmt NetAmountTaxable OpeningBalance PurchaseCost Qty QtyOnHand "
    "QtyOnPurchaseOrder QtyOnSalesOrder RatePercent RateValue RemainingCredit ReorderPoint "
    "TaxInclusiveAmt TaxPercent TotalAmt TotalTax UnappliedAmt UnitPrice".split()
)
_LINE_REFS = (
    ("SalesItemLineDetail", "ItemRef", "Item"),
    ("SalesItemLineDetail", "ClassRef", "Class"),
    ("SalesItemLineDetail", "TaxCodeRef", "TaxCode"),
    ("DiscountLineDetail", "DiscountAccountRef", "Account"),
    ("DiscountLineDetail", "ClassRef", "Class"),
    ("DepositLineDetail", "AccountRef", "Account"),
    ("DepositLineDetail", "PaymentMethodRef", "PaymentMethod"),
)


def _number(key: str, value: Any) -> Any:
    """Decimal for a numeric field sent as a string (python-quickbooks sends Decimals so)."""
    if key not in NUMERIC_FIELDS or not isinstance(value, str):
        return value
    try:
        return Decimal(value)
    except InvalidOperation:
        raise QBOFault(
            "2010",
            "Request has invalid or unsupported property",
            f"Property Name:{key} specified is unsupported or invalid",
            key,
        ) from None


def normalise(value: Any) -> Any:
    """Drop the empty strings and refs python-quickbooks' to_json sends by default; numbers."""
    if isinstance(value, dict):
        if "value" in value and not value.get("value"):
            return None
        out = {k: _number(k, normalise(v)) for k, v in value.items() if v != "" and v is not None}
        return {k: v for k, v in out.items() if v is not None}
    if isinstance(value, list):
        return [v for v in (normalise(x) for x in value) if v is not None]
    return value


def check_required(rule: Rule, obj: dict[str, Any]) -> None:
    """2020 when a required field is absent or empty."""
    for name in rule.required:
        if obj.get(name) in (None, "", [], {}):
            raise required(name)


def check_limits(rule: Rule, obj: dict[str, Any]) -> None:
    """2050 when a string exceeds its documented maximum length."""
    for name, limit in rule.limits:
        value = obj.get(name)
        if isinstance(value, str) and len(value) > limit:
            raise too_long(name, limit, len(value))
    for line in obj.get("Line") or []:
        desc = line.get("Description")
        if isinstance(desc, str) and len(desc) > 4000:  # Finance.xsd Line.Description max 4000
            raise too_long("Description", 4000, len(desc))
    memo = (obj.get("CustomerMemo") or {}).get("value")
    if isinstance(memo, str) and len(memo) > 1000:  # Finance.xsd: Invoice Msg max 1000
        raise too_long("CustomerMemo", 1000, len(memo))


def shipping_allowed(company: Company) -> bool:
    """Preferences.SalesFormsPrefs.AllowShipping: the built-in shipping line (ItemRef
    SHIPPING_ITEM_ID) exists only while shipping is on for sales forms
    (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/preferences).
    Intuit documents no fault for it when off; the stricter reading is that the reference is
    then to nothing, so it answers like any unknown item (2500)."""
    prefs = (company.get("Preferences", "1") or {}).get("SalesFormsPrefs") or {}
    return prefs.get("AllowShipping") is not False


def check_ref(company: Company, kind: str, ref: Any, field: str) -> None:
    """2500 for a reference to nothing, 610 for one to an inactive object.

    ref: https://developer.intuit.com/hub/blog/2017/06/08/top-quickbooks-online-api-errors-and-how-to-handle-them
    """
    ident = str(ref.get("value")) if isinstance(ref, dict) else str(ref)
    if kind == "TaxCode" and ident in PSEUDO_TAX_CODES and company.us:
        return
    if kind == "Item" and ident == SHIPPING_ITEM_ID and shipping_allowed(company):
        return
    target = company.get(kind, ident)
    if target is None:
        raise QBOFault(
            "2500",
            "Invalid Reference Id",
            f"Invalid Reference Id : {kind} assigned to this transaction has been "
            f"deleted or does not exist (Id={ident}).",
            field,
        )
    if target.get("Active") is False:
        raise QBOFault(
            "610",
            "Object Not Found",
            "Object Not Found : Something you're trying to use has been made "
            "inactive. Check the fields with accounts, customers, items, vendors "
            f"or employees. ({kind} Id={ident})",
            field,
        )


def check_refs(company: Company, rule: Rule, obj: dict[str, Any]) -> None:
    """Every top-level, line-level and linked-transaction reference must resolve."""
    for field, kind in rule.refs:
        if obj.get(field):
            check_ref(company, kind, obj[field], field)
    for line in obj.get("Line") or []:
        for detail, field, kind in _LINE_REFS:
            ref = (line.get(detail) or {}).get(field)
            if ref:
                check_ref(company, kind, ref, field)
        for link in line.get("LinkedTxn") or []:
            kind = link.get("TxnType")
            if kind not in LINKABLE or company.get(kind, link.get("TxnId")) is None:
                check_ref(
                    company, kind if kind in LINKABLE else "Invoice", link.get("TxnId"), "LinkedTxn"
                )


def check_unique(company: Company, rule: Rule, obj: dict[str, Any]) -> None:
    """6240 when the name is taken (customers, vendors and employees share one namespace).

    Case-insensitive, inactive objects included. Detail text as QBO sends it:
    intuit/QuickBooks-V3-PHP-SDK#241.
    """
    other = company.name_taken(rule.name, obj)
    if other is not None:
        raise QBOFault(
            "6240",
            "Duplicate Name Exists Error",
            "The name supplied already exists. : Another customer, vendor or employee is "
            "already using this name. Please use a different name.",
        )


def check_doc_number(company: Company, rule: Rule, obj: dict[str, Any], allow_dup: bool) -> None:
    """6140 for a DocNumber already used by another document of the same type.

    ref: https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
    (include=allowduplicatedocnum lifts it, as the SDKs' issues report)
    """
    number = obj.get("DocNumber")
    if not rule.doc_number or not number or allow_dup:
        return
    other = company.doc_number_taken(rule.name, number, other_than=obj.get("Id"))
    if other is not None:
        raise QBOFault(
            "6140",
            "Duplicate Document Number Error",
            "Duplicate Document Number Error : You must specify a different "
            f"number. This number has already been used. DocNumber={number} is "
            f"assigned to TxnType={rule.name} with TxnId={other}",
        )


def check_item(company: Company, obj: dict[str, Any]) -> None:
    """Inventory items need quantity, start date and the three accounts (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item)."""
    if obj.get("Type") not in ("Inventory", "Service", "NonInventory", "Group", "Category"):
        raise QBOFault(
            "2170", "Invalid Enumeration", f"Invalid Enumeration : {obj.get('Type')}", "Type"
        )
    if obj.get("Type") == "Inventory":
        for name in (
            "QtyOnHand",
            "InvStartDate",
            "IncomeAccountRef",
            "AssetAccountRef",
            "ExpenseAccountRef",
        ):
            if obj.get(name) in (None, ""):
                raise required(name)
    elif obj.get("Type") in ("Service", "NonInventory") and not obj.get("IncomeAccountRef"):
        raise required("IncomeAccountRef")
    if obj.get("Type") == "Inventory" and not obj.get("TrackQtyOnHand", True):
        raise business(
            "When you create an item, if Track quantity on hand is turned off, the "
            "item cannot be of type Inventory."
        )
    expense = company.get("Account", (obj.get("ExpenseAccountRef") or {}).get("value"))
    if obj.get("Type") == "Inventory" and expense and expense["AccountType"] != COGS:
        # "ExpenseAccountRef … must be a Cost of Goods Sold account" for Inventory (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item)
        raise business(
            "For inventory items the expense account must be a Cost of Goods Sold "
            "account. [U: wording]"
        )
