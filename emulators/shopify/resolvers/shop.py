"""Query root: shop and node-style lookups."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from emulators.shopify.store import Shop


def shop_node(shop: Shop) -> dict[str, Any]:
    """The Shop object."""
    return {
        "__typename": "Shop",
        "id": shop.gid,
        "name": shop.name,
        "email": shop.email,
        "contactEmail": shop.email,
        "myshopifyDomain": shop.domain,
        "currencyCode": shop.currency,
        "enabledPresentmentCurrencies": sorted({shop.currency, *shop.exchange_rates}),
        "ianaTimezone": shop.iana_timezone,
        "timezoneAbbreviation": "UTC",
        "timezoneOffset": "+0000",
        "timezoneOffsetMinutes": 0,
        "taxesIncluded": shop.taxes_included,
        "taxShipping": False,
        "createdAt": shop.created_at.isoformat() if shop.created_at else None,
        "updatedAt": shop.created_at.isoformat() if shop.created_at else None,
        "url": f"https://{shop.domain}",
        "plan": {
            "displayName": shop.plan.title(),
            "partnerDevelopment": False,
            "shopifyPlus": shop.plan == "plus",
        },
        "primaryDomain": {
            "__typename": "Domain",
            "id": "gid://shopify/Domain/1",
            "host": shop.domain,
            "url": f"https://{shop.domain}",
        },
    }


def shop(info: GraphQLResolveInfo) -> dict[str, Any]:
    """query { shop }."""
    return shop_node(info.context.shop)


FIELDS = {"shop": shop}
