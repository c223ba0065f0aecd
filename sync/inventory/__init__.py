"""Workflow 3, inventory: QBO quantity on hand → Shopify available at one location."""
