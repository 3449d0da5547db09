"""Database migrations of the shopify app."""
