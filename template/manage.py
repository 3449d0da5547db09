#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path

import environ


def main():
    """Run administrative tasks (local settings unless DJANGO_SETTINGS_MODULE says otherwise)."""
    # A local .env (copied from .env.example) fills in variables the shell has not set.
    environ.Env.read_env(Path(__file__).resolve().parent / ".env")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    from config.startup import start

    start(execute_from_command_line, sys.argv)


if __name__ == "__main__":
    main()
