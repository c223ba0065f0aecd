"""bulkOperationRunQuery, bulkOperationCancel, currentBulkOperation and BulkOperation nodes.

ref: https://shopify.dev/docs/api/usage/bulk-operations/queries,
https://shopify.dev/docs/api/admin-graphql/2025-01/objects/BulkOperation
"""

from __future__ import annotations

import time
from typing import Any

from flask import request
from graphql import GraphQLResolveInfo, execute, parse

from emulators.shopify import protected_data
from emulators.shopify.bulk import BulkOperation, check_query, to_jsonl
from emulators.shopify.context import RequestContext
from emulators.shopify.ids import gid, parse_gid
from emulators.shopify.resolvers.pagination import UNPAGED
from emulators.shopify.resolvers.util import user_error
from emulators.shopify.resolvers.views_common import iso
from emulators.shopify.schema import admin_schema
from emulators.shopify.scopes import document_scopes

# Before 2026-01 an app runs one bulk query at a time per shop (from 2026-01: five).
# ref: https://shopify.dev/docs/api/usage/bulk-operations/queries ("Limitations")
RUNNING = ("CREATED", "RUNNING")


def status(op: BulkOperation, delay: float) -> str:
    """CREATED until first looked at, RUNNING for `delay` seconds, then COMPLETED (or CANCELED)."""
    if op.canceled:
        return "CANCELED"
    if op.error_code is not None:
        return "FAILED"
    if op.completed_at is not None:
        return "COMPLETED"
    if time.monotonic() - op.started < delay:
        return "RUNNING"
    return "COMPLETED"


def _refresh(ctx: RequestContext, op: BulkOperation) -> str:
    """The operation's status now, stamping completedAt when it has just finished."""
    current = status(op, ctx.state.bulk_delay)
    if current == "COMPLETED" and op.completed_at is None:
        op.completed_at = ctx.now()
    return current


def bulk_node(ctx: RequestContext, op: BulkOperation, fresh: bool = False) -> dict[str, Any]:
    """The BulkOperation object (UnsignedInt64 fields are strings, as Shopify sends them)."""
    current = "CREATED" if fresh else _refresh(ctx, op)
    done = current == "COMPLETED"
    has_data = done and op.object_count > 0
    url = f"{request.host_url}_bulk/{op.id}.jsonl" if has_data else None
    return {
        "__typename": "BulkOperation",
        "id": gid("BulkOperation", op.id),
        "status": current,
        "type": op.type,
        "errorCode": op.error_code,
        "query": op.query,
        "createdAt": iso(op.created_at),
        "completedAt": iso(op.completed_at) if done else None,
        "objectCount": str(op.object_count if done else 0),
        "rootObjectCount": str(op.root_count if done else 0),
        "fileSize": str(len(op.jsonl)) if has_data else None,
        "url": url,
        "partialDataUrl": None,
    }


def _group_default(version: str) -> bool:
    """groupObjects' default: true through 2025-10, false from 2026-01. The argument itself
    arrives in 2025-07 (versions.GROUP_OBJECTS_SINCE refuses it before); earlier versions have
    no argument and always group (the true default).
    ref: https://shopify.dev/changelog/bulk-operations-group-objects-default-changed-to-false"""
    return version != "unstable" and version < "2026-01"


def run_query(
    info: GraphQLResolveInfo,
    query: str,
    groupObjects: bool | None = None,  # noqa: N803
) -> dict[str, Any]:
    """mutation { bulkOperationRunQuery(query:) }: validate, run unpaged, write the JSONL."""
    ctx: RequestContext = info.context
    mine = [o for o in ctx.shop.bulk_operations.values() if o.client_id == ctx.client_id]
    if any(_refresh(ctx, o) in RUNNING for o in mine):
        message = "A bulk query operation for this app and shop is already in progress: "
        busy = next(o for o in mine if _refresh(ctx, o) in RUNNING)
        err = user_error(None, message + gid("BulkOperation", busy.id), "OPERATION_IN_PROGRESS")
        return {"bulkOperation": None, "userErrors": [err]}
    plan, errors = check_query(query)
    if errors:
        return {
            "bulkOperation": None,
            "userErrors": [user_error(["query"], m, "INVALID") for m in errors],
        }
    if not document_scopes(admin_schema(), parse(query)) <= ctx.scopes:
        return _failed(ctx, query, "ACCESS_DENIED")
    # So does one selecting protected customer data the app is not approved for.
    # ref: https://shopify.dev/docs/apps/launch/protected-customer-data
    if not protected_data.document_needs(admin_schema(), parse(query)) <= ctx.protected:
        return _failed(ctx, query, "ACCESS_DENIED")
    token = UNPAGED.set(True)
    try:
        result = execute(
            admin_schema(),
            parse(query),
            root_value=info.root_value,
            context_value=ctx,
            field_resolver=_resolver(),
        )
    finally:
        UNPAGED.reset(token)
    if result.errors:
        messages = [f"Invalid bulk query: {e.message}" for e in result.errors]
        return {
            "bulkOperation": None,
            "userErrors": [user_error(["query"], m, "INVALID") for m in messages],
        }
    group = _group_default(ctx.api_version) if groupObjects is None else groupObjects
    body, count, roots = to_jsonl(result.data or {}, plan, group)
    op = BulkOperation(
        ctx.state.next_id(), ctx.client_id, query, ctx.now(), time.monotonic(), body, count, roots
    )
    ctx.shop.bulk_operations[op.id] = op
    return {"bulkOperation": bulk_node(ctx, op, fresh=True), "userErrors": []}


def _failed(ctx: RequestContext, query: str, code: str) -> dict[str, Any]:
    """An operation that has failed at once with `code`."""
    # ACCESS_DENIED: the query needs a scope the token lacks.
    # ref: https://shopify.dev/docs/api/admin-graphql/2025-01/enums/BulkOperationErrorCode
    now = ctx.now()
    op = BulkOperation(ctx.state.next_id(), ctx.client_id, query, now, time.monotonic())
    op.error_code, op.completed_at = code, now
    ctx.shop.bulk_operations[op.id] = op
    return {"bulkOperation": bulk_node(ctx, op, fresh=True), "userErrors": []}


def _resolver() -> Any:
    """The emulator's field resolver (imported late: graphql_view imports this package)."""
    from emulators.shopify.graphql_view import resolve_field

    return resolve_field


def cancel(info: GraphQLResolveInfo, id: str) -> dict[str, Any]:  # noqa: A002
    """mutation { bulkOperationCancel(id:) }."""
    ctx: RequestContext = info.context
    op = lookup_op(ctx, id)
    if op is None:
        return {
            "bulkOperation": None,
            "userErrors": [user_error(["id"], "Bulk operation does not exist")],
        }
    current = _refresh(ctx, op)
    if current not in RUNNING:
        message = f"A bulk operation cannot be canceled when it is {current.lower()}"
        return {"bulkOperation": bulk_node(ctx, op), "userErrors": [user_error(None, message)]}
    op.canceled = True
    node = bulk_node(ctx, op)
    node["status"] = "CANCELING"  # Shopify: "a short delay from when a cancelation starts"
    return {"bulkOperation": node, "userErrors": []}


def lookup_op(ctx: RequestContext, value: str) -> BulkOperation | None:
    """This app's bulk operation on this shop by gid."""
    op = ctx.shop.bulk_operations.get(parse_gid(value, "BulkOperation") or 0)
    return op if op is not None and op.client_id == ctx.client_id else None


def current(info: GraphQLResolveInfo, type: str = "QUERY") -> dict[str, Any] | None:  # noqa: A002
    """query { currentBulkOperation(type:) }: the app's latest operation of that type."""
    ctx: RequestContext = info.context
    mine = [
        o
        for o in ctx.shop.bulk_operations.values()
        if o.client_id == ctx.client_id and o.type == (type or "QUERY")
    ]
    return bulk_node(ctx, max(mine, key=lambda o: o.id)) if mine else None


def node(info: GraphQLResolveInfo, value: str) -> dict[str, Any] | None:
    """node(id:) for a BulkOperation gid."""
    op = lookup_op(info.context, value)
    return bulk_node(info.context, op) if op is not None else None


FIELDS = {
    "bulkOperationRunQuery": run_query,
    "bulkOperationCancel": cancel,
    "currentBulkOperation": current,
}
