"""One module per integration: its environment reads, constants and initialisation.

Each is imported by one line at the end of config/settings/base.py.
"""
