"""Settings of optional features: one module each, imported at the end of settings/base.py."""
