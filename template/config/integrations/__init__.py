"""Settings of the integrations: one module per feature, each imported at the end of base.py."""
