"""Gift cards redeemed post as a negative line on the gift card item (reducing the liability);
only real money is deposited, and QBO's deposit-account rule (Bank / Other Current Asset) holds."""

from __future__ import annotations

from decimal import Decimal

from quickbooks.objects.account import Account
from quickbooks.objects.salesreceipt import SalesReceipt

from models import RunStatus, Shop
from services.quickbooks_connection import client_for
from tests.sales_store import Store, money

SHOP = "gift-cards.myshopify.com"


def test_part_gift_card_order_posts_the_redemption_as_a_line_to_the_cent(
    shopify_emulator, qbo_emulator, merchant
) -> None:
    store = Store(shopify_emulator, SHOP)
    line = {"title": "Gadget", "sku": "GS-1", "priceSet": money("30.00"), "quantity": 1}
    paid = [("gift_card", "12.50"), ("shopify_payments", "17.50")]
    store.order(
        paid=False,
        lineItems=[line],
        financialStatus="PAID",
        transactions=[{"kind": "SALE", "gateway": g, "amountSet": money(a)} for g, a in paid],
    )
    merchant(store.domain).install_and_connect()
    # the company's item on the gift card liability (as Intuit has merchants keep gift cards)
    gift_item = merchant(SHOP).first_choice("items", "Gift Card")
    merchant(SHOP).put_sales_settings(sku_match_field="sku", qbo_gift_card_item_id=gift_item)
    run = merchant(SHOP).sync()  # the emulator refuses liability deposits
    assert run.status == RunStatus.SUCCEEDED
    qb = client_for(Shop.by_domain(SHOP).quickbooks_connection)
    (receipt,) = SalesReceipt.all(qb=qb)
    assert Decimal(str(receipt.TotalAmt)) == Decimal("17.50")  # 30.00 less 12.50 of gift card
    lines = {
        ln.SalesItemLineDetail["ItemRef"]["value"]: Decimal(str(ln.Amount))
        for ln in receipt.Line
        if ln.DetailType == "SalesItemLineDetail"
    }
    assert lines[gift_item] == Decimal("-12.50")
    deposit = Account.get(receipt.DepositToAccountRef.value, qb=qb)
    assert deposit.AccountType in ("Bank", "Other Current Asset")
