"""Local emulators of the Shopify Admin API and the QuickBooks Online API (sandbox mode, tests)."""
