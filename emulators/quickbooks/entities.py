"""The table of entity rules: endpoints, required fields, XSD limits, references, uniqueness.

Limits: Intuit's QBO data schema (Finance.xsd, shipped with Intuit's V3 SDKs: DocNumber
"ValidRange: QBO: max=21", Item Name/Sku 100, Line Description 4000) and the API reference
(DisplayName/GivenName/FamilyName 100, PrivateNote 4000, Account Name 100, PaymentRefNum 21).
ref: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NAME_LIMITS = (("Name", 100), ("FullyQualifiedName", 100))
# Finance.xsd DocNumber: "The maximum length for DocNumber is 21 characters" (QBO max=21).
TXN_LIMITS = (("DocNumber", 21), ("PrivateNote", 4000), ("PaymentRefNum", 21))
SALES_REFS = (
    ("CustomerRef", "Customer"),
    ("ClassRef", "Class"),
    ("DepartmentRef", "Department"),
    ("DepositToAccountRef", "Account"),
    ("PaymentMethodRef", "PaymentMethod"),
    ("ARAccountRef", "Account"),
)


@dataclass(frozen=True)
class Rule:
    """How one QBO entity behaves in the emulator."""

    name: str
    kind: str  # "list" (name list: soft delete via Active), "txn" or "read" (read/query only)
    required: tuple[str, ...] = ()
    limits: tuple[tuple[str, int], ...] = ()
    refs: tuple[tuple[str, str], ...] = ()
    unique: str | None = None
    namespace: str = ""  # names are unique within a namespace (default: the entity type)
    doc_number: bool = False
    sales: bool = False
    stock: int = 0  # QtyOnHand moves: -1 sale, +1 refund/credit
    void: str | None = None  # "void" (Invoice) or "include" (operation=update&include=void)

    @property
    def path(self) -> str:
        """The lower-case URL segment python-quickbooks uses."""
        return self.name.lower()


def _list(name: str, *extra: str, limits: tuple = NAME_LIMITS) -> Rule:
    """A name-list entity unique by Name among its own type."""
    return Rule(
        name,
        "list",
        required=("Name", *extra),
        limits=limits,
        unique="Name",
    )


def _sales(name: str, stock: int, void: str | None, *required: str) -> Rule:
    """A sales form whose totals and tax the emulator computes."""
    return Rule(
        name,
        "txn",
        required=("Line", *required),
        limits=TXN_LIMITS,
        refs=SALES_REFS,
        doc_number=True,
        sales=True,
        stock=stock,
        void=void,
    )


RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        # DisplayName "Must be unique across all Customer, Vendor, and Employee objects" (E4)
        Rule(
            "Customer",
            "list",
            required=("DisplayName",),
            limits=(
                ("DisplayName", 100),
                ("GivenName", 100),
                ("FamilyName", 100),
                ("MiddleName", 100),
                ("CompanyName", 100),
                ("Title", 16),
                ("Suffix", 16),
                ("Notes", 2000),
            ),
            unique="DisplayName",
            namespace="Names",
        ),
        Rule("Vendor", "read", unique="DisplayName", namespace="Names"),
        Rule("Employee", "read", unique="DisplayName", namespace="Names"),
        Rule(
            "Item",
            "list",
            required=("Name", "Type"),
            limits=(*NAME_LIMITS, ("Sku", 100), ("Description", 4000)),
            refs=(
                ("IncomeAccountRef", "Account"),
                ("ExpenseAccountRef", "Account"),
                ("AssetAccountRef", "Account"),
            ),
            unique="Name",
        ),
        _list("Account", "AccountType"),
        _list("Class"),
        _list("Department"),
        # Finance.xsd PaymentMethod Name: "Length Restriction: QBO: 15" (sandbox data has longer
        # names such as "American Express"; the emulator enforces the documented limit on writes).
        _list("PaymentMethod", limits=(("Name", 15),)),
        # Finance.xsd CompanyCurrency: Code "Max Length: 3", Name output only (currency.py)
        Rule("CompanyCurrency", "list", required=("Code",), limits=(("Code", 3),)),
        _sales("Invoice", -1, "void", "CustomerRef"),
        _sales("SalesReceipt", -1, "include"),
        _sales("CreditMemo", 1, None, "CustomerRef"),
        # RefundReceipt: "DepositToAccountRef is required" (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/refundreceipt)
        _sales("RefundReceipt", 1, None, "DepositToAccountRef"),
        Rule(
            "Payment",
            "txn",
            required=("CustomerRef", "TotalAmt"),
            limits=TXN_LIMITS,
            refs=SALES_REFS,
            void="include",
        ),
        Rule(
            "Deposit",
            "txn",
            required=("DepositToAccountRef", "Line"),
            limits=TXN_LIMITS,
            refs=(("DepositToAccountRef", "Account"), ("DepartmentRef", "Department")),
        ),
        Rule("TaxCode", "read"),
        Rule("TaxRate", "read"),
        Rule("TaxAgency", "read"),
        Rule("CompanyInfo", "read"),
        Rule("Preferences", "read"),
    )
}
BY_PATH: dict[str, Rule] = {r.path: r for r in RULES.values()}
LINKABLE = {"Invoice", "CreditMemo", "Payment", "SalesReceipt", "Deposit"}


def name_key(kind: str, obj: dict[str, Any] | None) -> tuple[str, str] | None:
    """(namespace, normalised name) an entity occupies, if its type has unique names."""
    rule = RULES.get(kind)
    if obj is None or rule is None or rule.unique is None or not obj.get(rule.unique):
        return None
    return rule.namespace or kind, str(obj[rule.unique]).strip().lower()
