"""The RQ job that repairs a shop's invoices posted without their payment."""

from __future__ import annotations

import logging

from clients.errors import AuthError
from extensions import db
from jobs.context import with_app_context
from models import Shop
from sync.sales.repair import run_repair

log = logging.getLogger(__name__)


@with_app_context
def repair_unpaid_invoices(shop_id: int, dry_run: bool = False) -> dict[str, int]:
    """The RQ job: repair one shop's invoices posted without their payment (retryable failures
    raise, so RQ retries; a repair rerun is harmless)."""
    shop = db.session.get(Shop, shop_id)
    if shop is None:
        return {}
    try:
        counts = run_repair(shop, dry_run=dry_run)
    except AuthError as exc:
        log.warning("repair of shop %s stopped: %s", shop_id, exc.reason)
        return {}
    log.info("repair of shop %s: %s", shop_id, dict(counts))
    return dict(counts)
