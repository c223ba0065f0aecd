"""The `flask` commands: the processes (worker, scheduler, sandbox), a sync or a repair in the
foreground, and encryption-key rotation."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the commands on the app's CLI group."""
    from cli.keys import rotate_encryption_key
    from cli.processes import sandbox, scheduler, worker
    from cli.sync import repair_payments, sync

    for command in (worker, scheduler, sandbox, rotate_encryption_key, sync, repair_payments):
        app.cli.add_command(command)
