"""Bounds on what a request may carry: body size, JSON depth and constants, integer route params.

Bad input is answered with a 4xx naming the problem, before it can reach Python's recursion limit
or the database's integer range.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, Request, abort, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

MAX_JSON_DEPTH = 64
# Postgres `integer` columns (every primary key here) hold 1 .. 2**31 - 1.
MAX_DB_ID = 2**31 - 1
# Possessive quantifier: a string literal is matched without backtracking.
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+"', re.S)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_OPENERS = frozenset(b"[{")


def json_depth(raw: bytes | str) -> int:
    """How deeply arrays and objects nest in a JSON text, without parsing it."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    depth = deepest = 0
    for byte in _NOT_BRACKET.sub(b"", _STRING.sub(b"", data)):
        depth += 1 if byte in _OPENERS else -1
        deepest = max(deepest, depth)
    return deepest


def _refuse_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (RFC 8259 §6); Python's parser would accept them."""
    raise ValueError(f"{name} is not a JSON number")


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing NaN/Infinity and documents nested deeper than MAX_JSON_DEPTH."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse `s`; ValueError (a 400 from request.get_json) when it is too deep or not JSON."""
        if json_depth(s) > MAX_JSON_DEPTH:
            raise ValueError(f"JSON nests deeper than {MAX_JSON_DEPTH} levels")
        kwargs.setdefault("parse_constant", _refuse_constant)
        return json.loads(s, **kwargs)


class BoundedRequest(Request):
    """A request whose chunked body over the limit is a 413 (Werkzeug would cut it silently),
    and whose JSON errors say why (Flask hides the reason outside debug mode)."""

    def get_data(  # type: ignore[override]
        self, cache: bool = True, as_text: bool = False, parse_form_data: bool = False
    ) -> bytes | str:
        """The body; 413 when a body without Content-Length reaches MAX_CONTENT_LENGTH."""
        data = super().get_data(cache=cache, as_text=False, parse_form_data=parse_form_data)
        limit = self.max_content_length
        if self.content_length is None and limit is not None and len(data) >= limit:
            raise RequestEntityTooLarge(f"the request body is over the {limit:,}-byte limit")
        return data.decode(errors="replace") if as_text else data

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        """400 naming the problem: the parser's message, which quotes no part of the body."""
        if e is None:  # not sent as application/json: Flask's 415
            return super().on_json_loading_failed(e)
        raise BadRequest(f"The body is not valid JSON: {e}")


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` limited to the database's integer range; larger numbers match no route (404)."""

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", MAX_DB_ID)
        super().__init__(map, *args, **kwargs)


def refuse_oversize_bodies() -> None:
    """413 at once when Content-Length is over MAX_CONTENT_LENGTH, whether or not the view reads
    the body (Werkzeug bounds chunked bodies as they are read)."""
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        abort(413, f"the request body is over the {limit:,}-byte limit")


def init_app(app: Flask) -> None:
    """Install the bounded JSON provider, the int converter (before any route), the size check."""
    app.json = BoundedJSONProvider(app)
    app.request_class = BoundedRequest
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(refuse_oversize_bodies)
