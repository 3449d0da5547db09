"""Backups: database and media backups, retention, local or S3-compatible storage, and restore.

`manage.py backup` and `manage.py restore` (or scripts/backup.sh and scripts/restore.sh) run them;
docs/operations.md is the guide.
"""
