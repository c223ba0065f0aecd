"""Pure accounting rules: Shopify orders and settings in, QBO document descriptions out (no I/O)."""
