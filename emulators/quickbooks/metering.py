"""What Intuit meters: every data-service call, and every item of a batch as a call of its own,
split into reads (CorePlus: reads, queries, CompanyInfo, Preferences) and writes.

Intuit bills the read calls an app makes across all its connected companies each month, and a
batch counts as the operations inside it.
ref: https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/api-call-classification
ref: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch
"""

from __future__ import annotations

import json
import threading
from collections import Counter

from flask import Blueprint, Response, jsonify, request


class Meter:
    """Metered calls counted since the last reset, as reads and writes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter = Counter()

    def record(self, method: str, path: str, body: bytes) -> None:
        """Count one data-service request (a batch as its items)."""
        reads, writes = classify(method, path, body)
        with self.lock:
            self.counts["reads"] += reads
            self.counts["writes"] += writes

    def reset(self) -> None:
        """Start counting afresh."""
        with self.lock:
            self.counts.clear()


def classify(method: str, path: str, body: bytes) -> tuple[int, int]:
    """(reads, writes) of one request: GETs and queries read; a batch counts item by item."""
    if path == "batch":
        try:
            items = json.loads(body or b"{}").get("BatchItemRequest") or []
        except (ValueError, AttributeError):
            return 0, 1
        reads = sum(1 for item in items if isinstance(item, dict) and "Query" in item)
        return reads, len(items) - reads
    if method == "GET" or path == "query":
        return 1, 0
    return 0, 1


def register(bp: Blueprint, meter: Meter) -> None:
    """GET /_emulator/metered (the counts) and DELETE (start afresh)."""

    def view() -> Response:
        if request.method == "DELETE":
            meter.reset()
        with meter.lock:
            return jsonify(reads=meter.counts["reads"], writes=meter.counts["writes"])

    bp.add_url_rule("/metered", "metered", view, methods=["GET", "DELETE"])
