"""The settings document's fields, as the API reads and writes them: taken from settings_schema.

Every merchant option is declared once, in settings_schema.py; here each section is paired with
the Shop attribute holding its row, and each field with the schema's validator. Every validation
error names the field (`sales.order_number_prefix`) in plain language; values are checked for
their JSON type first, so none reaches the database it cannot store.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

import settings_schema
from settings_schema import SettingError, SettingsSection

# A value a field cannot take; the message is shown to the merchant after the field's name.
FieldError = SettingError
# The checks the mapping lists share with the settings.
qbo_id = settings_schema.check_qbo_id
text_value = settings_schema.check_text

MODEL_ATTRS = {
    "sales": "sales_settings",
    "products": "product_settings",
    "inventory": "inventory_settings",
    "sync": "sync_settings",
}


@dataclass(frozen=True)
class Section:
    """One workflow's settings: its schema, its model attribute on Shop and its fields' parsers."""

    name: str
    model_attr: str
    schema: type[SettingsSection]
    fields: dict[str, Callable[[Any], Any]]


SECTIONS = tuple(
    Section(
        name,
        MODEL_ATTRS[name],
        schema,
        {field: partial(settings_schema.validate, schema, field) for field in schema.model_fields},
    )
    for name, schema in settings_schema.SECTIONS.items()
)


def serialise(value: Any) -> Any:
    """JSON form of a stored value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
