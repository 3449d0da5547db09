"""Database migrations of the users app."""
