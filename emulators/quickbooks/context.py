"""The emulator object a Flask app carries: state plus the shared test control."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from emulators.common.control import Control
from emulators.quickbooks.metering import Meter
from emulators.quickbooks.store import EmulatorState

EXTENSION = "quickbooks_emulator"


@dataclass
class Emulator:
    """State and control of one emulator instance."""

    state: EmulatorState
    control: Control
    meter: Meter = field(default_factory=Meter)


def emu() -> Emulator:
    """The emulator of the current Flask app."""
    return current_app.extensions[EXTENSION]
