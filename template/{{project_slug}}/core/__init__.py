"""Core: what every part of the project shares (context processors, base pages, helpers)."""
