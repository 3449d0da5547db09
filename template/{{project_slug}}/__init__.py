"""The project's own apps."""
