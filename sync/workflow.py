"""What every workflow's run shares: its shop, run, owner token and counts, QBO on first use."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from functools import cached_property

from quickbooks import QuickBooks

from clients.errors import AuthError
from models import Shop, SyncRun
from services.quickbooks_connection import client_for as qbo_client_for
from services.runs import beat
from services.shopify_api import client_for as shopify_client_for


class WorkflowRun:
    """One execution of a run of a workflow for one shop."""

    def __init__(
        self,
        shop: Shop,
        run: SyncRun,
        owner: str,
        counts: Counter | None = None,
        show: Callable[[dict], None] | None = None,
    ) -> None:
        self.shop, self.run, self.owner, self.show = shop, run, owner, show
        self.dry_run = run.dry_run
        self.counts: Counter = counts if counts is not None else Counter()
        self.done = run.progress_done or 0
        # where a run that passed on goes on from (updatedAt of the last record handled)
        self.cursor: datetime | str | None = None
        self.shopify = shopify_client_for(shop)

    # QuickBooks is only asked once there is something to write: a run with nothing new makes
    # no request to it.
    @cached_property
    def qb(self) -> QuickBooks:
        """The QBO client (token refreshed if due), made on first use."""
        connection = self.shop.quickbooks_connection
        if connection is None:  # refused before a run starts; disconnected since
            raise AuthError("QuickBooks is not connected", "Connect QuickBooks from Ledgerbridge.")
        return qbo_client_for(connection)

    def _wait(self, seconds: float) -> None:
        """Wait (for Shopify's bulk file), telling the watchdog the run is alive."""
        beat(self.run, self.owner, self.counts, self.done)
        time.sleep(seconds)
