"""python -m emulators.quickbooks --port 7002 (a "us" company when QBO_EMULATOR_TEMPLATE=us)."""

from __future__ import annotations

import os

from emulators.common.serve import run_cli
from emulators.quickbooks import create_app


def main() -> None:
    """Serve the QuickBooks emulator in the foreground."""
    template = os.environ.get("QBO_EMULATOR_TEMPLATE") or None
    run_cli(lambda: create_app(template=template), "quickbooks", 7002)


if __name__ == "__main__":
    main()
