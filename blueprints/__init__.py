"""Thin HTTP: the embedded app's pages and /api (session token), OAuth for Shopify and Intuit,
webhooks, health, and the sandbox admin in sandbox mode only."""
