"""Bulk query operations: the inner query's rules, its JSONL result, and GET /_bulk/<id>.jsonl.

ref: https://shopify.dev/docs/api/usage/bulk-operations/queries — "The query must include at
least one connection field and supports up to five connections with a maximum nesting depth of
two levels" (also the 2025-01 bulkOperationRunQuery description); the top-level `node` and `nodes`
fields can't be used; results are JSONL, one line per connection node, nested connection nodes on
their own lines with `__parentId`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, abort, current_app
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    parse,
    validate,
)

from emulators.shopify.schema import admin_schema

MAX_CONNECTIONS = 5
MAX_DEPTH = 2

bp = Blueprint("shopify_bulk", __name__)


@dataclass
class BulkOperation:
    """One bulk query of an app on a shop; the JSONL is written when it is created."""

    id: int
    client_id: str
    query: str
    created_at: datetime
    started: float  # time.monotonic() at creation, for the RUNNING delay
    jsonl: bytes = b""
    object_count: int = 0
    root_count: int = 0
    canceled: bool = False
    completed_at: datetime | None = None
    type: str = "QUERY"
    error_code: str | None = None  # set: the operation FAILED (e.g. ACCESS_DENIED)


@dataclass
class Plan:
    """What the inner query selects: connection paths (response keys) and the root's key."""

    connections: dict[tuple[str, ...], int] = field(default_factory=dict)  # path → depth
    errors: list[str] = field(default_factory=list)


def check_query(query: str) -> tuple[Plan, list[str]]:
    """The plan of a bulk query, or the messages Shopify answers as userErrors (code INVALID)."""
    try:
        document = parse(query)
    except GraphQLError as exc:
        return Plan(), [f"Invalid bulk query: {exc.message}"]
    errors = validate(admin_schema(), document)
    if errors:
        return Plan(), [f"Invalid bulk query: {e.message}" for e in errors]
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(ops) != 1 or ops[0].operation.value != "query":
        return Plan(), ["Bulk operations only support a single query operation."]
    frags = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    plan = Plan()
    if any(f.name.value in ("node", "nodes") for f in _fields(ops[0].selection_set, frags)):
        plan.errors.append("The top-level 'node' and 'nodes' fields can't be used in bulk queries.")
    _walk(admin_schema().query_type, ops[0].selection_set, frags, (), 0, plan)
    if not plan.connections:
        plan.errors.append("Bulk queries must contain at least one connection.")
    if len(plan.connections) > MAX_CONNECTIONS:
        plan.errors.append(f"Bulk queries cannot contain more than {MAX_CONNECTIONS} connections.")
    if any(depth > MAX_DEPTH for depth in plan.connections.values()):
        plan.errors.append(
            f"Bulk queries cannot contain connections with a nesting depth greater than "
            f"{MAX_DEPTH}."
        )
    return plan, plan.errors


def _fields(sel: SelectionSetNode, frags: dict[str, FragmentDefinitionNode]) -> list[FieldNode]:
    """The fields of a selection set with fragments spread in."""
    out: list[FieldNode] = []
    for node in sel.selections:
        if isinstance(node, FieldNode):
            out.append(node)
        elif isinstance(node, InlineFragmentNode):
            out.extend(_fields(node.selection_set, frags))
        elif isinstance(node, FragmentSpreadNode) and node.name.value in frags:
            out.extend(_fields(frags[node.name.value].selection_set, frags))
    return out


def _walk(
    parent: Any,
    sel: SelectionSetNode,
    frags: dict[str, FragmentDefinitionNode],
    path: tuple[str, ...],
    depth: int,
    plan: Plan,
) -> None:
    """Record every connection under `sel` with its response path and nesting depth."""
    for node in _fields(sel, frags):
        fdef = (getattr(parent, "fields", None) or {}).get(node.name.value)
        if fdef is None or node.selection_set is None:
            continue
        named = get_named_type(fdef.type)
        key = (node.alias or node.name).value
        if not _is_connection(named):
            _walk(named, node.selection_set, frags, (*path, key), depth, plan)
            continue
        plan.connections[(*path, key)] = depth + 1
        item_sel = _item_selection(node.selection_set, frags)
        if item_sel is None:
            continue
        item_type = get_named_type(named.fields["nodes"].type)
        before = len(plan.connections)
        _walk(item_type, item_sel, frags, (*path, key), depth + 1, plan)
        names = {f.name.value for f in _fields(item_sel, frags) if f.alias is None}
        if len(plan.connections) > before and "id" not in names:
            plan.errors.append(
                f"The parent 'node' field for a nested connection must select the 'id' field. "
                f"Connection fields without 'id': {key}."
            )


def _is_connection(named: Any) -> bool:
    """True for a Relay connection type (…Connection with nodes)."""
    return (
        isinstance(named, GraphQLObjectType)
        and named.name.endswith("Connection")
        and "nodes" in named.fields
    )


def _item_selection(
    sel: SelectionSetNode, frags: dict[str, FragmentDefinitionNode]
) -> SelectionSetNode | None:
    """The per-node selection of a connection: nodes { … } or edges { node { … } }."""
    for node in _fields(sel, frags):
        if node.name.value == "nodes":
            return node.selection_set
        if node.name.value == "edges" and node.selection_set:
            for inner in _fields(node.selection_set, frags):
                if inner.name.value == "node":
                    return inner.selection_set
    return None


def to_jsonl(data: dict[str, Any], plan: Plan, group: bool) -> tuple[bytes, int, int]:
    """The result file: one line per connection node, children with __parentId.

    Grouped (the 2025-01 behaviour): every child right after its parent. Ungrouped
    (groupObjects: false): all lines of one nesting depth before the next depth.
    """
    rows: list[tuple[int, dict[str, Any]]] = []
    for key in dict.fromkeys(path[0] for path in plan.connections):
        _emit_object(data.get(key), (key,), plan, None, rows, 0)
    roots = sum(1 for depth, _ in rows if depth == 1)
    if not group:
        rows.sort(key=lambda row: row[0])  # stable: keeps order within one depth
    body = b"".join(json.dumps(line, separators=(",", ":")).encode() + b"\n" for _, line in rows)
    return body, len(rows), roots


def _emit_object(
    value: Any,
    path: tuple[str, ...],
    plan: Plan,
    parent_id: str | None,
    rows: list[tuple[int, dict[str, Any]]],
    depth: int,
) -> Any:
    """Strip connections out of `value` (emitting their nodes as rows); the inline rest."""
    if not isinstance(value, dict):
        return value
    if path in plan.connections:
        items = value.get("nodes")
        if items is None:
            items = [e.get("node") for e in value.get("edges") or []]
        for item in items:
            _emit_node(item, path, plan, parent_id, rows, depth + 1)
        return None
    out = {}
    for key, inner in value.items():
        kept = _emit_object(inner, (*path, key), plan, parent_id, rows, depth)
        if (*path, key) not in plan.connections:
            out[key] = kept
    return out


def _emit_node(
    item: dict[str, Any],
    path: tuple[str, ...],
    plan: Plan,
    parent_id: str | None,
    rows: list[tuple[int, dict[str, Any]]],
    depth: int,
) -> None:
    """One connection node as a row, followed by the rows of its own connections."""
    line: dict[str, Any] = {}
    rows.append((depth, line))
    for key, inner in item.items():
        child_path = (*path, key)
        kept = _emit_object(inner, child_path, plan, item.get("id"), rows, depth)
        if child_path not in plan.connections:
            line[key] = kept
    if parent_id is not None:
        line["__parentId"] = parent_id


@bp.get("/_bulk/<int:number>.jsonl")
def download(number: int) -> Response:
    """The result file of a bulk operation (outside /admin: no token, no rate limit)."""
    state = current_app.extensions["shopify_emulator"].state
    for shop in list(state.shops.values()):
        op = shop.bulk_operations.get(number)
        if op is not None and op.completed_at is not None and not op.canceled:
            return Response(op.jsonl, mimetype="application/jsonl")
    abort(404)
