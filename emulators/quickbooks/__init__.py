"""QuickBooks Online API emulator: python-quickbooks and intuit-oauth talk to it unchanged."""

from __future__ import annotations

import re

from flask import Flask, Response
from werkzeug.wrappers import Request

from emulators.common.control import Control, ControlMiddleware, control_blueprint
from emulators.quickbooks import browse, control_routes, metering, oauth, templates, views
from emulators.quickbooks.context import EXTENSION, Emulator
from emulators.quickbooks.faults import json_response, qbo_time, throttle_response
from emulators.quickbooks.store import EmulatorState

_REALM = re.compile(r"^/v3/company/[^/]+")
_ID = re.compile(r"^(/v3/company/\{realm\}/[a-z]+)/\d+$")


def create_app(state: EmulatorState | None = None, *, template: str | None = None) -> Flask:
    """The emulator as a Flask app; `app.emulator` exposes its state for in-process seeding."""
    state = state or EmulatorState()
    e = Emulator(state=state, control=Control(clock=state.clock))
    app = Flask(__name__)
    app.extensions[EXTENSION] = e
    app.emulator = e  # type: ignore[attr-defined]
    app.register_blueprint(oauth.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(browse.bp)
    bp = control_blueprint(
        e.control,
        reset=lambda: (state.reset(), e.meter.reset()),
        load_template=lambda name: templates.create(state, name),
    )
    control_routes.register(bp)
    metering.register(bp, e.meter)
    app.register_blueprint(bp)
    app.wsgi_app = ControlMiddleware(  # type: ignore[method-assign]
        app.wsgi_app,
        e.control,
        throttle_response=lambda req: throttle_response(state.clock.now()),
        error_response=lambda req, status: _error(state, status),
        endpoint_key=_endpoint_key,
    )
    if template:
        templates.create(state, template)
    return app


def _error(state: EmulatorState, status: int) -> Response:
    """An injected server error, shaped like QBO's SystemFault."""
    error = {
        "Message": "An application error has occurred while processing your request",
        "Detail": "System Failure Error: injected by test control",
        "code": "10000",
        "element": "",
    }
    return json_response(
        {"Fault": {"Error": [error], "type": "SystemFault"}, "time": qbo_time(state.clock.now())},
        status,
    )


def _endpoint_key(req: Request) -> str:
    """Request-log key with the realm and entity ids folded out."""
    path = _REALM.sub("/v3/company/{realm}", req.path)
    return req.method + " " + _ID.sub(r"\1/{id}", path)
