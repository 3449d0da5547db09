"""Shopify's management commands."""
