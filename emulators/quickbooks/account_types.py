"""Account types QBO requires of deposit accounts and of an item's three accounts.

Item: IncomeAccountRef an income account, ExpenseAccountRef Cost of Goods Sold (Inventory; an
expense account is accepted otherwise), AssetAccountRef Other Current Asset:
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item
A Service/NonInventory item may post to a liability (Intuit's gift certificate item):
https://quickbooks.intuit.com/community/Manage-suppliers-and-expenses/Sell-and-redeem-gift-cards-or-certificates-in-QuickBooks-Online/m-p/262795
DepositToAccountRef (SalesReceipt, Payment): a Bank or Other Current Asset account (Undeposited
Funds is one): https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment
The fault QBO answers with (ruckus/quickbooks-ruby#532): "Invalid account type: You need to select
a different type of account for this transaction."
"""

from __future__ import annotations

from typing import Any

from emulators.quickbooks.faults import business
from emulators.quickbooks.store import Company

INCOME = frozenset({"Income", "Other Income"})
LIABILITY = frozenset({"Other Current Liability", "Long Term Liability"})
DEPOSIT = frozenset({"Bank", "Other Current Asset"})
_ITEM: dict[str, dict[str, frozenset[str]]] = {
    "Inventory": {
        "IncomeAccountRef": INCOME,
        "ExpenseAccountRef": frozenset({"Cost of Goods Sold"}),
        "AssetAccountRef": frozenset({"Other Current Asset"}),
    },
    "Service": {
        "IncomeAccountRef": INCOME | LIABILITY,
        "ExpenseAccountRef": frozenset({"Cost of Goods Sold", "Expense", "Other Expense"}),
    },
}
_ITEM["NonInventory"] = _ITEM["Service"]


def invalid_type() -> Exception:
    """QBO's fault for an account of the wrong type."""
    return business(
        "Invalid account type: You need to select a different type of account for this transaction."
    )


def _check(company: Company, ref: Any, allowed: frozenset[str]) -> None:
    """Fault when the referenced account exists and is not of an allowed type."""
    ident = ref.get("value") if isinstance(ref, dict) else ref
    account = company.get("Account", ident) if ident else None
    if account is not None and account.get("AccountType") not in allowed:
        raise invalid_type()


def check_item(company: Company, item: dict[str, Any]) -> None:
    """An item's income, expense and asset accounts must be of the types its Type needs."""
    for field, allowed in _ITEM.get(str(item.get("Type")), {}).items():
        _check(company, item.get(field), allowed)


def check_deposit(company: Company, entity: str, doc: dict[str, Any]) -> None:
    """A SalesReceipt's or Payment's DepositToAccountRef must be Bank or Other Current Asset."""
    if entity in ("SalesReceipt", "Payment") and company.check_deposit_accounts:
        _check(company, doc.get("DepositToAccountRef"), DEPOSIT)
