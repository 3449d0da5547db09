#!/usr/bin/env bash
# Restore a backup: `scripts/restore.sh latest`, `scripts/restore.sh --list` (see
# docs/operations.md). Arguments go to `manage.py restore`.
# It runs the `python` on PATH: the project's environment (locally `uv run scripts/restore.sh`).
set -euo pipefail
cd "$(dirname "$0")/.."
exec python manage.py restore "$@"
