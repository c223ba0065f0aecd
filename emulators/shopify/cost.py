"""Calculated query cost and the per app+shop leaky bucket of the GraphQL Admin API."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
    value_from_ast_untyped,
)

from emulators.common.clock import Clock

# ref: https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits ("Cost calculation"):
# scalar and enum 0, object 1, interface/union the maximum of the possible selections (the field
# itself adds nothing),
# connection sized by its first/last argument plus 2 for the connection itself; a mutation field
# costs 10 plus its selection (https://shopify.dev/docs/api/usage/limits#cost-calculation).
OBJECT_COST = 1
CONNECTION_COST = 2
MUTATION_COST = 10
# Widely cited single-query maximum [unverified in the current docs page].
MAX_QUERY_COST = 1000


@dataclass
class CostContext:
    """What cost walking needs besides the selection: schema, fragments, variables."""

    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: dict[str, Any]


def operation_cost(ctx: CostContext, op: OperationDefinitionNode, data: Any = None) -> int:
    """Requested cost (data None) or actual cost (data = the response's data) of an operation."""
    if op.operation.value == "mutation":
        return _mutation_cost(ctx, op, data)
    root = ctx.schema.query_type
    return _selection_cost(ctx, root, op.selection_set, data) if root else 0


def _mutation_cost(ctx: CostContext, op: OperationDefinitionNode, data: Any) -> int:
    """Each mutation field: 10 in place of its payload object's 1, plus the payload's selection."""
    fields = ctx.schema.mutation_type.fields if ctx.schema.mutation_type else {}
    total = 0
    for node in op.selection_set.selections:
        if not _is_field(node) or node.name.value not in fields:
            continue
        payload = get_named_type(fields[node.name.value].type)
        value = _child(data, node)
        inner = 0
        if node.selection_set is not None and (data is None or value is not None):
            inner = _selection_cost(ctx, payload, node.selection_set, value)
        total += MUTATION_COST + inner
    return total


def _is_field(node: Any) -> bool:
    """True for a field selection other than __typename."""
    return isinstance(node, FieldNode) and node.name.value != "__typename"


def _selection_cost(ctx: CostContext, parent: Any, sel: SelectionSetNode, data: Any) -> int:
    """Cost of the fields under one selection set; fragments count as their maximum."""
    total, fragment_costs = 0, [0]
    for node in sel.selections:
        if isinstance(node, FieldNode):
            total += _field_cost(ctx, parent, node, data)
        elif isinstance(node, InlineFragmentNode):
            cond = node.type_condition
            target = ctx.schema.get_type(cond.name.value) if cond else parent
            fragment_costs.append(_selection_cost(ctx, target, node.selection_set, data))
        elif isinstance(node, FragmentSpreadNode) and node.name.value in ctx.fragments:
            frag = ctx.fragments[node.name.value]
            target = ctx.schema.get_type(frag.type_condition.name.value)
            fragment_costs.append(_selection_cost(ctx, target, frag.selection_set, data))
    return total + max(fragment_costs)


def _field_cost(ctx: CostContext, parent: Any, node: FieldNode, data: Any) -> int:
    """Cost of one field: 0 for leaves, 1 + children for objects, sized for connections."""
    fields = getattr(parent, "fields", None) or {}
    field_def = fields.get(node.name.value)
    if field_def is None or node.selection_set is None:
        return 0
    named = get_named_type(field_def.type)
    value = _child(data, node)
    if data is not None and value is None:
        return 0
    if named.name.endswith("Connection") and isinstance(named, GraphQLObjectType):
        return _connection_cost(ctx, node, named, value)
    if _is_list(field_def.type):
        items = value if isinstance(value, list) else [None] * _size(ctx, node)
        return sum(OBJECT_COST + _selection_cost(ctx, named, node.selection_set, i) for i in items)
    if is_abstract_type(named):  # "Interface / Union: maximum of possible selections"
        return _selection_cost(ctx, named, node.selection_set, value)
    if is_object_type(named):
        return OBJECT_COST + _selection_cost(ctx, named, node.selection_set, value)
    return 0


def _connection_cost(ctx: CostContext, node: FieldNode, conn: GraphQLObjectType, value: Any) -> int:
    """2 + (objects requested or returned) × cost of one node."""
    node_type = get_named_type(conn.fields["nodes"].type) if "nodes" in conn.fields else None
    item_sel = _item_selection(ctx, node.selection_set)
    if value is None:
        per_item = OBJECT_COST + (
            _selection_cost(ctx, node_type, item_sel, None) if item_sel and node_type else 0
        )
        return CONNECTION_COST + _size(ctx, node) * per_item
    items = [e.get("node") for e in value.get("edges") or [] if isinstance(e, dict)]
    items = items or list(value.get("nodes") or [])
    cost = CONNECTION_COST
    for item in items:
        inner = _selection_cost(ctx, node_type, item_sel, item) if item_sel and node_type else 0
        cost += OBJECT_COST + inner
    return cost


def _item_selection(ctx: CostContext, sel: SelectionSetNode) -> SelectionSetNode | None:
    """The selection applied to each node: edges { node { … } } or nodes { … }."""
    for node in sel.selections:
        if isinstance(node, FieldNode) and node.name.value == "nodes":
            return node.selection_set
        if isinstance(node, FieldNode) and node.name.value == "edges" and node.selection_set:
            for inner in node.selection_set.selections:
                if isinstance(inner, FieldNode) and inner.name.value == "node":
                    return inner.selection_set
    return None


def _size(ctx: CostContext, node: FieldNode) -> int:
    """The first/last argument of a field (1 when absent)."""
    for arg in node.arguments or ():
        if arg.name.value in ("first", "last"):
            value = value_from_ast_untyped(arg.value, ctx.variables)
            return int(value) if isinstance(value, int) else 1
    return 1


def _child(data: Any, node: FieldNode) -> Any:
    """The response value of a field inside `data` (by alias or name)."""
    if not isinstance(data, dict):
        return None
    return data.get(node.alias.value if node.alias else node.name.value)


def _is_list(type_: Any) -> bool:
    """True for [T] and [T]! types."""
    return is_list_type(type_.of_type if is_non_null_type(type_) else type_)


class LeakyBucket:
    """A leaky bucket of query-cost points that refills continuously at `restore_rate`."""

    def __init__(self, maximum: int, restore_rate: int, clock: Clock) -> None:
        self.maximum = maximum
        self.restore_rate = restore_rate
        self.clock = clock
        self.available = float(maximum)
        self._last = clock.timestamp()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        """Add the points restored since the last look (never above the maximum)."""
        now = self.clock.timestamp()
        elapsed = max(0.0, now - self._last)
        self.available = min(float(self.maximum), self.available + elapsed * self.restore_rate)
        self._last = now

    def take(self, cost: int) -> bool:
        """Spend `cost` points if the bucket holds them; False means throttled."""
        with self._lock:
            self._refill()
            if cost > self.available:
                return False
            self.available -= cost
            return True

    def give_back(self, points: int) -> None:
        """Return points (requested cost above the actual cost is refunded)."""
        with self._lock:
            self.available = min(float(self.maximum), self.available + max(0, points))

    def status(self) -> dict[str, Any]:
        """The throttleStatus object of extensions.cost."""
        with self._lock:
            self._refill()
            return {
                "maximumAvailable": float(self.maximum),
                "currentlyAvailable": int(self.available),
                "restoreRate": float(self.restore_rate),
            }
