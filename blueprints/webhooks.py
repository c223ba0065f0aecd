"""POST /webhooks: verify the HMAC on the raw body, record the delivery once, enqueue the work.

ref: https://shopify.dev/docs/apps/build/webhooks/verify-deliveries
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging

from flask import Blueprint, abort, current_app, jsonify, request
from redis.exceptions import RedisError
from shopify.utils.shop_url import sanitize_shop_domain
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from extensions import db
from jobs import enqueue
from jobs.topics import job_for, job_payload
from models import ProcessedWebhook, Shop

bp = Blueprint("webhooks", __name__)
log = logging.getLogger(__name__)

# Order payloads with hundreds of lines stay well under this; anything larger is refused unread.
MAX_WEBHOOK_BYTES = 2 * 1024 * 1024
WEBHOOK_ID_LENGTH = 255  # processed_webhooks.webhook_id


def valid_hmac(raw_body: bytes, header_value: str | None, secret: str) -> bool:
    """Base64 HMAC-SHA256 of the raw body with the app secret, compared in constant time."""
    if not header_value:
        return False
    digest = hmac.new(secret.encode(), raw_body, hashlib.sha256).digest()
    return hmac.compare_digest(base64.b64encode(digest), header_value.strip().encode())


def _read_verified_body() -> bytes:
    """The raw body, only once its size and HMAC check out (401/413 before any parsing)."""
    if (request.content_length or 0) > MAX_WEBHOOK_BYTES:
        abort(413, "webhook body too large")
    # A chunked body has no Content-Length: Werkzeug stops reading it at this limit (413).
    request.max_content_length = min(
        request.max_content_length or MAX_WEBHOOK_BYTES, MAX_WEBHOOK_BYTES
    )
    raw = request.get_data(cache=False)
    if len(raw) > MAX_WEBHOOK_BYTES:
        abort(413, "webhook body too large")
    secret = str(current_app.config["SHOPIFY_API_SECRET"])
    if not valid_hmac(raw, request.headers.get("X-Shopify-Hmac-Sha256"), secret):
        abort(401, "invalid webhook signature")
    return raw


@bp.post("/webhooks")
def receive():
    """Accept one delivery: 200 at once; the work happens on a worker."""
    raw = _read_verified_body()
    topic = request.headers.get("X-Shopify-Topic", "")
    webhook_id = request.headers.get("X-Shopify-Webhook-Id", "")
    shop_domain = sanitize_shop_domain(request.headers.get("X-Shopify-Shop-Domain", ""))
    if not (topic and webhook_id and shop_domain):
        abort(400, "missing X-Shopify-Topic, X-Shopify-Webhook-Id or X-Shopify-Shop-Domain")
    try:
        payload = current_app.json.loads(raw)  # bounded depth, no NaN (request_limits)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError included
        abort(400, f"webhook body is not usable JSON: {exc}")
    return _record_and_enqueue(topic, webhook_id, shop_domain, payload)


def webhook_key(webhook_id: str) -> str:
    """The delivery id as stored: as sent when it fits the column, else `sha256:<hex>`.

    Cutting long ids would make two sharing a 255-character prefix collide; the digest form
    (71 characters) cannot equal a real id, since ids that fit are stored unchanged.
    """
    if len(webhook_id) <= WEBHOOK_ID_LENGTH and webhook_id.isascii() and webhook_id.isprintable():
        return webhook_id
    digest = hashlib.sha256(webhook_id.encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha256:{digest}"


def _record_and_enqueue(topic: str, webhook_id: str, shop_domain: str, payload: object):
    """Record the delivery id and enqueue its job in one step; a repeat id does nothing."""
    shop_id = db.session.scalar(select(Shop.id).where(Shop.shop_domain == shop_domain))
    record = ProcessedWebhook(
        webhook_id=webhook_key(webhook_id),
        shop_id=shop_id,
        shop_domain=shop_domain,
        topic=topic[:100],
    )
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return jsonify(status="duplicate"), 200
    target = job_for(topic)
    if target is None:
        log.info("webhook %s for %s: topic not handled", topic, shop_domain)
        db.session.commit()
        return jsonify(status="ignored"), 200
    queue_name, func = target
    # Enqueue before commit: if Redis is down we answer 503, keep nothing, and Shopify retries.
    try:
        job = enqueue(
            queue_name,
            func,
            shop_domain,
            job_payload(topic, payload),
            job_id=f"webhook-{record.id}",
            shop_domain=shop_domain,
        )
    except RedisError:
        db.session.rollback()
        log.warning(
            "webhook %s for %s: queue unavailable, asking Shopify to retry", topic, shop_domain
        )
        abort(503, "queue unavailable; retry later")
    record.rq_job_id = job.id
    db.session.commit()
    return jsonify(status="queued"), 200
