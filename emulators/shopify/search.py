"""Shopify search syntax for `query:` arguments: terms, comparisons, quotes, AND/OR/NOT.

ref: https://shopify.dev/docs/api/usage/search-syntax
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from graphql import GraphQLError

# A field handler gives the comparable value(s) of an item for one search field.
Getter = Callable[[Any], Any]
Predicate = Callable[[Any], bool]

_OPS = (">=", "<=", ">", "<", "=")


@dataclass(frozen=True)
class Term:
    """One `field:op value` (field None for free text)."""

    field: str | None
    op: str
    value: str


def tokenize(text: str) -> list[str | Term]:
    """Split a query into terms and the words AND / OR / NOT / ( / )."""
    tokens: list[str | Term] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(ch)
            i += 1
        else:
            i = _read_term(text, i, tokens)
    return tokens


def _read_term(text: str, i: int, tokens: list[str | Term]) -> int:
    """Read one term starting at i; returns the index after it."""
    negate = text[i] == "-" and i + 1 < len(text) and not text[i + 1].isspace()
    if negate:
        tokens.append("NOT")
        i += 1
    start = i
    while i < len(text) and not text[i].isspace() and text[i] not in "():\"'":
        i += 1
    word = text[start:i]
    if i < len(text) and text[i] == ":" and word:
        op, i = _read_op(text, i + 1)
        value, i = _read_value(text, i)
        tokens.append(Term(word.lower(), op, value))
    elif not negate and word in ("AND", "OR", "NOT"):
        tokens.append(word)
    else:
        value, i = (word, i) if word else _read_value(text, i)
        tokens.append(Term(None, "=", value))
    return i


def _read_op(text: str, i: int) -> tuple[str, int]:
    """A comparison operator right after the colon (default "=")."""
    for op in _OPS:
        if text.startswith(op, i):
            return op, i + len(op)
    return "=", i


def _read_value(text: str, i: int) -> tuple[str, int]:
    """A bare word, or a "double" / 'single' quoted string with backslash escapes."""
    if i < len(text) and text[i] in "\"'":
        quote, out = text[i], []
        i += 1
        while i < len(text) and text[i] != quote:
            if text[i] == "\\" and i + 1 < len(text):
                i += 1
            out.append(text[i])
            i += 1
        return "".join(out), i + 1
    start = i
    while i < len(text) and not text[i].isspace() and text[i] not in "()":
        i += 1
    return text[start:i], i


def compile_query(text: str | None, fields: dict[str, Getter], default: Getter) -> Predicate:
    """A predicate for items; unknown fields are ignored, as Shopify does (with a warning)."""
    if not text or not text.strip():
        return lambda item: True
    parser = _Parser(tokenize(text), fields, default)
    predicate = parser.parse_or()
    return predicate


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary (AND? unary)*."""

    def __init__(self, tokens: list[str | Term], fields: dict[str, Getter], default: Getter):
        self.tokens, self.pos, self.fields, self.default = tokens, 0, fields, default

    def _peek(self) -> str | Term | None:
        """The next token (None at the end)."""
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse_or(self) -> Predicate:
        """Disjunction."""
        parts = [self.parse_and()]
        while self._peek() == "OR":
            self.pos += 1
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else lambda item: any(p(item) for p in parts)

    def parse_and(self) -> Predicate:
        """Conjunction (implicit between adjacent terms)."""
        parts = [self.parse_unary()]
        while self._peek() not in (None, "OR", ")"):
            if self._peek() == "AND":
                self.pos += 1
            parts.append(self.parse_unary())
        return parts[0] if len(parts) == 1 else lambda item: all(p(item) for p in parts)

    def parse_unary(self) -> Predicate:
        """NOT x, ( … ), or a term."""
        token = self._peek()
        self.pos += 1
        if token == "NOT":
            inner = self.parse_unary()
            return lambda item: not inner(item)
        if token == "(":
            inner = self.parse_or()
            if self._peek() == ")":
                self.pos += 1
            return inner
        if isinstance(token, Term):
            return self._term(token)
        raise GraphQLError(f"Invalid search query near {token!r}")

    def _term(self, term: Term) -> Predicate:
        """The predicate of one term."""
        if term.field is None:
            getter = self.default
        elif term.field in self.fields:
            getter = self.fields[term.field]
        else:
            return lambda item: True
        return lambda item: _matches(getter(item), term)


def _matches(actual: Any, term: Term) -> bool:
    """Compare an item's value (or any of a list of values) with a term."""
    if isinstance(actual, list | tuple | set):
        return any(_matches(a, term) for a in actual)
    if actual is None:
        return False
    if isinstance(actual, bool):
        return _compare(str(actual).lower(), term.value.lower(), term.op)
    if isinstance(actual, datetime):
        if term.op == "=" and len(term.value) == 10:  # a bare date matches the whole day
            return actual.astimezone(UTC).date().isoformat() == term.value
        return _compare(actual, _parse_datetime(term.value, term.op), term.op)
    if isinstance(actual, int | Decimal):
        try:
            return _compare(Decimal(actual), Decimal(term.value), term.op)
        except InvalidOperation:
            return False
    text, wanted = str(actual).lower(), term.value.lower()
    if wanted.endswith("*"):
        return text.startswith(wanted[:-1])
    return _compare(text, wanted, term.op)


def _compare(actual: Any, wanted: Any, op: str) -> bool:
    """Apply one comparison operator."""
    return {
        "=": lambda: actual == wanted,
        ">": lambda: actual > wanted,
        ">=": lambda: actual >= wanted,
        "<": lambda: actual < wanted,
        "<=": lambda: actual <= wanted,
    }[op]()


def _parse_datetime(value: str, op: str) -> datetime:
    """An ISO date or datetime; a bare date means its start (end for > and <=)."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise GraphQLError(f"Invalid date in search query: {value}") from exc
    if len(value) == 10:
        day = date.fromisoformat(value)
        parsed = datetime.combine(day, time.max if op in (">", "<=") else time.min)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
