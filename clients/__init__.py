"""Clients of the two external APIs, through their official SDKs; no database access here."""
