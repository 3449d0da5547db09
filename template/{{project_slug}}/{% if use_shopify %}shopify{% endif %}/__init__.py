"""Shopify: stores connected by OAuth or by a custom app's token, webhooks and a product sync."""
