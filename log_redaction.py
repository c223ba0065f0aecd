"""Keep query strings out of request logs: they carry OAuth codes and App Bridge session tokens
(`/quickbooks/callback?code=…`, `/app?…&id_token=…`). gunicorn.conf.py does the same for the
access log in production; this covers Werkzeug's development server (`flask sandbox`)."""

from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"(?<=\S)\?\S*")


def without_query(text: str) -> str:
    """`GET /app?id_token=… HTTP/1.1` → `GET /app HTTP/1.1`."""
    return _QUERY.sub("", text)


class QueryStringFilter(logging.Filter):
    """Strip `?…` from every string argument and the message of a log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it."""
        record.msg = without_query(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(without_query(a) if isinstance(a, str) else a for a in record.args)
        return True


QUERY_STRING_FILTER = QueryStringFilter()


def init_app() -> None:
    """Filter Werkzeug's request log (the same filter object is added only once)."""
    logging.getLogger("werkzeug").addFilter(QUERY_STRING_FILTER)
