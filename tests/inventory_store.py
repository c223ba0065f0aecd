"""A store with stock on the Shopify emulator and inventory items in the QBO emulator, and the
merchant's steps to a stock push (tests/merchant.py drives the app)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import requests
from quickbooks import QuickBooks

from extensions import db
from models import RunStatus, Shop, SyncRun, Workflow
from services.quickbooks_connection import client_for
from tests.merchant import Merchant
from tests.sales_store import Store

LOCATION_ADD = """mutation($input: LocationAddInput!) {
  locationAdd(input: $input) { location { id } userErrors { message } } }"""
PRODUCT_SET = """mutation($input: ProductSetInput!) { productSet(input: $input) {
  product { variants(first: 250) { nodes { sku inventoryItem { id } } } }
  userErrors { field message } } }"""
LEVEL = """query($id: ID!, $loc: ID!) { inventoryItem(id: $id) { inventoryLevel(locationId: $loc) {
  updatedAt quantities(names: ["available"]) { quantity } } } }"""
STAFF_SET = """mutation($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) { userErrors { code } } }"""

# A variant: (SKU, available at the location, tracked by Shopify)
Variant = tuple[str, int, bool]


class StockStore:
    """One shop's Shopify stock at a location, as the merchant keeps it."""

    def __init__(self, store: Store) -> None:
        self.store, self.owner = store, store.owner
        added = self.owner.execute(
            LOCATION_ADD, {"input": {"name": "Warehouse", "address": {"countryCode": "US"}}}
        )
        self.location = added["data"]["locationAdd"]["location"]["id"]
        self.items: dict[str, str] = {}  # SKU → inventory item gid
        self.qbo_ids: dict[str, str] = {}  # SKU → QBO item id

    def add_product(self, title: str, variants: list[Variant]) -> None:
        """One product with these variants stocked at the location."""
        nodes = [
            {
                "optionValues": [{"optionName": "Kind", "name": sku}],
                "sku": sku,
                "price": "10.00",
                "inventoryItem": {"tracked": tracked},
                "inventoryQuantities": [
                    {"locationId": self.location, "name": "available", "quantity": qty}
                ],
            }
            for sku, qty, tracked in variants
        ]
        options = [{"name": "Kind", "values": [{"name": sku} for sku, _, _ in variants]}]
        body = {"title": title, "productOptions": options, "variants": nodes}
        result = self.owner.execute(PRODUCT_SET, {"input": body})["data"]["productSet"]
        assert not result["userErrors"], result["userErrors"]
        for node in result["product"]["variants"]["nodes"]:
            self.items[node["sku"]] = node["inventoryItem"]["id"]

    def level(self, sku: str) -> dict[str, Any]:
        """{available, updatedAt} of the SKU at the location."""
        data = self.owner.execute(LEVEL, {"id": self.items[sku], "loc": self.location})["data"]
        level = data["inventoryItem"]["inventoryLevel"]
        return {"available": level["quantities"][0]["quantity"], "updatedAt": level["updatedAt"]}

    def available(self, sku: str) -> int:
        """Shopify's available quantity of the SKU at the location."""
        return int(self.level(sku)["available"])

    def staff_sets(self, sku: str, quantity: int) -> None:
        """Someone changes the stock in Shopify's admin (a sale, a count)."""
        quantities = [
            {
                "inventoryItemId": self.items[sku],
                "locationId": self.location,
                "quantity": quantity,
                "changeFromQuantity": None,
            }
        ]
        body = {"name": "available", "reason": "correction", "quantities": quantities}
        variables = {"input": body, "key": str(uuid.uuid4())}
        answer = self.owner.execute(STAFF_SET, variables)["data"]["inventorySetQuantities"]
        assert answer["userErrors"] == []


class ShopifyControl:
    """The Shopify emulator's /_emulator/ endpoints, as tests.crashes drives an emulator."""

    def __init__(self, url: str) -> None:
        self.url = url

    def control(self, method: str, path: str, **body: object) -> requests.Response:
        """Call a /_emulator/ endpoint."""
        return requests.request(
            method, f"{self.url}/_emulator/{path}", json=body or None, timeout=10
        )

    def adjustments(self, domain: str) -> list[dict[str, Any]]:
        """The shop's applied inventorySetQuantities (key, items, …), oldest first."""
        answer = requests.get(
            f"{self.url}/_emulator/inventory/adjustments", params={"shop": domain}, timeout=10
        )
        answer.raise_for_status()
        return list(answer.json()["adjustments"])


def qbo_of(domain: str) -> QuickBooks:
    """The app's QBO client of the shop's company."""
    shop = Shop.by_domain(domain)
    assert shop is not None and shop.quickbooks_connection is not None
    return client_for(shop.quickbooks_connection)


def inventory_accounts(qb: QuickBooks) -> dict[str, dict[str, str]]:
    """The account references an inventory item needs, from the US template's accounts."""
    names = {
        "IncomeAccountRef": "Sales of Product Income",
        "AssetAccountRef": "Inventory Asset",
        "ExpenseAccountRef": "Cost of Goods Sold",
    }
    refs = {}
    for field, name in names.items():
        answer = qb.query(f"SELECT * FROM Account WHERE Name = '{name}'")
        refs[field] = {"value": answer["QueryResponse"]["Account"][0]["Id"]}
    return refs


def add_qbo_items(qb: QuickBooks, stock: dict[str, str]) -> dict[str, str]:
    """Tracked inventory items {SKU: quantity on hand}; their ids by SKU."""
    refs = inventory_accounts(qb)
    ids = {}
    url = f"{qb.api_url}/company/{qb.company_id}/item"
    for sku, qty in stock.items():
        body = {
            "Name": sku,  # found by Name, the sales settings' default
            "Sku": sku,
            "Type": "Inventory",
            "TrackQtyOnHand": True,
            "QtyOnHand": qty,
            "InvStartDate": "2025-01-01",
            **refs,
        }
        ids[sku] = qb.make_request("POST", url, request_body=_json(body))["Item"]["Id"]
    return ids


def set_qbo_quantity(qb: QuickBooks, item_id: str, qty: str) -> None:
    """The bookkeeper changes an item's quantity on hand in QBO (a sparse update)."""
    url = f"{qb.api_url}/company/{qb.company_id}"
    item = qb.make_request("GET", f"{url}/item/{item_id}")["Item"]
    body = {"Id": item_id, "SyncToken": item["SyncToken"], "sparse": True, "QtyOnHand": qty}
    qb.make_request("POST", f"{url}/item", request_body=_json(body))


def _json(body: dict[str, Any]) -> str:
    """A request body as python-quickbooks sends it."""
    return json.dumps(body, default=str)


def turn_on_stock(
    owner: Merchant, stock: StockStore, finish: Callable[[], object] | None = None
) -> SyncRun:
    """The merchant's way to a stock push: location, preview, approval, switch; the preview
    (made by the merchant's worker, or waited for by `finish`, e.g. deployed processes)."""
    owner.put_settings({"inventory": {"shopify_location_id": stock.location}})
    preview = preview_run(owner, finish)
    approved = owner.api("POST", "/api/inventory/approve", {"run_id": preview.id})
    assert approved.status_code == 200, approved.get_json()
    owner.put_settings({"inventory": {"enabled": True}})
    return preview


def preview_run(owner: Merchant, finish: Callable[[], object] | None = None) -> SyncRun:
    """Ask for the preview and let the worker make it (or `finish` wait until it is made)."""
    started = owner.api("POST", "/api/inventory/preview")
    assert started.status_code == 202, started.get_json()
    (finish or owner.worker.run)()
    db.session.expire_all()
    run = db.session.get(SyncRun, started.get_json()["id"])
    assert run is not None and run.status == RunStatus.SUCCEEDED, run and run.error
    return run


def push_now(owner: Merchant, full: bool = False) -> SyncRun:
    """Set stock now, as the page asks for it; the run once the worker is done."""
    started = owner.api("POST", "/api/inventory/sync", {"full": True} if full else None)
    assert started.status_code == 202, started.get_json()
    owner.worker.run()
    db.session.expire_all()
    run = db.session.get(SyncRun, started.get_json()["id"])
    assert run is not None
    return run


def latest_run(shop_id: int) -> SyncRun:
    """The shop's latest non-dry stock run."""
    run = (
        db.session.query(SyncRun)
        .filter_by(shop_id=shop_id, workflow=Workflow.INVENTORY, dry_run=False)
        .order_by(SyncRun.id.desc())
        .first()
    )
    assert run is not None
    return run


def emulator_counts(url: str) -> dict[str, int]:
    """Requests per endpoint an emulator served since its log was cleared."""
    return requests.get(f"{url}/_emulator/requests", timeout=10).json()["counts"]


def api_requests(*urls: str) -> dict[str, int]:
    """The API requests the emulators served since their logs were cleared (Intuit's OpenID
    discovery document, which intuit-oauth fetches for every client, is not the API)."""
    counts: dict[str, int] = {}
    for url in urls:
        counts |= {k: v for k, v in emulator_counts(url).items() if "well-known" not in k}
    return counts


def clear_counts(*urls: str) -> None:
    """Empty the emulators' request logs."""
    for url in urls:
        requests.delete(f"{url}/_emulator/requests", timeout=10).raise_for_status()


# QBO quantity on hand per SKU, the items named by it (the US template also has two inventory
# items, "Rock Fountain" and "Pump", which no variant is named after)
QBO = {"MUG-1": "7", "MUG-2": "0", "MUG-3": "2.5", "CAP-1": "4", "CAP-2": "9", "LONE": "3"}


def make_stock_store(make_store: Any, qbo_emulator: Any, domain: str) -> StockStore:
    """A connected store: 10 tracked variants and an untracked one at a location; QBO items
    entered half an hour ago by QBO's clock (the catalogue is at rest when a test starts)."""
    store = StockStore(make_store(domain))
    store.add_product("Mug", [("MUG-1", 5, True), ("MUG-2", 0, True), ("MUG-3", 1, True)])
    store.add_product("Cap", [("CAP-1", 4, True), ("CAP-2", 3, False), ("CAP-3", 6, True)])
    store.add_product("Pump", [("PUMP-1", 25, True), ("RF-1", 1, True)])
    store.add_product("Tee", [("TEE-1", 8, True), ("TEE-2", 8, True), ("TEE-3", 8, True)])
    store.qbo_ids = add_qbo_items(qbo_of(domain), QBO)
    qbo_emulator.control("POST", "clock", advance=1800).raise_for_status()
    return store
