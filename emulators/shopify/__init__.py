"""Shopify Admin API emulator: a Flask app the real ShopifyAPI SDK talks to unchanged."""

from __future__ import annotations

import io
import json
import re

from flask import Flask, Response
from graphql import FieldNode, GraphQLError, OperationDefinitionNode
from werkzeug.wrappers import Request

from emulators.common.control import Control, ControlMiddleware, control_blueprint
from emulators.shopify import (
    app_config_routes,
    bulk,
    control_routes,
    graphql_view,
    oauth,
    templates,
)
from emulators.shopify.context import Emulator
from emulators.shopify.store import EmulatorState
from emulators.shopify.webhooks import WebhookDispatcher

_GRAPHQL_PATH = re.compile(r"^/admin/api/[^/]+/graphql\.json$")


def create_app(state: EmulatorState | None = None, *, template: str | None = None) -> Flask:
    """The emulator as a Flask app; `app.emulator` exposes its state for in-process seeding."""
    state = state or EmulatorState()
    control = Control(clock=state.clock)
    emu = Emulator(state=state, control=control, webhooks=WebhookDispatcher(state))
    app = Flask(__name__)
    app.json.sort_keys = False
    app.extensions["shopify_emulator"] = emu
    app.emulator = emu  # type: ignore[attr-defined]
    emu.app = app
    app.register_blueprint(graphql_view.bp)
    app.register_blueprint(oauth.bp)
    app.register_blueprint(bulk.bp)
    bp = control_blueprint(
        control,
        reset=lambda: _reset(emu),
        load_template=lambda name: templates.load(emu, name),
    )
    control_routes.register(bp, emu)
    app_config_routes.register(bp, emu)
    app.register_blueprint(bp)
    app.wsgi_app = ControlMiddleware(  # type: ignore[method-assign]
        app.wsgi_app,
        control,
        throttle_response=lambda req: _throttle_response(emu, req),
        endpoint_key=_endpoint_key,
    )
    if template:
        templates.load(emu, template)
    return app


def _reset(emu: Emulator) -> None:
    """Empty the emulator (apps, shops, tokens, deliveries) back to a fresh start."""
    emu.state.reset()
    emu.webhooks.wait_idle(timeout=2)
    emu.webhooks.deliveries.clear()
    emu.webhooks.app_configs.clear()
    emu.throttle_http_status = 200


def _throttle_response(emu: Emulator, req: Request) -> Response:
    """Shopify's THROTTLED body, for the test-control throttle burst."""
    token = emu.state.tokens.get(req.headers.get("X-Shopify-Access-Token", ""))
    bucket = None
    if token is not None and token.shop in emu.state.shops:
        bucket = graphql_view.bucket_for(emu, token)
    body = graphql_view.throttled_body(None, bucket)
    return Response(json.dumps(body), emu.throttle_http_status, mimetype="application/json")


def _endpoint_key(req: Request) -> str:
    """Request-log key: GraphQL calls are keyed by operation type and root fields, e.g.
    "graphql query orders" or "graphql mutation orderCreate"; other paths by method and path."""
    if not _GRAPHQL_PATH.match(req.path):
        return f"{req.method} {req.path}"
    body = req.get_data(cache=True)
    req.environ["wsgi.input"] = io.BytesIO(body)  # the app reads the body again
    try:
        query = json.loads(body or b"{}").get("query") or ""
        document, _ = graphql_view.parse_and_validate(query)
    except (ValueError, AttributeError, GraphQLError):
        return "graphql invalid"
    op = next((d for d in document.definitions if isinstance(d, OperationDefinitionNode)), None)
    if op is None:
        return "graphql invalid"
    fields = [s.name.value for s in op.selection_set.selections if isinstance(s, FieldNode)]
    return f"graphql {op.operation.value} {','.join(fields)}"
