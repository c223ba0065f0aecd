"""The error of a configuration the app cannot start with, in a module of its own: config.py
and encryption.py (which config.py uses to check ENCRYPTION_KEY) both raise it, no cycle."""

from __future__ import annotations


class ConfigError(RuntimeError):
    """Raised when the environment cannot start the app; the message names the variable."""
