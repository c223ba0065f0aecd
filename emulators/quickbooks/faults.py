"""QBO fault bodies: JSON ValidationFault, lowercase auth faults and the XML 429, plus JSON I/O."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from flask import Response

# QBO stamps "time" and MetaData in the company's time zone; the emulated companies are Pacific.
# ref: https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
PACIFIC = timezone(timedelta(hours=-8))
_DECIMAL = re.compile(r'"\\u0000D([-0-9.E+]+)"')

# XML body QBO sends with HTTP 429 even to Accept: application/json (
# routablehq/python-quickbooks#43 and #83; intuit/QuickBooks-V3-PHP-SDK#54).
THROTTLE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="{time}">'
    '<Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded; '
    "errorCode=003001; statusCode=429</Message><Detail>The request limit was reached.  "
    "Try again later</Detail></Error></Fault></IntuitResponse>"
)


class QBOFault(Exception):
    """A QBO Fault: raised anywhere in request handling, rendered by the view layer."""

    def __init__(
        self,
        code: str,
        message: str,
        detail: str,
        element: str = "",
        status: int = 400,
        kind: str = "ValidationFault",
    ) -> None:
        super().__init__(f"{code} {message}: {detail}")
        self.code, self.message, self.detail = code, message, detail
        self.element, self.status, self.kind = element, status, kind

    def body(self, now: datetime) -> dict[str, Any]:
        """The Fault JSON exactly as QBO shapes it (https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes)."""
        error = {
            "Message": self.message,
            "Detail": self.detail,
            "code": self.code,
            "element": self.element,
        }
        return {"Fault": {"Error": [error], "type": self.kind}, "time": qbo_time(now)}

    def error_only(self) -> dict[str, Any]:
        """The Fault object without "time", as embedded in a BatchItemResponse."""
        return self.body(datetime.now(PACIFIC))["Fault"]


def qbo_time(now: datetime, millis: bool = True) -> str:
    """A timestamp as QBO prints it, e.g. 2017-09-29T09:17:31.892-08:00."""
    return now.astimezone(PACIFIC).isoformat(timespec="milliseconds" if millis else "seconds")


def dumps(data: Any) -> str:
    """JSON text with Decimals written as JSON numbers (exact, never through float)."""

    def default(obj: Any) -> Any:
        if isinstance(obj, Decimal):
            return "\x00D" + format(obj, "f")
        raise TypeError(f"not JSON serialisable: {type(obj).__name__}")

    return _DECIMAL.sub(r"\1", json.dumps(data, default=default))


def loads(text: str | bytes) -> Any:
    """Parse a request body; decimals stay Decimal."""
    return json.loads(text, parse_float=Decimal)


def json_response(data: Any, status: int = 200) -> Response:
    """A JSON response with exact Decimal numbers."""
    return Response(dumps(data), status, mimetype="application/json")


def auth_fault(status: int, now: datetime, detail: str = "Token expired") -> Response:
    """401/403 bodies: lowercase "fault" (routablehq/python-quickbooks#250)."""
    if status == 401:
        code, msg, kind = "3200", "AuthenticationFailed", "AUTHENTICATION"
    else:
        code, msg, kind = "3100", "AuthorizationFailed", "AUTHORIZATION"
        detail = "Authorization Failure"
    error = {
        "message": f"message={msg}; errorCode=00{code}; statusCode={status}",
        "detail": detail,
        "code": code,
        "element": None,
    }
    body = {
        "warnings": None,
        "intuitObject": None,
        "fault": {"error": [error], "type": kind},
        "report": None,
        "queryResponse": [],
        "batchItemResponse": [],
        "attachableResponse": [],
        "syncErrorResponse": None,
        "requestId": None,
        "time": int(now.timestamp() * 1000),
        "status": None,
        "cdcresponse": [],
    }
    return json_response(body, status)


def throttle_response(now: datetime) -> Response:
    """The XML 429 ThrottleExceeded answer."""
    return Response(THROTTLE_XML.format(time=qbo_time(now)), 429, mimetype="application/xml")


def not_found(entity: str, ident: str) -> QBOFault:
    """610 for a read/update of an object that does not exist (or was deleted)."""
    return QBOFault(
        "610",
        "Object Not Found",
        f"Object Not Found : Another user has deleted this transaction. ({entity} Id={ident})",
    )


def required(field: str) -> QBOFault:
    """2020 Required Param Missing."""
    return QBOFault(
        "2020",
        "Required param missing, need to supply the required value for the API",
        f"Required parameter {field} is missing in the request",
        field,
    )


def too_long(field: str, limit: int, supplied: int) -> QBOFault:
    """2050 string length fault (format seen in ruckus/quickbooks-ruby#436)."""
    return QBOFault(
        "2050",
        "String length is either shorter or longer than supported by specification",
        f"String length specified does not match the supported "
        f"length. Min:0 Max:{limit} supported. Supplied length:{supplied}",
        field,
    )


def business(detail: str, code: str = "6000") -> QBOFault:
    """6000-range business validation fault."""
    return QBOFault(
        code,
        "A business validation error has occurred while processing your request",
        f"Business Validation Error: {detail}",
    )
