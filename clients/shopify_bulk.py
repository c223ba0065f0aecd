"""Bulk query operations: run one query over a whole connection, stream back its JSONL result.

A bulk query has no 1,000-point cost limit and no pagination: one mutation, a few polls and one
download read any number of orders.
ref: https://shopify.dev/docs/api/usage/bulk-operations/queries
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from typing import IO, Any

import requests

from clients.errors import AuthError, DataError, RetryableError, RetryReason
from clients.shopify import REINSTALL_FIX, ShopifyClient, shopify_call, status_reason

# groupObjects: true places child lines directly below their parent; it became an argument in
# 2025-10 and defaults to false from 2026-01, so it is always passed (the app uses 2026-10).
# ref: https://shopify.dev/changelog/optional-groupobjects-argument-in-bulk-operations-mutations-that-offers-faster-and-more-reliable-job-execution
RUN_BULK_QUERY = """
mutation RunBulkQuery($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}
"""

BULK_OPERATION = """
query BulkOperation($id: ID!) {
  node(id: $id) {
    ... on BulkOperation { id status errorCode objectCount url partialDataUrl }
  }
}
"""

PENDING = frozenset({"CREATED", "RUNNING", "CANCELING"})
MAX_POLL_INTERVAL = 30.0  # polls back off (1, 2, 4 … 30 s): a long operation costs few requests
DOWNLOAD_TIMEOUT = (10, 300)  # connect, read (seconds between chunks)
CHUNK = 1 << 16


def bulk_query_nodes(
    client: ShopifyClient,
    query: str,
    *,
    connections: Mapping[str, str] | None = None,
    poll_interval: float = 1.0,
    timeout: float = 3600,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[dict[str, Any]]:
    """Run `query` as a bulk operation and yield its top-level nodes with their children.

    `connections` maps a child's type (its `__typename`, else the type in its gid) to the
    connection field it belongs under, e.g. {"LineItem": "lineItems"}; children come back as
    `{"lineItems": {"nodes": [...]}}`, the shape of a normal query.
    """
    operation_id = start_bulk_query(client, query)
    url = wait_for_bulk_operation(client, operation_id, poll_interval, timeout, sleep)
    if url is None:  # Shopify gives no file when the query matched nothing
        return
    yield from assemble(stream_lines(url), connections or {})


def start_bulk_query(client: ShopifyClient, query: str) -> str:
    """Start the bulk operation; its gid. One runs at a time per app and shop (before 2026-01)."""
    payload = client.execute(RUN_BULK_QUERY, {"query": query})["data"]["bulkOperationRunQuery"]
    errors = payload.get("userErrors") or []
    if any(e.get("code") == "OPERATION_IN_PROGRESS" for e in errors):
        raise RetryableError(
            "Another Shopify bulk operation is running for this store; retrying later",
            code="OPERATION_IN_PROGRESS",
            why=RetryReason.BUSY,
        )
    if errors:
        messages = "; ".join(str(e.get("message")) for e in errors)
        raise DataError(f"Shopify refused the bulk query: {messages}", code="INVALID")
    return str(payload["bulkOperation"]["id"])


def wait_for_bulk_operation(
    client: ShopifyClient,
    operation_id: str,
    poll_interval: float,
    timeout: float,
    sleep: Callable[[float], None],
) -> str | None:
    """Poll the operation, backing off, until it is COMPLETED; its result URL (None when empty)."""
    waited, interval = 0.0, poll_interval
    while True:
        op = client.execute(BULK_OPERATION, {"id": operation_id})["data"]["node"] or {}
        status = op.get("status")
        if status == "COMPLETED":
            return op.get("url")
        if status not in PENDING:
            raise _failure(operation_id, status, op.get("errorCode"))
        if waited >= timeout:
            raise RetryableError(
                f"Shopify bulk operation {operation_id} still {status}", why=RetryReason.BUSY
            )
        sleep(interval)
        waited += interval
        interval = min(interval * 2, max(MAX_POLL_INTERVAL, poll_interval))


def _failure(operation_id: str, status: str | None, code: str | None) -> Exception:
    """FAILED / CANCELED / EXPIRED as an error: ACCESS_DENIED needs the merchant."""
    reason = f"Shopify bulk operation {operation_id} ended {status} ({code or 'no error code'})"
    if code == "ACCESS_DENIED":
        return AuthError(reason, REINSTALL_FIX, code=code)
    return RetryableError(reason, code=code, why=RetryReason.SERVER_ERROR)


def stream_lines(url: str) -> Iterator[dict[str, Any]]:
    """The JSONL file's objects, one line at a time.

    The file is first copied to a temporary file in chunks: memory stays bounded however large
    it is, and the download is not held open while the caller spends minutes posting orders.
    """
    with tempfile.TemporaryFile() as spool:
        download(url, spool)
        spool.seek(0)
        for raw in spool:
            if raw.strip():
                yield json.loads(raw)


def download(url: str, into: IO[bytes]) -> None:
    """Copy the result file into `into`; a failed or refused download is retryable (a refused
    one too: the file's signed URL may have expired, and the next run gets a new one)."""

    def copy() -> None:
        with requests.get(url, stream=True, timeout=DOWNLOAD_TIMEOUT) as response:
            if response.status_code >= 400:
                status = response.status_code
                healing = status == 429 or status >= 500
                raise RetryableError(
                    f"Shopify bulk result download answered {status}",
                    why=status_reason(status) if healing else RetryReason.STALE,
                )
            for chunk in response.iter_content(chunk_size=CHUNK):
                into.write(chunk)

    shopify_call(copy)


def assemble(
    lines: Iterator[dict[str, Any]], connections: Mapping[str, str]
) -> Iterator[dict[str, Any]]:
    """Top-level nodes with children nested back under `{field: {"nodes": [...]}}`.

    With grouped output a child's line comes after its parent's and before the next top-level
    line, so a node is complete once the next top-level line arrives; only that one node (and
    an index of its descendants) is held.
    """
    root: dict[str, Any] | None = None
    open_nodes: dict[str, dict[str, Any]] = {}
    for line in lines:
        parent_id = line.pop("__parentId", None)
        if parent_id is None:
            if root is not None:
                yield root
            root, open_nodes = line, {}
        else:
            parent = open_nodes.get(parent_id)
            if parent is None:
                raise DataError(f"Shopify bulk result lists {line.get('id')} away from its parent")
            field = _connection_field(line, connections)
            parent.setdefault(field, {"nodes": []})["nodes"].append(line)
        if isinstance(line.get("id"), str):
            open_nodes[line["id"]] = line
    if root is not None:
        yield root


def _connection_field(line: dict[str, Any], connections: Mapping[str, str]) -> str:
    """The connection a child line belongs to, from its __typename or its gid's type."""
    kind = line.get("__typename")
    if kind is None and isinstance(line.get("id"), str):
        kind = line["id"].removeprefix("gid://shopify/").split("/")[0]
    if kind is None or kind not in connections:
        raise DataError(f"Shopify bulk result has a {kind} line no connection is mapped to")
    return connections[kind]
