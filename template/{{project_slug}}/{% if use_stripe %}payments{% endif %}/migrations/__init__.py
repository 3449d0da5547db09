"""Database migrations of the payments app."""
