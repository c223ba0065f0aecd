"""python -m emulators.shopify --port 7001 [--template demo|empty]."""

from __future__ import annotations

import os

from flask import Flask

from emulators.common.serve import run_cli
from emulators.shopify import create_app
from emulators.shopify.templates import TEMPLATES


def main() -> None:
    """Serve the Shopify emulator in the foreground (SHOPIFY_EMULATOR_TEMPLATE is the default)."""
    default = os.environ.get("SHOPIFY_EMULATOR_TEMPLATE") or None

    def factory(template: str | None = None) -> Flask:
        """The app, loaded with --template (or the environment's default)."""
        return create_app(template=template or default)

    run_cli(factory, "shopify", 7001, templates=sorted(TEMPLATES))


if __name__ == "__main__":
    main()
