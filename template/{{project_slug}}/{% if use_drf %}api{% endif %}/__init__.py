"""The REST API under /api/: JWT sign-in, accounts and users, and the OpenAPI schema."""
