"""A read-only HTML page of an emulated company: customers, items, documents with lines."""

from __future__ import annotations

from html import escape
from typing import Any

from flask import Blueprint, Response

from emulators.quickbooks import currency
from emulators.quickbooks.context import emu
from emulators.quickbooks.faults import dumps

bp = Blueprint("qbo_browse", __name__, url_prefix="/_emulator/browse")
DOCUMENTS = ("Invoice", "SalesReceipt", "Payment", "CreditMemo", "RefundReceipt", "Deposit")
_STYLE = (
    "body{font:14px sans-serif;margin:2em}table{border-collapse:collapse;margin:.5em 0}"
    "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}h3{margin-top:1.5em}"
)


def _num(value: Any) -> str:
    """A number as QBO would send it."""
    return escape(dumps(value).strip('"')) if value is not None else ""


def _table(headers: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    """An HTML table."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>" for r in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _money_note(doc: dict[str, Any], home: str) -> str:
    """A foreign-currency document's currency, rate and home total (empty for home currency)."""
    code = currency.code_of(doc)
    if not code or code == home:
        return ""
    note = f" · {code} @ {_num(doc.get('ExchangeRate'))}"
    if doc.get("HomeTotalAmt") is not None:
        note += f" (home {_num(doc['HomeTotalAmt'])} {home})"
    return note


def _document(kind: str, doc: dict[str, Any], home: str) -> str:
    """One document with its lines and totals (and its currency when not the home one)."""
    lines = [
        (
            ln.get("DetailType", ""),
            ln.get("Description", ""),
            ((ln.get("SalesItemLineDetail") or {}).get("ItemRef") or {}).get("value", ""),
            _num((ln.get("SalesItemLineDetail") or {}).get("Qty")),
            _num(ln.get("Amount")),
        )
        for ln in doc.get("Line") or []
    ]
    tax = (doc.get("TxnTaxDetail") or {}).get("TotalTax")
    title = (
        f"{kind} {doc['Id']} · #{doc.get('DocNumber', '')} · {doc.get('TxnDate', '')} · "
        f"customer {(doc.get('CustomerRef') or {}).get('value', '')}"
    )
    totals = (
        f"Tax {_num(tax)} · Total {_num(doc.get('TotalAmt'))} · Balance {_num(doc.get('Balance'))}"
        + _money_note(doc, home)
    )
    return (
        f"<h4>{escape(title)}</h4>"
        + _table(("Type", "Description", "Item", "Qty", "Amount"), lines)
        + f"<p>{escape(totals)}</p>"
    )


@bp.get("/")
def index() -> Response:
    """Links to every company."""
    links = "".join(
        f'<li><a href="/_emulator/browse/{r}">{r}</a> ({c.country})</li>'
        for r, c in emu().state.companies.items()
    )
    return Response(f"<h1>QBO emulator companies</h1><ul>{links}</ul>", mimetype="text/html")


@bp.get("/<realm>")
def company(realm: str) -> Response | tuple[str, int]:
    """The company page."""
    company = emu().state.companies.get(realm)
    if company is None:
        return "unknown realm", 404
    info = company.get("CompanyInfo", realm) or {}
    parts = [
        f"<style>{_STYLE}</style><h1>{escape(info.get('CompanyName', realm))}</h1>",
        f"<p>Realm {escape(realm)} · {escape(company.country)}</p><h2>Customers</h2>",
        _table(
            ("Id", "DisplayName", "Balance", "Active"),
            [
                (c["Id"], c.get("DisplayName"), _num(c.get("Balance")), c.get("Active"))
                for c in company.all("Customer")
            ],
        ),
        "<h2>Items</h2>",
        _table(
            ("Id", "Name", "Sku", "Type", "UnitPrice", "QtyOnHand"),
            [
                (
                    i["Id"],
                    i.get("Name"),
                    i.get("Sku", ""),
                    i.get("Type"),
                    _num(i.get("UnitPrice")),
                    _num(i.get("QtyOnHand")),
                )
                for i in company.all("Item")
            ],
        ),
    ]
    for kind in DOCUMENTS:
        docs = company.all(kind)
        if docs:
            parts.append(f"<h2>{kind} ({len(docs)})</h2>")
            parts.extend(_document(kind, d, currency.home(company)) for d in docs)
    return Response("".join(parts), mimetype="text/html")
