"""QuickBooks-specific /_emulator/ routes: companies, apps, tokens and settings."""

from __future__ import annotations

import copy

from flask import Blueprint, Response, jsonify, request

from emulators.quickbooks import currency, oauth, templates
from emulators.quickbooks.context import emu

Reply = Response | tuple[Response, int]


def create_company() -> Reply:
    """Create a company from a template ("us", "ca", "uk", "au"); returns its realm id.

    Options: `multi_currency` (true: MultiCurrencyEnabled), `exchange_rates` ({"EUR": "1.08"}).
    """
    data = request.get_json(silent=True) or {}
    try:
        rates = currency.parse_rates(data.get("exchange_rates") or {})
    except ValueError as exc:
        return jsonify(error=str(exc)), 400
    try:
        company = templates.create(
            emu().state,
            str(data.get("template", "us")),
            data.get("realm_id"),
            multi_currency=data.get("multi_currency") is True,
        )
    except KeyError:
        return jsonify(error=f"template must be one of {sorted(templates.TEMPLATES)}"), 400
    company.exchange_rates.update(rates)
    return jsonify(
        realm_id=company.realm_id,
        country=company.country,
        multi_currency=currency.enabled(company),
    ), 201


def exchange_rates(realm: str) -> Reply:
    """GET or POST ({"EUR": "1.0825", …}) the rates used when a transaction omits ExchangeRate."""
    company = emu().state.companies.get(realm)
    if company is None:
        return jsonify(error=f"unknown realm {realm}"), 404
    data = (request.get_json(silent=True) or {}) if request.method == "POST" else {}
    try:
        company.exchange_rates.update(currency.parse_rates(data))
    except ValueError as exc:
        return jsonify(error=str(exc)), 400
    rates = {code: format(rate, "f") for code, rate in sorted(company.exchange_rates.items())}
    return jsonify(realm_id=realm, home=currency.home(company), exchange_rates=rates)


def _merge_preferences(realm: str, groups: dict) -> Response | None:
    """Merge {group: {name: value or None (removed)}} into the company's Preferences; None when
    the realm is unknown."""
    company = emu().state.companies.get(realm)
    if company is None:
        return None
    with company.lock:
        prefs = copy.deepcopy(company.get("Preferences", "1"))
        for group, values in groups.items():
            section = prefs.setdefault(group, {})
            for name, value in values.items():
                if value is None:
                    section.pop(name, None)
                else:
                    section[name] = value
        company.replace("Preferences", prefs)
    return jsonify(realm_id=realm, preferences=company.get("Preferences", "1"))


def book_close_date(realm: str) -> Reply:
    """POST {"date": "2026-06-30"} (or null) sets Preferences' AccountingInfoPrefs.BookCloseDate."""
    date = (request.get_json(silent=True) or {}).get("date")
    merged = _merge_preferences(realm, {"AccountingInfoPrefs": {"BookCloseDate": date or None}})
    if merged is None:
        return jsonify(error=f"unknown realm {realm}"), 404
    return jsonify(realm_id=realm, book_close_date=date or None)


def preferences(realm: str) -> Reply:
    """POST {"SalesFormsPrefs": {"AllowShipping": false}, …}: set preferences as the company's
    owner would in QBO's settings (a value of null removes it)."""
    data = request.get_json(silent=True) or {}
    if not all(isinstance(v, dict) for v in data.values()):
        return jsonify(error="each preference group must be an object"), 400
    merged = _merge_preferences(realm, data)
    return merged if merged is not None else (jsonify(error=f"unknown realm {realm}"), 404)


def list_companies() -> Reply:
    """Realm ids and countries of every company."""
    companies = emu().state.companies.values()
    return jsonify(companies=[{"realm_id": c.realm_id, "country": c.country} for c in companies])


def register_app() -> Reply:
    """Register an app: client_id, client_secret, redirect_uris."""
    data = request.get_json(silent=True) or {}
    if not data.get("client_id") or not data.get("client_secret"):
        return jsonify(error="client_id and client_secret are required"), 400
    emu().state.register_app(
        str(data["client_id"]),
        str(data["client_secret"]),
        [str(u) for u in data.get("redirect_uris") or []],
    )
    return jsonify(client_id=data["client_id"]), 201


def mint_tokens() -> Reply:
    """Tokens for a realm without the browser flow (sandbox seeding)."""
    state, data = emu().state, request.get_json(silent=True) or {}
    realm = str(data.get("realm_id", ""))
    client_id = str(data.get("client_id") or next(iter(state.apps)))
    if realm not in state.companies or client_id not in state.apps:
        return jsonify(error="known realm_id and client_id are required"), 400
    access = state.issue("access", client_id, realm, oauth.ACCESS_TTL)
    return jsonify(oauth.token_response(access, oauth.issue_refresh(client_id, realm))), 201


def settings() -> Reply:
    """Read or change the knobs: oauth_deny, rotate_refresh_tokens, per_minute, concurrent, …."""
    state = emu().state
    data = (request.get_json(silent=True) or {}) if request.method == "POST" else {}
    if "oauth_deny" in data:
        state.oauth_deny = bool(data["oauth_deny"])
    if "rotate_refresh_tokens" in data:
        state.rotate_refresh_tokens = bool(data["rotate_refresh_tokens"])
    if "check_deposit_accounts" in data:  # DepositToAccountRef must be Bank / Other Current Asset
        state.check_deposit_accounts = bool(data["check_deposit_accounts"])
        for company in state.companies.values():
            company.check_deposit_accounts = state.check_deposit_accounts
    for key in ("per_minute", "batch_per_minute", "concurrent", "handler_delay_ms", "window_s"):
        if key in data:
            setattr(state.limits, key, int(data[key]))
    return jsonify(
        oauth_deny=state.oauth_deny,
        rotate_refresh_tokens=state.rotate_refresh_tokens,
        per_minute=state.limits.per_minute,
        batch_per_minute=state.limits.batch_per_minute,
        concurrent=state.limits.concurrent,
        handler_delay_ms=state.limits.handler_delay_ms,
        window_s=state.limits.window_s,
        check_deposit_accounts=state.check_deposit_accounts,
    )


def register(bp: Blueprint) -> None:
    """Add the QBO routes to the shared control blueprint."""
    bp.add_url_rule("/companies", view_func=create_company, methods=["POST"])
    bp.add_url_rule("/companies", view_func=list_companies, methods=["GET"])
    bp.add_url_rule(
        "/companies/<realm>/exchange_rates", view_func=exchange_rates, methods=["GET", "POST"]
    )
    bp.add_url_rule(
        "/companies/<realm>/book_close_date", view_func=book_close_date, methods=["POST"]
    )
    bp.add_url_rule("/companies/<realm>/preferences", view_func=preferences, methods=["POST"])
    bp.add_url_rule("/apps", view_func=register_app, methods=["POST"])
    bp.add_url_rule("/tokens", view_func=mint_tokens, methods=["POST"])
    bp.add_url_rule("/settings", view_func=settings, methods=["GET", "POST"])
