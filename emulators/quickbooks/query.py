"""The QBO query language: parse SELECT statements and run them over stored entities.

ref: https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
(operators = < > <= >= IN LIKE with %, no OR/JOIN/GROUP BY, STARTPOSITION/MAXRESULTS, max 1000,
backslash escapes; entity names case-sensitive). python-quickbooks' forms: quickbooks/mixins.py
(ej2/python-quickbooks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from emulators.quickbooks.faults import PACIFIC, QBOFault

MAX_RESULTS = 1000
DEFAULT_RESULTS = 100
_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:\\.|[^'\\])*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<op><=|>=|!=|<>|[=<>(),*])"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_.]*))"
)
_OPS = {"=", "<", ">", "<=", ">=", "!=", "<>"}


@dataclass
class Condition:
    """One `field op value` term of the WHERE clause (terms are ANDed)."""

    field: str
    op: str
    value: Any


@dataclass
class Query:
    """A parsed SELECT."""

    entity: str
    count: bool = False
    where: list[Condition] = field(default_factory=list)
    order: list[tuple[str, bool]] = field(default_factory=list)
    start: int = 1
    max_results: int = DEFAULT_RESULTS


def parse_error(detail: str) -> QBOFault:
    """QBO's QueryParserError fault (code 4000)."""
    return QBOFault("4000", "Error parsing query", f"QueryParserError: {detail}")


def _tokens(text: str) -> list[tuple[str, str]]:
    """Split the statement into (kind, text) tokens."""
    out, pos, text = [], 0, text.strip().rstrip(";")
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise parse_error(f'Encountered " "{text[pos]}" at line 1, column {pos + 1}.')
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _Parser:
    """Recursive-descent parser over the token list."""

    def __init__(self, text: str) -> None:
        self.toks, self.i = _tokens(text), 0

    def peek(self, upper: bool = True) -> str:
        """The next token's text ("" at the end)."""
        if self.i >= len(self.toks):
            return ""
        return self.toks[self.i][1].upper() if upper else self.toks[self.i][1]

    def take(self, expected: str | None = None) -> tuple[str, str]:
        """Consume one token, optionally requiring its (upper-cased) text."""
        if self.i >= len(self.toks):
            raise parse_error(f'Encountered "<EOF>" at line 1, expecting "{expected or "token"}".')
        kind, text = self.toks[self.i]
        if expected is not None and text.upper() != expected:
            raise parse_error(f'Encountered " "{text}" at line 1. Was expecting: "{expected}"')
        self.i += 1
        return kind, text

    def parse(self) -> Query:
        """SELECT … FROM Entity [WHERE] [ORDER BY|ORDERBY] [STARTPOSITION] [MAXRESULTS]."""
        self.take("SELECT")
        count = self._projection()
        self.take("FROM")
        kind, entity = self.take()
        if kind != "word":
            raise parse_error(f'Encountered " "{entity}" at line 1. Was expecting: <IDENTIFIER>')
        q = Query(entity=entity, count=count)
        if self.peek() == "WHERE":
            self.take()
            q.where = self._conditions()
        self._tail(q)
        if self.i < len(self.toks):
            raise parse_error(f'Encountered " "{self.peek(False)}" at line 1.')
        return q

    def _projection(self) -> bool:
        """`*`, `*, Sku`, field lists (returned whole, like QBO) or COUNT(*)."""
        if self.peek() == "COUNT":
            self.take(), self.take("("), self.take("*"), self.take(")")
            return True
        self.take()
        while self.peek() == ",":
            self.take(), self.take()
        return False

    def _conditions(self) -> list[Condition]:
        """field op value [AND …]; OR is not part of QBO's language."""
        conds = [self._condition()]
        while self.peek() == "AND":
            self.take()
            conds.append(self._condition())
        if self.peek() == "OR":
            raise parse_error('Encountered " "OR" at line 1. OR is not supported.')
        return conds

    def _condition(self) -> Condition:
        """One comparison, IN list or LIKE."""
        kind, name = self.take()
        if kind != "word":
            raise parse_error(f'Encountered " "{name}" at line 1. Was expecting: <IDENTIFIER>')
        op = self.take()[1].upper()
        if op == "IN":
            self.take("(")
            values = [self._value()]
            while self.peek() == ",":
                self.take()
                values.append(self._value())
            self.take(")")
            return Condition(name, "IN", values)
        if op not in _OPS and op != "LIKE":
            raise parse_error(f'Encountered " "{op}" at line 1. Was expecting an operator')
        return Condition(name, op, self._value())

    def _value(self) -> Any:
        """A quoted string (backslash escapes), a number or true/false."""
        kind, text = self.take()
        if kind == "str":
            return re.sub(r"\\(.)", r"\1", text[1:-1])
        if kind == "num":
            return Decimal(text)
        if text.upper() in ("TRUE", "FALSE"):
            return text.upper() == "TRUE"
        raise parse_error(f'Encountered " "{text}" at line 1. Was expecting a literal')

    def _tail(self, q: Query) -> None:
        """ORDER BY / ORDERBY, STARTPOSITION, MAXRESULTS in any order."""
        while self.peek() in ("ORDER", "ORDERBY", "STARTPOSITION", "MAXRESULTS"):
            word = self.take()[1].upper()
            if word == "ORDER":
                self.take("BY")
            if word in ("ORDER", "ORDERBY"):
                q.order = self._order_fields()
            else:
                kind, text = self.take()
                if kind != "num" or not text.isdigit() or int(text) < 1:
                    raise parse_error(f'Encountered " "{text}" at line 1. Was expecting <INTEGER>')
                setattr(q, "start" if word == "STARTPOSITION" else "max_results", int(text))
        q.max_results = min(q.max_results, MAX_RESULTS)

    def _order_fields(self) -> list[tuple[str, bool]]:
        """field [ASC|DESC] {, field [ASC|DESC]}."""
        out = []
        while True:
            name = self.take()[1]
            desc = False
            if self.peek() in ("ASC", "DESC"):
                desc = self.take()[1].upper() == "DESC"
            out.append((name, desc))
            if self.peek() != ",":
                return out
            self.take()


def parse(text: str) -> Query:
    """Parse a QBO query statement or raise the 4000 QueryParserError fault."""
    if not text or not text.strip():
        raise parse_error('Encountered "<EOF>" at line 1, column 1.')
    return _Parser(text).parse()


def field_value(obj: dict[str, Any], path: str) -> Any:
    """A (possibly nested, e.g. MetaData.LastUpdatedTime) field; refs compare by their value,
    email addresses (PrimaryEmailAddr) by their Address."""
    cur: Any = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = next((v for k, v in cur.items() if k.lower() == part.lower()), None)
    if isinstance(cur, dict) and "value" in cur:
        return cur["value"]
    if isinstance(cur, dict) and "Address" in cur:
        return cur["Address"]
    return cur


def _coerce(stored: Any, literal: Any) -> tuple[Any, Any]:
    """Bring a stored value and a literal to comparable types."""
    if isinstance(literal, bool) or isinstance(stored, bool):
        return str(stored).lower(), str(literal).lower()
    if isinstance(stored, int | Decimal) or isinstance(literal, Decimal):
        try:
            return Decimal(str(stored)), Decimal(str(literal))
        except InvalidOperation:
            return str(stored), str(literal)
    a, b = _as_time(stored), _as_time(literal)
    if a is not None and b is not None:
        return a, b
    return ("" if stored is None else str(stored)).lower(), str(literal).lower()


def _as_time(value: Any) -> datetime | None:
    """A datetime for ISO dates/timestamps (date-only means midnight UTC)."""
    if not isinstance(value, str) or not re.match(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:  # dates without offset are in the company time zone
        parsed = parsed.replace(tzinfo=PACIFIC)
    return parsed


def matches(obj: dict[str, Any], cond: Condition) -> bool:
    """True when `obj` satisfies one condition."""
    stored = field_value(obj, cond.field)
    if cond.op == "IN":
        return any(_compare(stored, "=", v) for v in cond.value)
    if cond.op == "LIKE":
        pattern = "^" + ".*".join(re.escape(p) for p in str(cond.value).split("%")) + "$"
        return stored is not None and re.match(pattern, str(stored), re.I | re.S) is not None
    return _compare(stored, cond.op, cond.value)


def _compare(stored: Any, op: str, literal: Any) -> bool:
    """Apply one comparison operator."""
    if stored is None and op in ("<", ">", "<=", ">="):
        return False
    a, b = _coerce(stored, literal)
    try:
        return {
            "=": a == b,
            "!=": a != b,
            "<>": a != b,
            "<": a < b,
            ">": a > b,
            "<=": a <= b,
            ">=": a >= b,
        }[op]
    except TypeError:
        return False


def run(q: Query, objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Filter, order and page `objects` (in creation order) as QBO does."""
    rows = [o for o in objects if all(matches(o, c) for c in q.where)]
    for name, desc in reversed(q.order):
        rows.sort(key=lambda o, n=name: _sort_key(field_value(o, n)), reverse=desc)
    return rows[q.start - 1 : q.start - 1 + q.max_results]


def _sort_key(value: Any) -> tuple[int, Any]:
    """Sort numbers numerically, everything else as case-insensitive text; nulls first."""
    if value is None:
        return (0, "")
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return (1, Decimal(value))
    return (2, str(value).lower())
