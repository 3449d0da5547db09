"""Where backups are kept: a directory on this machine, or an S3-compatible bucket.

Both storages offer the same four operations on file names: names(), save(), fetch(), delete().
"""

import shutil
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import boto3
from boto3.exceptions import Boto3Error
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .errors import BackupError
from .files import private_directory


class LocalStorage:
    """Backups as files in one directory (BACKUP_DIR)."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.location = str(self.directory)

    def names(self):
        if not self.directory.is_dir():
            return []
        return sorted(path.name for path in self.directory.iterdir() if path.is_file())

    def save(self, path):
        private_directory(self.directory)
        shutil.move(path, self.directory / path.name)

    def fetch(self, name, directory):
        """The path of `name`: already on this machine, so nothing is copied into `directory`."""
        path = self.directory / name
        if not path.is_file():
            raise BackupError(f"{path} is missing.")
        return path

    def delete(self, name):
        (self.directory / name).unlink(missing_ok=True)


class S3Storage:
    """Backups as objects under a prefix of an S3-compatible bucket."""

    def __init__(self, *, client, bucket, prefix=""):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.location = f"s3://{bucket}/{self.prefix}"

    def _key(self, name):
        return f"{self.prefix}/{name}" if self.prefix else name

    @contextmanager
    def _errors(self, action):
        try:
            yield
        except (Boto3Error, BotoCoreError, ClientError) as error:
            raise BackupError(f"Could not {action} {self.location}: {error}") from error

    def names(self):
        start = len(self._key(""))
        paginator = self.client.get_paginator("list_objects_v2")
        with self._errors("list the backups in"):
            pages = paginator.paginate(Bucket=self.bucket, Prefix=self._key(""), Delimiter="/")
            return sorted(
                item["Key"][start:] for page in pages for item in page.get("Contents", [])
            )

    def save(self, path):
        with self._errors(f"upload {path.name} to"):
            self.client.upload_file(str(path), self.bucket, self._key(path.name))

    def fetch(self, name, directory):
        path = Path(directory) / name
        with self._errors(f"download {name} from"):
            self.client.download_file(self.bucket, self._key(name), str(path))
        return path

    def delete(self, name):
        with self._errors(f"delete {name} from"):
            self.client.delete_object(Bucket=self.bucket, Key=self._key(name))


def s3_client(
    *,
    endpoint_url=None,
    region=None,
    access_key_id=None,
    secret_access_key=None,
    connect_timeout=5,
    read_timeout=30,
):
    """A boto3 S3 client that S3-compatible stores (DigitalOcean Spaces, MinIO, ...) accept.

    Since boto3 1.36, uploads carry CRC checksum headers and downloads validate them by default;
    many S3-compatible stores reject those requests. Checksums are sent and validated only where
    the S3 API requires them; the backup's own sha256 file guards its content end to end.
    A store that does not answer fails a request after the timeouts (seconds) and 2 retries.
    """
    config = Config(
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"mode": "standard", "max_attempts": 2},
    )
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
        config=config,
    )


# Settings that only mean something with a bucket (BACKUP_S3_PREFIX has a default).
BUCKET_SETTINGS = (
    "BACKUP_S3_ENDPOINT_URL",
    "BACKUP_S3_REGION",
    "BACKUP_S3_ACCESS_KEY_ID",
    "BACKUP_S3_SECRET_ACCESS_KEY",
)


def _is_http_url(value):
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def s3_settings_check():
    """Refuse bucket settings that cannot work, naming the variable, before any backup starts."""
    if not settings.BACKUP_S3_BUCKET:
        if stray := [name for name in BUCKET_SETTINGS if getattr(settings, name)]:
            raise ImproperlyConfigured(
                f"{', '.join(stray)} {'is' if len(stray) == 1 else 'are'} set but "
                "BACKUP_S3_BUCKET is empty: set the bucket, or unset them to keep backups in "
                "BACKUP_DIR."
            )
        return
    endpoint = settings.BACKUP_S3_ENDPOINT_URL
    if endpoint and not _is_http_url(endpoint):
        raise ImproperlyConfigured(
            f"BACKUP_S3_ENDPOINT_URL must be an http(s) URL such as "
            f"https://fra1.digitaloceanspaces.com, not {endpoint!r}."
        )
    key_id, secret = settings.BACKUP_S3_ACCESS_KEY_ID, settings.BACKUP_S3_SECRET_ACCESS_KEY
    if bool(key_id) != bool(secret):
        missing = "BACKUP_S3_SECRET_ACCESS_KEY" if key_id else "BACKUP_S3_ACCESS_KEY_ID"
        raise ImproperlyConfigured(
            f"{missing} is empty: BACKUP_S3_ACCESS_KEY_ID and BACKUP_S3_SECRET_ACCESS_KEY are "
            "set together (or both left empty for boto3's own credentials)."
        )


def storage_from_settings():
    """The bucket when BACKUP_S3_BUCKET is set, BACKUP_DIR otherwise; ImproperlyConfigured
    when the bucket settings cannot work."""
    s3_settings_check()
    if not settings.BACKUP_S3_BUCKET:
        return LocalStorage(settings.BACKUP_DIR)
    client = s3_client(
        endpoint_url=settings.BACKUP_S3_ENDPOINT_URL,
        region=settings.BACKUP_S3_REGION,
        access_key_id=settings.BACKUP_S3_ACCESS_KEY_ID,
        secret_access_key=settings.BACKUP_S3_SECRET_ACCESS_KEY,
        connect_timeout=settings.BACKUP_S3_CONNECT_TIMEOUT,
        read_timeout=settings.BACKUP_S3_READ_TIMEOUT,
    )
    return S3Storage(
        client=client, bucket=settings.BACKUP_S3_BUCKET, prefix=settings.BACKUP_S3_PREFIX
    )
