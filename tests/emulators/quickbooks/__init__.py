"""Tests of the QuickBooks Online emulator through python-quickbooks and intuit-oauth."""
