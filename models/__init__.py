"""The data model: shops, QuickBooks connections, workflow settings, sync runs and the ledger."""

from models.settings import *  # noqa: F403
