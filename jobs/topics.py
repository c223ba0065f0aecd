"""Which job handles each Shopify webhook topic, and on which queue."""

from __future__ import annotations

# topic -> (queue, dotted job path). Compliance topics are mandatory for every public app
# (https://shopify.dev/docs/apps/build/privacy-law-compliance).
WEBHOOK_JOBS: dict[str, tuple[str, str]] = {
    "app/uninstalled": ("webhooks", "jobs.lifecycle.handle_app_uninstalled"),
    "customers/data_request": ("webhooks", "jobs.privacy.customer_data_request"),
    "customers/redact": ("webhooks", "jobs.privacy.redact_customer"),
    "shop/redact": ("webhooks", "jobs.privacy.redact_shop"),
    # New and changed orders post within minutes when the merchant turns this on.
    "orders/create": ("sync", "jobs.sales_triggers.sync_order_from_webhook"),
    "orders/updated": ("sync", "jobs.sales_triggers.sync_order_from_webhook"),
    "orders/paid": ("sync", "jobs.sales_triggers.sync_order_from_webhook"),
}


def job_for(topic: str) -> tuple[str, str] | None:
    """The (queue, job) for a topic, or None when Ledgerbridge does not act on it."""
    return WEBHOOK_JOBS.get(topic)


def job_payload(topic: str, payload: object) -> dict:
    """Only what the job needs: queued jobs sit in Redis, so no email, phone or address goes
    there (order webhooks carry whole orders; the job re-reads the order by id)."""
    data = payload if isinstance(payload, dict) else {}
    if topic.startswith("orders/"):
        return {"id": data.get("id")}
    if topic.startswith("customers/"):
        found = data.get("customer")
        customer: dict = found if isinstance(found, dict) else {}
        return {
            "customer": {"id": customer.get("id")},
            "orders_requested": data.get("orders_requested") or [],
            "orders_to_redact": data.get("orders_to_redact") or [],
            "data_request": data.get("data_request") or {},
        }
    return {"shop_domain": data.get("shop_domain")}
