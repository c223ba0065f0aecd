"""Test control shared by the emulators: request log, fault injection and the /_emulator/ API."""

from __future__ import annotations

import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, jsonify, request
from werkzeug.wrappers import Request

from emulators.common.clock import Clock

CONTROL_PREFIX = "/_emulator"

WsgiApp = Callable[[dict, Callable], Iterable[bytes]]
ResponseFactory = Callable[[Request], Response]


@dataclass
class Faults:
    """Fault configuration; every field defaults to "no fault"."""

    latency_ms: int = 0
    error_rate: float = 0.0
    error_status: int = 500
    throttle_burst: int = 0
    drop_after_commit: int = 0
    expire_tokens: bool = False
    # QBO: the next n batch requests answer one item (the last) with a SystemFault, unexecuted.
    batch_item_fault: int = 0
    # When set, faults hit only requests whose endpoint key contains this text (e.g. "/batch").
    only_endpoint: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Faults:
        """Build from a JSON object, rejecting unknown keys."""
        defaults = cls()
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown fault keys: {sorted(unknown)}")
        values: dict[str, Any] = {}
        for name, value in data.items():
            kind = type(getattr(defaults, name))
            if kind is bool and not isinstance(value, bool):
                raise ValueError(f"{name} must be true or false")
            values[name] = kind(value)
            if kind is str:
                continue
            if values[name] < 0 or (name == "error_rate" and values[name] > 1):
                raise ValueError(f"{name} out of range")
        return cls(**values)


@dataclass(frozen=True)
class LogEntry:
    """One request the emulated API answered (or dropped: status 0)."""

    method: str
    path: str
    endpoint: str
    status: int
    time: datetime

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {**asdict(self), "time": self.time.isoformat()}


class Control:
    """The mutable test-control state of one emulator instance."""

    def __init__(self, clock: Clock | None = None, seed: int = 0) -> None:
        self.clock = clock or Clock()
        self.faults = Faults()
        self._log: list[LogEntry] = []
        self._lock = threading.Lock()
        self._random = random.Random(seed)

    def record(self, method: str, path: str, endpoint: str, status: int) -> None:
        """Append one request to the log."""
        entry = LogEntry(method, path, endpoint, status, self.clock.now())
        with self._lock:
            self._log.append(entry)

    def entries(self) -> list[LogEntry]:
        """A copy of the request log, oldest first."""
        with self._lock:
            return list(self._log)

    def counts(self) -> dict[str, int]:
        """Number of logged requests per endpoint key."""
        return dict(Counter(e.endpoint for e in self.entries()))

    def clear_log(self) -> None:
        """Forget every logged request."""
        with self._lock:
            self._log.clear()

    def set_faults(self, data: dict[str, Any]) -> None:
        """Replace the fault configuration ({} clears every fault)."""
        faults = Faults.from_json(data)
        with self._lock:
            self.faults = faults

    def take(self, name: str) -> bool:
        """Consume one unit of a counted fault (throttle_burst, drop_after_commit)."""
        with self._lock:
            left = getattr(self.faults, name)
            if left <= 0:
                return False
            setattr(self.faults, name, left - 1)
            return True

    def roll_error(self) -> bool:
        """True when this request should fail under the configured error rate."""
        with self._lock:
            return self.faults.error_rate > 0 and self._random.random() < self.faults.error_rate

    def reset(self) -> None:
        """Clear log and faults and return the clock to real time."""
        with self._lock:
            self._log.clear()
            self.faults = Faults()
        self.clock.reset()


def _default_error(req: Request, status: int) -> Response:
    """A plain JSON error body for injected failures."""
    return Response('{"errors":"Internal error (injected)"}', status, mimetype="application/json")


class ControlMiddleware:
    """WSGI middleware that logs API requests and applies the configured faults."""

    def __init__(
        self,
        app: WsgiApp,
        control: Control,
        *,
        throttle_response: ResponseFactory,
        error_response: Callable[[Request, int], Response] = _default_error,
        endpoint_key: Callable[[Request], str] | None = None,
    ) -> None:
        self.app = app
        self.control = control
        self.throttle_response = throttle_response
        self.error_response = error_response
        self.endpoint_key = endpoint_key or (lambda r: f"{r.method} {r.path}")

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Serve one request, faults first."""
        req = Request(environ)
        if req.path.startswith(CONTROL_PREFIX + "/") or req.path == CONTROL_PREFIX:
            return self.app(environ, start_response)
        control, key = self.control, self.endpoint_key(req)
        targeted = control.faults.only_endpoint in key  # "" is in every key
        if targeted and control.faults.latency_ms:
            time.sleep(control.faults.latency_ms / 1000)
        injected = self._injected(req) if targeted else None
        if injected is not None:
            control.record(req.method, req.path, key, injected.status_code)
            return injected(environ, start_response)
        if targeted and control.take("drop_after_commit"):
            return self._commit_then_drop(req, key, environ)
        status: list[int] = []

        def recording_start(status_line: str, headers: list, exc_info: Any = None) -> Callable:
            """start_response that remembers the status code."""
            status.append(int(status_line.split(" ", 1)[0]))
            return start_response(status_line, headers, exc_info)

        body = self.app(environ, recording_start)
        control.record(req.method, req.path, key, status[0] if status else 0)
        return body

    def _injected(self, req: Request) -> Response | None:
        """The throttle or error response this request gets, if any."""
        if self.control.take("throttle_burst"):
            return self.throttle_response(req)
        if self.control.roll_error():
            return self.error_response(req, self.control.faults.error_status)
        return None

    def _commit_then_drop(self, req: Request, key: str, environ: dict) -> Iterable[bytes]:
        """Run the request to completion, then close the socket without answering."""
        body = self.app(environ, lambda *args, **kwargs: lambda data: None)
        for _ in body:  # drain: the change is applied and committed before the drop
            pass
        if hasattr(body, "close"):
            body.close()
        self.control.record(req.method, req.path, key, 0)
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        # Werkzeug's dev server treats ConnectionError as "client went away" and sends nothing.
        raise ConnectionAbortedError("emulator: connection dropped after commit (test control)")


def control_blueprint(
    control: Control,
    *,
    reset: Callable[[], None],
    load_template: Callable[[str], None],
) -> Blueprint:
    """The /_emulator/ endpoints; emulators add their own routes to the returned blueprint."""
    bp = Blueprint("emulator_control", __name__, url_prefix=CONTROL_PREFIX)
    _add_state_routes(bp, control, reset, load_template)
    _add_log_routes(bp, control)
    _add_fault_routes(bp, control)
    return bp


def _add_state_routes(
    bp: Blueprint,
    control: Control,
    reset: Callable[[], None],
    load_template: Callable[[str], None],
) -> None:
    """POST /reset and POST /template."""

    @bp.post("/reset")
    def reset_view() -> Response:
        """Empty the emulator and clear log, faults and clock."""
        reset()
        control.reset()
        return jsonify(ok=True)

    @bp.post("/template")
    def template_view() -> tuple[Response, int] | Response:
        """Load a named template (store / company)."""
        name = (request.get_json(silent=True) or {}).get("name")
        try:
            load_template(str(name))
        except KeyError:
            return jsonify(error=f"unknown template: {name}"), 404
        return jsonify(ok=True, template=name)


def _add_log_routes(bp: Blueprint, control: Control) -> None:
    """GET and DELETE /requests."""

    @bp.get("/requests")
    def requests_view() -> Response:
        """The request log with counts per endpoint."""
        entries = [e.to_json() for e in control.entries()]
        return jsonify(requests=entries, counts=control.counts(), total=len(entries))

    @bp.delete("/requests")
    def clear_requests_view() -> Response:
        """Forget the request log."""
        control.clear_log()
        return jsonify(ok=True)


def _add_fault_routes(bp: Blueprint, control: Control) -> None:
    """GET/POST /faults and /clock."""

    @bp.route("/faults", methods=["GET", "POST"])
    def faults_view() -> tuple[Response, int] | Response:
        """Read or replace the fault configuration ({} clears)."""
        if request.method == "POST":
            try:
                control.set_faults(request.get_json(silent=True) or {})
            except (TypeError, ValueError) as exc:
                return jsonify(error=str(exc)), 400
        return jsonify(asdict(control.faults))

    @bp.route("/clock", methods=["GET", "POST"])
    def clock_view() -> tuple[Response, int] | Response:
        """Read the clock, or set it ({"now": iso}), advance it ({"advance": s}), reset it."""
        data = (request.get_json(silent=True) or {}) if request.method == "POST" else {}
        try:
            if "now" in data:
                control.clock.set(datetime.fromisoformat(str(data["now"]).replace("Z", "+00:00")))
            if "advance" in data:
                control.clock.advance(float(data["advance"]))
        except ValueError as exc:
            return jsonify(error=str(exc)), 400
        if data.get("reset"):
            control.clock.reset()
        return jsonify(now=control.clock.now().isoformat())
