"""webhookSubscriptionCreate / Delete and the webhookSubscriptions query.

ref: https://shopify.dev/docs/api/admin-graphql/2025-01/mutations/webhookSubscriptionCreate
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from emulators.shopify.context import RequestContext
from emulators.shopify.ids import gid, parse_gid
from emulators.shopify.resolvers.pagination import connection
from emulators.shopify.resolvers.util import user_error
from emulators.shopify.resolvers.views_common import iso
from emulators.shopify.scopes import topic_allowed
from emulators.shopify.store import WebhookSubscription

# A topic needs the access scope its WebhookSubscriptionTopic value names (scopes.topic_scopes);
# without it Shopify answers a user error, not a top-level ACCESS_DENIED (the mutation itself
# needs no scope), worded as below.
# ref: https://shopify.dev/docs/apps/build/webhooks/subscribe ("Each topic you subscribe to
# requires a corresponding access scope")
# ref: https://community.shopify.com/c/Shopify-APIs-SDKs/failure-to-create-CARTS-UPDATE-webhook-via-GraphQL/m-p/664272
TOPIC_DENIED = "You cannot create a webhook subscription with the specified topic"

# Enum values whose REST topic is not "<first words>/<last word>".
IRREGULAR_TOPICS = {"ORDERS_PARTIALLY_FULFILLED": "orders/partially_fulfilled"}


def rest_topic(enum_value: str) -> str:
    """ORDERS_CREATE → orders/create, INVENTORY_LEVELS_UPDATE → inventory_levels/update."""
    if enum_value in IRREGULAR_TOPICS:
        return IRREGULAR_TOPICS[enum_value]
    head, _, tail = enum_value.lower().rpartition("_")
    return f"{head}/{tail}"


def enum_topic(topic: str) -> str:
    """orders/create → ORDERS_CREATE."""
    return topic.replace("/", "_").upper()


def subscription_node(ctx: RequestContext, sub: WebhookSubscription) -> dict[str, Any]:
    """The WebhookSubscription object."""
    return {
        "__typename": "WebhookSubscription",
        "id": gid("WebhookSubscription", sub.id),
        "legacyResourceId": str(sub.id),
        "topic": enum_topic(sub.topic),
        "callbackUrl": sub.callback_url,
        "format": sub.format,
        "includeFields": [],
        "metafieldNamespaces": [],
        "filter": None,
        "createdAt": iso(sub.created_at),
        "updatedAt": iso(sub.created_at),
        "apiVersion": _api_version(ctx, sub),
        "endpoint": {"__typename": "WebhookHttpEndpoint", "callbackUrl": sub.callback_url},
    }


def _api_version(ctx: RequestContext, sub: WebhookSubscription) -> dict[str, Any]:
    """The version deliveries use: inherited from the app that created the subscription.
    ref: https://shopify.dev/docs/api/admin-graphql/2025-01/objects/WebhookSubscription#field-apiVersion
    """
    version = ctx.webhooks.api_version(sub.client_id) if ctx.webhooks else ctx.api_version
    return {"handle": version, "displayName": version, "supported": True}


def webhook_subscription_create(
    info: GraphQLResolveInfo, topic: str, webhookSubscription: dict[str, Any]
) -> dict[str, Any]:  # noqa: N803
    """Subscribe the calling app; the same topic + URL twice is an error, as on Shopify."""
    ctx: RequestContext = info.context
    url = webhookSubscription.get("callbackUrl") or ""
    if not url.startswith(("https://", "http://")):
        return {
            "webhookSubscription": None,
            "userErrors": [
                user_error(["webhookSubscription", "callbackUrl"], "Address is invalid")
            ],
        }
    if not topic_allowed(topic, ctx.scopes):
        return {
            "webhookSubscription": None,
            "userErrors": [user_error(["webhookSubscription"], TOPIC_DENIED)],
        }
    rest = rest_topic(topic)
    if any(
        s.topic == rest and s.callback_url == url and s.client_id == ctx.client_id
        for s in ctx.shop.webhooks.values()
    ):
        return {
            "webhookSubscription": None,
            "userErrors": [
                user_error(
                    ["webhookSubscription", "callbackUrl"],
                    "Address for this topic has already been taken",
                )
            ],
        }
    sub = WebhookSubscription(
        ctx.state.next_id(),
        rest,
        url,
        ctx.client_id,
        ctx.now(),
        webhookSubscription.get("format") or "JSON",
    )
    ctx.shop.webhooks[sub.id] = sub
    return {"webhookSubscription": subscription_node(ctx, sub), "userErrors": []}


def webhook_subscription_delete(info: GraphQLResolveInfo, id: str) -> dict[str, Any]:  # noqa: A002
    """Remove one of the calling app's subscriptions."""
    ctx: RequestContext = info.context
    sub = ctx.shop.webhooks.get(parse_gid(id, "WebhookSubscription") or 0)
    if sub is None or sub.client_id != ctx.client_id:
        return {
            "deletedWebhookSubscriptionId": None,
            "userErrors": [user_error(["id"], "Webhook subscription does not exist")],
        }
    del ctx.shop.webhooks[sub.id]
    return {"deletedWebhookSubscriptionId": id, "userErrors": []}


def webhook_subscriptions(info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    """The calling app's subscriptions on this shop (optionally by topics)."""
    ctx: RequestContext = info.context
    topics = {rest_topic(t) for t in args.get("topics") or []}
    subs = [
        s
        for s in ctx.shop.webhooks.values()
        if s.client_id == ctx.client_id and (not topics or s.topic in topics)
    ]
    page = {k: args.get(k) for k in ("first", "after", "last", "before")}
    return connection(subs, lambda s: subscription_node(ctx, s), lambda s: s.id, **page)


FIELDS = {
    "webhookSubscriptionCreate": webhook_subscription_create,
    "webhookSubscriptionDelete": webhook_subscription_delete,
    "webhookSubscriptions": webhook_subscriptions,
}
