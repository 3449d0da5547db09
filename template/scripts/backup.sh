#!/usr/bin/env bash
# Back up the database and the media files, then apply retention: the entry point for cron and
# scheduled platform jobs (see docs/operations.md). Arguments go to `manage.py backup`.
# It runs the `python` on PATH: the project's environment (locally `uv run scripts/backup.sh`).
set -euo pipefail
cd "$(dirname "$0")/.."
exec python manage.py backup "$@"
