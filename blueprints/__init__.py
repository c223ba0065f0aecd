"""HTTP blueprints: health and home now; auth, quickbooks, settings, webhooks, dashboard next."""
