"""Shopify's tests: Shopify is faked at the HTTP boundary (conftest.py), nothing reaches it."""
