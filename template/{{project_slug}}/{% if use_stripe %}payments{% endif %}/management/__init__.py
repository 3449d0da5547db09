"""Management commands of the payments app."""
