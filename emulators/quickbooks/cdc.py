"""GET /cdc?entities=A,B&changedSince=…: objects changed since a time, deletions as "Deleted".

ref: https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from emulators.quickbooks.entities import RULES
from emulators.quickbooks.faults import PACIFIC, QBOFault, qbo_time
from emulators.quickbooks.store import Company


def _since(text: str) -> datetime:
    """Parse changedSince (naive values are in the company's time zone)."""
    try:
        since = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise QBOFault(
            "2015", "Invalid query parameter", f"changedSince is not a valid date time: {text}"
        ) from exc
    return since if since.tzinfo else since.replace(tzinfo=PACIFIC)


def run(company: Company, args: Mapping[str, str]) -> dict[str, Any]:
    """The CDCResponse python-quickbooks' change_data_capture parses (quickbooks/cdc.py)."""
    names = [n.strip() for n in args.get("entities", "").split(",") if n.strip()]
    if not names or not args.get("changedSince"):
        raise QBOFault(
            "2020",
            "Required param missing, need to supply the required value for the API",
            "Required parameter entities and changedSince",
        )
    since = _since(args["changedSince"])
    responses = []
    for name in names:
        if name not in RULES:
            raise QBOFault("2015", "Invalid query parameter", f"Unknown entity {name}")
        rows = [
            copy.deepcopy(o)
            for o in company.all(name)
            if datetime.fromisoformat(o["MetaData"]["LastUpdatedTime"]) >= since
        ]
        rows += [
            {
                "domain": "QBO",
                "status": "Deleted",
                "Id": ident,
                "MetaData": {"LastUpdatedTime": qbo_time(when, millis=False)},
            }
            for kind, ident, when in company.tombstones
            if kind == name and when >= since
        ]
        responses.append({name: rows, "startPosition": 1, "maxResults": len(rows)})
    return {"CDCResponse": [{"QueryResponse": responses}]}
