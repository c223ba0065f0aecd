"""python -m emulators.shopify --port 7001 (SHOPIFY_EMULATOR_TEMPLATE=demo seeds the demo store)."""

from __future__ import annotations

import os

from emulators.common.serve import run_cli
from emulators.shopify import create_app


def main() -> None:
    """Serve the Shopify emulator in the foreground."""
    template = os.environ.get("SHOPIFY_EMULATOR_TEMPLATE") or None
    run_cli(lambda: create_app(template=template), "shopify", 7001)


if __name__ == "__main__":
    main()
