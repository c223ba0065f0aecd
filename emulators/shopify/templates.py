"""Store templates loadable through POST /_emulator/template."""

from __future__ import annotations

from emulators.shopify.context import Emulator
from emulators.shopify.scopes import ALL_SCOPES

DEMO_SHOP = "ledgerbridge-demo.myshopify.com"
DEMO_TOKEN = "shpat_demo_ledgerbridge"  # noqa: S105 - a well-known sandbox token, not a secret
DEMO_ORDERS = 300


def load(emu: Emulator, name: str) -> None:
    """Load template `name` on top of a reset emulator; KeyError when unknown."""
    if name not in TEMPLATES:
        raise KeyError(name)
    TEMPLATES[name](emu)


def _empty(emu: Emulator) -> None:
    """One empty development store and an owner's (every scope) token for the demo app."""
    emu.state.reset()
    emu.state.add_shop(DEMO_SHOP, name="Ledgerbridge Demo")
    emu.state.add_token(DEMO_SHOP, value=DEMO_TOKEN, scope=ALL_SCOPES)


def _demo(emu: Emulator) -> None:
    """The empty store, then products and a few hundred orders seeded over the GraphQL API."""
    from emulators.shopify import seed

    _empty(emu)
    seed.seed_through_server(emu, DEMO_SHOP, DEMO_TOKEN, orders=DEMO_ORDERS)


TEMPLATES = {"empty": _empty, "demo": _demo}
