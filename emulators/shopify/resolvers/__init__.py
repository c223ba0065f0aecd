"""The root value: one resolver per Query/Mutation root field the emulator implements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulators.shopify.resolvers import (
    bulk_operations,
    catalog,
    inventory,
    order_cancel,
    order_create,
    orders,
    products,
    refunds,
    shop,
    webhook_subscriptions,
)

ROOT: dict[str, Callable[..., Any]] = {}
for _module in (
    shop,
    orders,
    catalog,
    order_create,
    refunds,
    products,
    inventory,
    order_cancel,
    webhook_subscriptions,
    bulk_operations,
):
    ROOT.update(_module.FIELDS)
