"""POST /admin/api/{version}/graphql.json: authenticate, validate, cost, throttle, execute."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLResolveInfo,
    OperationDefinitionNode,
    default_field_resolver,
    execute,
    get_operation_ast,
    is_list_type,
    is_non_null_type,
    parse,
    validate,
    value_from_ast_untyped,
)

from emulators.shopify import protected_data
from emulators.shopify.context import Emulator, RequestContext
from emulators.shopify.cost import MAX_QUERY_COST, CostContext, LeakyBucket, operation_cost
from emulators.shopify.errors import INVALID_TOKEN, THROTTLED_ERROR, error_json
from emulators.shopify.resolvers import ROOT
from emulators.shopify.schema import admin_schema
from emulators.shopify.scopes import document_scopes, enforcing, granted
from emulators.shopify.store import RESTORE_RATES, AccessToken
from emulators.shopify.versions import document_errors, served_version

bp = Blueprint("shopify_graphql", __name__)

# The response header naming the version that answered (it differs from the URL's when Shopify
# fell forward from a retired version). ref: https://shopify.dev/docs/api/usage/versioning
VERSION_HEADER = "X-Shopify-API-Version"


@lru_cache(maxsize=512)
def parse_and_validate(query: str) -> tuple[DocumentNode, tuple[GraphQLError, ...]]:
    """Parse and validate a document once per distinct text (apps resend the same queries)."""
    document = parse(query)
    return document, tuple(validate(admin_schema(), document))


@lru_cache(maxsize=512)
def scopes_needed(query: str) -> frozenset[str]:
    """The scopes a (valid) document's fields need, computed once per distinct text."""
    return frozenset(document_scopes(admin_schema(), parse_and_validate(query)[0]))


def resolve_field(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    """graphql-core's default resolver, except that an unmodelled field is empty: [] for a
    non-null list, null otherwise (a non-null scalar the emulator lacks still errors)."""
    if isinstance(source, dict) and info.field_name not in source:
        return_type = info.return_type
        if is_non_null_type(return_type) and is_list_type(return_type.of_type):
            return []
        return None
    return default_field_resolver(source, info, **args)


def emulator() -> Emulator:
    """The emulator serving this request."""
    return current_app.extensions["shopify_emulator"]


def authenticate(emu: Emulator) -> AccessToken | None:
    """The live access token in X-Shopify-Access-Token, or None."""
    value = request.headers.get("X-Shopify-Access-Token", "")
    token = emu.state.tokens.get(value)
    if token is None or emu.control.faults.expire_tokens:
        return None
    if token.expires_at is not None and token.expires_at <= emu.state.clock.now():
        return None
    return token if token.shop in emu.state.shops else None


def bucket_for(emu: Emulator, token: AccessToken) -> LeakyBucket:
    """The leaky bucket of this app on this shop (restore rate from the shop's plan)."""
    state = emu.state
    key = (token.client_id, token.shop)
    with state.lock:
        if key not in state.buckets:
            rate = RESTORE_RATES.get(state.shops[token.shop].plan, RESTORE_RATES["standard"])
            state.buckets[key] = LeakyBucket(state.bucket_max, rate, state.clock)
        return state.buckets[key]


def throttled_body(requested: int | None, bucket: LeakyBucket | None) -> dict[str, Any]:
    """The THROTTLED error response (https://shopify.dev/docs/api/usage/rate-limits)."""
    cost: dict[str, Any] = {"requestedQueryCost": requested, "actualQueryCost": None}
    if bucket is not None:
        cost["throttleStatus"] = bucket.status()
    return {"errors": [THROTTLED_ERROR], "extensions": {"cost": cost}}


@bp.post("/admin/api/<version>/graphql.json")
def graphql_endpoint(version: str) -> tuple[Response, int] | Response:
    """Run one GraphQL Admin API document for the shop the access token belongs to."""
    emu = emulator()
    served = served_version(version)
    if served is None:  # no such release: the route does not exist
        return jsonify(errors="Not Found"), 404
    response = _answer(emu, served)
    response.headers[VERSION_HEADER] = served
    return response


def _answer(emu: Emulator, version: str) -> Response:
    """Authenticate, parse, validate (schema and version rules) and run one request."""
    token = authenticate(emu)
    if token is None:
        return _status(jsonify(INVALID_TOKEN), 401)
    body = request.get_json(silent=True) or {}
    query, variables = body.get("query"), body.get("variables") or {}
    if not isinstance(query, str) or not query.strip():
        return _status(jsonify(errors=[{"message": "No query string was present"}]), 400)
    try:
        document, errors = parse_and_validate(query)
    except GraphQLError as exc:
        return jsonify(errors=[error_json(exc, "PARSE_ERROR")])
    if errors:
        return jsonify(errors=[error_json(e) for e in errors])
    op = get_operation_ast(document, body.get("operationName"))
    if op is None:
        return jsonify(errors=[{"message": "An operation name is required"}])
    version_errors = document_errors(version, op, variables)
    if version_errors:
        return jsonify(errors=version_errors)
    return _run(emu, token, version, document, op, variables, scopes_needed(query))


def _run(
    emu: Emulator,
    token: AccessToken,
    version: str,
    document: DocumentNode,
    op: OperationDefinitionNode,
    variables: dict[str, Any],
    needed: frozenset[str] = frozenset(),
) -> Response:
    """Charge the bucket, execute, refund the unused cost and answer with extensions.cost."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    cost_ctx = CostContext(admin_schema(), fragments, {**_variable_defaults(op), **variables})
    requested = operation_cost(cost_ctx, op)
    bucket = bucket_for(emu, token)
    if requested > MAX_QUERY_COST:
        return jsonify(errors=[_max_cost_error(requested)])
    if not bucket.take(requested):
        return _status(jsonify(throttled_body(requested, bucket)), emu.throttle_http_status)
    scopes = granted(token.scope)
    ctx = RequestContext(
        emu.state,
        emu.state.shops[token.shop],
        token.client_id,
        version,
        emu.webhooks,
        scopes,
        token.protected,
    )
    # Fields the token's scopes do not cover answer ACCESS_DENIED; the per-field check runs only
    # when the document needs a scope the token lacks.
    # ref: https://shopify.dev/docs/api/usage/access-scopes
    middleware = [] if needed <= scopes else [enforcing(scopes)]
    # Protected customer data the app is not approved for answers ACCESS_DENIED as well.
    # ref: https://shopify.dev/docs/apps/launch/protected-customer-data
    if token.protected != protected_data.FULL:
        middleware.append(protected_data.enforcing(token.protected))
    with emu.state.lock:  # one writer at a time, like a row lock on the shop
        result = execute(
            admin_schema(),
            document,
            field_resolver=resolve_field,
            root_value=ROOT,
            context_value=ctx,
            variable_values=variables,
            operation_name=op.name.value if op.name else None,
            middleware=middleware or None,
        )
    # Both are charged what they returned (a mutation at least its 10 per field).
    actual = operation_cost(cost_ctx, op, result.data) if result.data else 0
    if op.operation.value == "mutation" and not result.data:
        actual = requested
    bucket.give_back(requested - actual)
    return jsonify(_body(result, requested, actual, bucket))


def _status(response: Response, status: int) -> Response:
    """`response` with its HTTP status set."""
    response.status_code = status
    return response


def _variable_defaults(op: OperationDefinitionNode) -> dict[str, Any]:
    """Default values declared on the operation's variables ($first: Int = 5)."""
    return {
        d.variable.name.value: value_from_ast_untyped(d.default_value)
        for d in op.variable_definitions or ()
        if d.default_value is not None
    }


def _body(
    result: ExecutionResult, requested: int, actual: int, bucket: LeakyBucket
) -> dict[str, Any]:
    """The response body: errors (if any), data, extensions.cost."""
    out: dict[str, Any] = {}
    if result.errors:
        out["errors"] = [_execution_error(e) for e in result.errors]
    out["data"] = result.data
    cost = {
        "requestedQueryCost": requested,
        "actualQueryCost": actual,
        "throttleStatus": bucket.status(),
    }
    out["extensions"] = {"cost": cost}
    return out


def _execution_error(error: GraphQLError) -> dict[str, Any]:
    """A resolver's GraphQLError as is; an unexpected exception as Shopify's internal error."""
    original = error.original_error
    if error.message.startswith("Variable '$"):  # variable values that do not fit the schema
        return error_json(error, "INVALID_VARIABLE")
    if original is None or isinstance(original, GraphQLError):
        return error_json(error, "BAD_REQUEST")
    body = error_json(error, "INTERNAL_SERVER_ERROR")
    body["message"] = f"Internal error: {type(original).__name__}: {original}"
    return body


def _max_cost_error(cost: int) -> dict[str, Any]:
    """MAX_COST_EXCEEDED: a single query may not cost more than 1000 points."""
    return {
        "message": f"Query cost is {cost}, which exceeds the single query max cost limit "
        f"({MAX_QUERY_COST}).",
        "extensions": {"code": "MAX_COST_EXCEEDED", "cost": cost, "maxCost": MAX_QUERY_COST},
    }
