"""The /v3/company/{realm}/… API: auth, throttling, requestid replay, then the operation."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, request

from emulators.quickbooks import batch, cdc, operations, taxcodes
from emulators.quickbooks.context import Emulator, emu
from emulators.quickbooks.faults import (
    QBOFault,
    auth_fault,
    dumps,
    loads,
    qbo_time,
    throttle_response,
)
from emulators.quickbooks.store import Company

bp = Blueprint("qbo_api", __name__)
Result = tuple[int, dict[str, Any]]


def _auth(e: Emulator, realm: str) -> Response | None:
    """401 for a missing, unknown, revoked or expired token; 403 for another realm's token."""
    now = e.state.clock.now()
    header = request.headers.get("Authorization", "")
    token = header[7:] if header.startswith("Bearer ") else ""
    grant = e.state.grants.get(token)
    if grant is None or grant.kind != "access" or grant.spent:
        return auth_fault(401, now, "Token revoked or invalid")
    if grant.expires_at <= e.state.clock.timestamp() or e.control.faults.expire_tokens:
        return auth_fault(401, now, "Token expired: " + token[:12] + "…")
    if grant.realm_id != realm or realm not in e.state.companies:
        return auth_fault(403, now)
    return None


def _admit(e: Emulator, company: Company, is_batch: bool) -> bool:
    """Count the request against 500/min, 40 batch/min and 10 concurrent per realm."""
    limits, now = e.state.limits, e.state.clock.timestamp()
    with e.state.lock:
        _slide(company.hits, now, limits.window_s)
        _slide(company.batch_hits, now, limits.window_s)
        if len(company.hits) >= limits.per_minute or company.inflight >= limits.concurrent:
            return False
        if is_batch and len(company.batch_hits) >= limits.batch_per_minute:
            return False
        company.hits.append(now)
        if is_batch:
            company.batch_hits.append(now)
        company.inflight += 1
        return True


def _slide(hits: deque[float], now: float, window_s: float) -> None:
    """Keep the last minute (`window_s`) of request times (all gone if the test clock went back)."""
    if hits and hits[-1] > now:
        hits.clear()
    while hits and hits[0] <= now - window_s:
        hits.popleft()


@bp.route("/v3/company/<realm>/<path:rest>", methods=["GET", "POST"])
def api(realm: str, rest: str) -> Response:
    """Every QBO data-service request."""
    e = emu()
    denied = _auth(e, realm)
    if denied is not None:
        return denied
    company = e.state.companies[realm]
    path = rest.strip("/").lower()
    if not _admit(e, company, path == "batch"):
        return throttle_response(e.state.clock.now())
    e.meter.record(request.method, path, request.get_data() if path == "batch" else b"")
    try:
        if e.state.limits.handler_delay_ms:
            time.sleep(e.state.limits.handler_delay_ms / 1000)
        return _replayable(e, company, lambda: _dispatch(company, rest.strip("/").lower()))
    finally:
        with e.state.lock:
            company.inflight -= 1


def _replayable(e: Emulator, company: Company, run: Callable[[], Result]) -> Response:
    """Answer a repeated requestid with the original response, without re-executing (E2)."""
    request_id = request.args.get("requestid")
    if request_id and request_id in company.replay:
        status, text = company.replay[request_id]
        return Response(text, status, mimetype="application/json")
    try:
        status, body = run()
    except QBOFault as fault:
        status, body = fault.status, fault.body(e.state.clock.now())
    body.setdefault("time", qbo_time(e.state.clock.now()))
    text = dumps(body)
    items = body.get("BatchItemResponse") or []
    if request_id and not any(batch.has_system_fault(i) for i in items):
        company.replay[request_id] = (status, text)
    return Response(text, status, mimetype="application/json")


def _body() -> dict[str, Any]:
    """The JSON request body (decimals as Decimal)."""
    try:
        data = loads(request.get_data() or b"{}")
    except ValueError as exc:
        raise QBOFault(
            "2000",
            "Request has invalid or unsupported property",
            f"Could not parse the request body: {exc}",
        ) from exc
    if not isinstance(data, dict):
        raise QBOFault(
            "2000",
            "Request has invalid or unsupported property",
            "The request body must be a JSON object",
        )
    return data


def _dispatch(company: Company, path: str) -> Result:
    """Route one API path."""
    parts = path.split("/")
    if path == "query":
        text = (
            request.args.get("query") if request.method == "GET" else request.get_data(as_text=True)
        )
        return 200, {"QueryResponse": operations.run_query(company, text or "")}
    if path == "batch" and request.method == "POST":
        request_id, control = request.args.get("requestid"), emu().control
        done = company.batch_items.setdefault(request_id, {}) if request_id else None
        return 200, batch.run(company, _body(), done, control.take("batch_item_fault"))
    if path == "cdc" and request.method == "GET":
        return 200, cdc.run(company, request.args)
    if path == "preferences":
        if request.method == "POST":
            return 200, operations.update_preferences(company, _body())
        return 200, {"Preferences": company.snapshot("Preferences", "1")}
    if path == "taxservice/taxcode" and request.method == "POST":
        return 200, taxcodes.create_tax_code(company, _body())
    if request.method == "GET" and len(parts) == 2:
        return 200, operations.read_entity(company, parts[0], parts[1])
    if request.method == "POST" and len(parts) == 1:
        include = set(filter(None, request.args.get("include", "").lower().split(",")))
        return 200, operations.entity_op(
            company, parts[0], _body(), request.args.get("operation", "").lower(), include
        )
    raise QBOFault("500", "Unsupported Operation", f"{request.method} {path} is not supported")
