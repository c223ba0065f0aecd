"""Emulator-agnostic pieces shared by the Shopify and QuickBooks emulators."""
