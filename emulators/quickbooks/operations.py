"""QBO v3 operations on one company, shared by the HTTP views and batch items."""

from __future__ import annotations

import copy
from typing import Any

from emulators.quickbooks import crud, fields, query
from emulators.quickbooks.entities import BY_PATH, RULES
from emulators.quickbooks.faults import QBOFault, not_found
from emulators.quickbooks.store import Company

# Name lists answer only active objects unless the query says otherwise (Active IN (true,false)).
# ref: https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
_ACTIVE_FILTERED = {name for name, rule in RULES.items() if rule.kind == "list"}


def run_query(company: Company, text: str) -> dict[str, Any]:
    """Run a query statement; QueryResponse shaped as QBO's."""
    q = query.parse(text)
    if q.entity not in RULES:
        raise query.parse_error(f"Invalid entity name: {q.entity} (names are case-sensitive)")
    fields.check(q)
    if q.entity in _ACTIVE_FILTERED and not any(c.field.lower() == "active" for c in q.where):
        q.where.append(query.Condition("Active", "=", True))
    objects = _candidates(company, q)
    if q.count:
        matched = [o for o in objects if all(query.matches(o, c) for c in q.where)]
        return {"totalCount": len(matched)}
    rows = copy.deepcopy(query.run(q, objects))
    if not rows:
        return {}
    return {q.entity: rows, "startPosition": q.start, "maxResults": len(rows)}


def _candidates(company: Company, q: query.Query) -> list[dict[str, Any]]:
    """The objects a query can match: from an index for Id/DocNumber/name equality, else all.

    Results are still filtered by every condition; this only avoids full scans for lookups.
    """
    rule = RULES[q.entity]
    for c in q.where:
        field = c.field.lower()
        if field == "id" and c.op in ("=", "IN"):
            ids = c.value if c.op == "IN" else [c.value]
            found = [company.get(q.entity, i) for i in ids]
        elif field == "docnumber" and c.op == "=" and rule.doc_number:
            ids = company.doc_numbers.get((q.entity, str(c.value)), ())
            found = [company.get(q.entity, i) for i in ids]
        elif rule.unique and field == rule.unique.lower() and c.op == "=":
            found = [company.get(k, i) for k, i in company.name_holders(q.entity, str(c.value))]
        else:
            continue
        return sorted((o for o in found if o is not None), key=_creation_order)
    return company.all(q.entity)


def _creation_order(obj: dict[str, Any]) -> tuple[int, int, str]:
    """Numeric Ids are issued in creation order; template pseudo-Ids sort after them."""
    ident = str(obj["Id"])
    return (0, int(ident), "") if ident.isdigit() else (1, 0, ident)


def entity_op(
    company: Company, path: str, body: dict[str, Any], operation: str, include: set[str]
) -> dict[str, Any]:
    """POST /{entity}: create, update, delete or void; returns {Entity: {...}}."""
    rule = BY_PATH.get(path)
    if rule is None:
        raise QBOFault("500", "Unsupported Operation", f"Unsupported entity: {path}")
    allow_dup = "allowduplicatedocnum" in include
    if operation == "delete":
        result = crud.delete(company, rule, body)
    elif operation == "void" or (operation == "update" and "void" in include):
        if (operation == "void") != (rule.void == "void"):
            raise crud.unsupported("Void", rule.name)
        result = crud.void(company, rule, body)
    elif body.get("Id") not in (None, "", 0, "0"):
        result = crud.update(company, rule, body, allow_dup)
    else:
        result = crud.create(company, rule, body, allow_dup)
    return {rule.name: result}


def read_entity(company: Company, path: str, ident: str) -> dict[str, Any]:
    """GET /{entity}/{id} (and /companyinfo/{realm})."""
    rule = BY_PATH.get(path)
    if rule is None or rule.name == "Preferences":
        raise QBOFault("500", "Unsupported Operation", f"Unsupported entity: {path}")
    return {rule.name: crud.read(company, rule, ident)}


def update_preferences(company: Company, body: dict[str, Any]) -> dict[str, Any]:
    """POST /preferences: sparse merge of the preference groups, SyncToken checked."""
    with crud.atomic(company):
        old = company.snapshot("Preferences", "1")
        if old is None:
            raise not_found("Preferences", "1")
        if str(body.get("SyncToken", "")) != old["SyncToken"]:
            raise crud.stale("Preferences", "1")
        new = copy.deepcopy(old)
        for key, value in body.items():
            if isinstance(value, dict) and isinstance(new.get(key), dict):
                new[key] = {**new[key], **value}
            elif key not in ("Id", "SyncToken", "MetaData", "domain", "sparse"):
                new[key] = value
        return {"Preferences": copy.deepcopy(company.replace("Preferences", new))}
