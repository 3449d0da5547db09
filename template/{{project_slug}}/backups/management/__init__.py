"""Management commands of the backups app."""
