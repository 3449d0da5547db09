"""Backups: where `manage.py backup` writes, how many backups it keeps, and the optional bucket.

Imported by one line at the end of config/settings/base.py; docs/operations.md explains each
variable. With BACKUP_S3_BUCKET unset, backups stay in BACKUP_DIR on this machine.
"""

from pathlib import Path

from config.env import env

# The backups themselves when no bucket is set, and the working directory of every backup and
# restore (a bucket's files pass through it).
# A relative path is taken from the project directory.
BACKUP_DIR = Path(__file__).resolve().parent.parent.parent / (
    env.str("BACKUP_DIR", default="") or "backups"
)
# Retention, applied after each backup: a backup is kept while it is one of the newest
# BACKUP_KEEP_LAST or younger than BACKUP_KEEP_DAYS days. 0 turns a rule off; both 0 keep all.
BACKUP_KEEP_LAST = env.int("BACKUP_KEEP_LAST", default=7)
BACKUP_KEEP_DAYS = env.int("BACKUP_KEEP_DAYS", default=30)

# S3-compatible storage (AWS S3, DigitalOcean Spaces, ...), used when BACKUP_S3_BUCKET is set.
BACKUP_S3_BUCKET = env.str("BACKUP_S3_BUCKET", default="")
# Folder of the backups inside the bucket.
BACKUP_S3_PREFIX = env.str("BACKUP_S3_PREFIX", default="backups")
# Unset for AWS; https://REGION.digitaloceanspaces.com for Spaces.
BACKUP_S3_ENDPOINT_URL = env.str("BACKUP_S3_ENDPOINT_URL", default="") or None
BACKUP_S3_REGION = env.str("BACKUP_S3_REGION", default="") or None
# Unset: boto3's own chain (AWS_* variables, instance roles).
BACKUP_S3_ACCESS_KEY_ID = env.str("BACKUP_S3_ACCESS_KEY_ID", default="") or None
BACKUP_S3_SECRET_ACCESS_KEY = env.str("BACKUP_S3_SECRET_ACCESS_KEY", default="") or None
# Seconds to wait for the store to accept a connection, and then for each answer; a request
# that times out is retried twice before the backup or restore fails.
BACKUP_S3_CONNECT_TIMEOUT = env.float("BACKUP_S3_CONNECT_TIMEOUT", default=5)
BACKUP_S3_READ_TIMEOUT = env.float("BACKUP_S3_READ_TIMEOUT", default=30)
