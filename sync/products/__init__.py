"""Workflow 2: Shopify products → QBO items."""
