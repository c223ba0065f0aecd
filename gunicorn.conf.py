"""gunicorn settings; gunicorn reads ./gunicorn.conf.py by default, the Procfile's flags win.

Query strings carry secrets here: Intuit's OAuth code (`/quickbooks/callback?code=…`) and the
App Bridge session token Shopify appends to `/app?…&id_token=…`, which the Referer can repeat.
So the access log records the path without the query (`%(U)s`, not `%(r)s` or `%(q)s`) and no
referer (`%(f)s`); error-log lines naming a request URI lose its query too.
ref: https://docs.gunicorn.org/en/stable/settings.html#access-log-format
"""

from __future__ import annotations

import logging

from log_redaction import QUERY_STRING_FILTER

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'


def on_starting(server: object) -> None:
    """Filter gunicorn's error log before the workers fork (they inherit the logger)."""
    logging.getLogger("gunicorn.error").addFilter(QUERY_STRING_FILTER)
