"""S3-compatible storage, against moto's in-process fake of the S3 API (never the network)."""

import itertools
import re
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from moto import mock_aws

from ...users.tests.factories import UserFactory
from ..errors import BackupError
from ..selectors import backup_list
from ..services import backup_create, backup_prune, backup_restore
from ..storage import (
    BUCKET_SETTINGS,
    LocalStorage,
    S3Storage,
    s3_client,
    storage_from_settings,
)
from .conftest import database_rows, file_tree, write_files

# A custom endpoint, as for DigitalOcean Spaces: moto answers for it (MOTO_S3_CUSTOM_ENDPOINTS),
# and a request it failed to catch would still stay on this machine.
ENDPOINT = "http://127.0.0.1:9"
BUCKET_NUMBERS = itertools.count(1)


@pytest.fixture(scope="module")
def s3():
    """One fake S3 for the module, and a client made the way the settings make theirs."""
    with pytest.MonkeyPatch.context() as patch, mock_aws():
        patch.setenv("MOTO_S3_CUSTOM_ENDPOINTS", ENDPOINT)
        yield s3_client(
            endpoint_url=ENDPOINT,
            region="us-east-1",
            access_key_id="fake-key-id",
            secret_access_key="fake-secret",
        )


@pytest.fixture
def bucket(s3, settings):
    """A new, empty bucket for each test, also configured in the settings."""
    name = f"team-backups-{next(BUCKET_NUMBERS)}"
    s3.create_bucket(Bucket=name)
    settings.BACKUP_S3_BUCKET = name
    settings.BACKUP_S3_PREFIX = "nightly"
    settings.BACKUP_S3_ENDPOINT_URL = ENDPOINT
    settings.BACKUP_S3_REGION = "us-east-1"
    settings.BACKUP_S3_ACCESS_KEY_ID = "fake-key-id"
    settings.BACKUP_S3_SECRET_ACCESS_KEY = "fake-secret"
    return S3Storage(client=s3, bucket=name, prefix="nightly")


def keys(storage):
    listing = storage.client.list_objects_v2(Bucket=storage.bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_settings_choose_the_bucket_or_the_directory(bucket, settings):
    from_settings = storage_from_settings()

    assert isinstance(from_settings, S3Storage)
    assert from_settings.location == f"s3://{bucket.bucket}/nightly"
    assert from_settings.client.meta.endpoint_url == ENDPOINT
    assert from_settings.client.meta.config.request_checksum_calculation == "when_required"
    assert from_settings.client.meta.config.connect_timeout == 5
    assert from_settings.client.meta.config.read_timeout == 30
    assert from_settings.client.meta.config.retries == {
        "mode": "standard",
        "total_max_attempts": 3,  # 2 retries
    }
    assert from_settings.names() == []

    for name in ("BACKUP_S3_BUCKET", *BUCKET_SETTINGS):
        setattr(settings, name, "")
    local = storage_from_settings()
    assert isinstance(local, LocalStorage)
    assert local.directory == settings.BACKUP_DIR


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("people")
def test_backup_uploads_and_restore_downloads_from_the_bucket(bucket, settings):
    write_files(settings.MEDIA_ROOT, {"avatars/ada.png": b"\x89PNG picture"})
    before_rows, before_media = database_rows(), file_tree(settings.MEDIA_ROOT)

    backup = backup_create(storage=bucket)

    assert keys(bucket) == [f"nightly/{name}" for name in backup.files]
    assert len(backup.files) == 6  # the database, the media files, the manifest
    assert [b.id for b in backup_list(storage=bucket)] == [backup.id]
    assert list(settings.BACKUP_DIR.iterdir()) == []  # nothing is left on the machine
    bucket.client.put_object(Bucket=bucket.bucket, Key="nightly/notes.txt", Body=b"not a backup")
    bucket.client.put_object(Bucket=bucket.bucket, Key="other/db-20200101T000000Z.dump", Body=b"")

    UserFactory(email="after.the.backup@example.com")
    write_files(settings.MEDIA_ROOT, {"avatars/ada.png": b"replaced"})
    backup_restore(backup_id="latest", storage=bucket, force=True)

    assert database_rows() == before_rows
    assert file_tree(settings.MEDIA_ROOT) == before_media


def test_a_corrupt_download_is_refused(bucket, settings):
    write_files(settings.MEDIA_ROOT, {"notes.txt": b"notes"})
    backup = backup_create(storage=bucket, database=False)
    key = f"nightly/{backup.file('media')}"
    bucket.client.put_object(Bucket=bucket.bucket, Key=key, Body=b"tampered with")
    write_files(settings.MEDIA_ROOT, {"notes.txt": b"edited"})

    with pytest.raises(BackupError, match="does not match its checksum"):
        backup_restore(backup_id=backup.id, storage=bucket, database=False, force=True)

    assert file_tree(settings.MEDIA_ROOT) == {"notes.txt": b"edited"}


def test_retention_deletes_exactly_the_expired_backups_in_the_bucket(bucket):
    now = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    ids = [(now - timedelta(days=age)).strftime("%Y%m%dT%H%M%SZ") for age in range(5)]
    for backup_id in ids:
        for name in (f"db-{backup_id}.dump", f"db-{backup_id}.dump.sha256"):
            bucket.client.put_object(Bucket=bucket.bucket, Key=f"nightly/{name}", Body=b"x")
    bucket.client.put_object(Bucket=bucket.bucket, Key="nightly/notes.txt", Body=b"kept")

    deleted = backup_prune(storage=bucket, keep_last=2, keep_days=0, now=now)

    assert [backup.id for backup in deleted] == ids[2:]
    assert keys(bucket) == sorted(
        [f"nightly/db-{i}.dump" for i in ids[:2]]
        + [f"nightly/db-{i}.dump.sha256" for i in ids[:2]]
        + ["nightly/notes.txt"]
    )


def test_no_checksum_headers_reach_an_s3_compatible_store(bucket, tmp_path):
    """Spaces and other stores reject boto3's default CRC checksum headers and trailers."""
    headers = []

    def record(request, **kwargs):
        headers.extend(request.headers.keys())

    write_files(tmp_path, {"db-20261125T030000Z.dump": b"PGDMP" * 1000})
    (tmp_path / "downloaded").mkdir()
    bucket.client.meta.events.register("before-send.s3", record)
    try:
        bucket.save(tmp_path / "db-20261125T030000Z.dump")
        bucket.fetch("db-20261125T030000Z.dump", tmp_path / "downloaded")
    finally:
        bucket.client.meta.events.unregister("before-send.s3", record)

    assert headers
    assert [h for h in headers if "checksum" in h.lower() or "trailer" in h.lower()] == []
    assert (tmp_path / "downloaded" / "db-20261125T030000Z.dump").read_bytes() == b"PGDMP" * 1000


def test_bucket_errors_are_backup_errors(bucket, tmp_path):
    missing = S3Storage(client=bucket.client, bucket="no-such-bucket", prefix="")

    with pytest.raises(BackupError, match="Could not list the backups in s3://no-such-bucket/"):
        missing.names()
    with pytest.raises(BackupError, match=r"Could not download db-x\.dump from"):
        bucket.fetch("db-x.dump", tmp_path)
    write_files(tmp_path, {"db-20261125T030000Z.dump": b"x"})
    with pytest.raises(BackupError, match="Could not upload"):
        missing.save(tmp_path / "db-20261125T030000Z.dump")
    with pytest.raises(BackupError, match="Could not delete"):
        missing.delete("db-20261125T030000Z.dump")


def test_a_bucket_without_a_prefix_keeps_backups_at_its_root(bucket, tmp_path):
    root = S3Storage(client=bucket.client, bucket=bucket.bucket)
    write_files(tmp_path, {"db-20261125T030000Z.dump": b"x"})

    root.save(tmp_path / "db-20261125T030000Z.dump")

    assert root.location == f"s3://{bucket.bucket}/"
    assert root.names() == ["db-20261125T030000Z.dump"]
    assert keys(bucket) == ["db-20261125T030000Z.dump"]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"BACKUP_S3_ACCESS_KEY_ID": "key-id", "BACKUP_S3_SECRET_ACCESS_KEY": "secret"},
            "BACKUP_S3_ACCESS_KEY_ID, BACKUP_S3_SECRET_ACCESS_KEY are set but BACKUP_S3_BUCKET "
            "is empty",
        ),
        (
            {
                "BACKUP_S3_BUCKET": "backups",
                "BACKUP_S3_ENDPOINT_URL": "fra1.digitaloceanspaces.com",
            },
            "BACKUP_S3_ENDPOINT_URL must be an http(s) URL such as "
            "https://fra1.digitaloceanspaces.com, not 'fra1.digitaloceanspaces.com'",
        ),
        (
            {"BACKUP_S3_BUCKET": "backups", "BACKUP_S3_ACCESS_KEY_ID": "key-id"},
            "BACKUP_S3_SECRET_ACCESS_KEY is empty",
        ),
    ],
)
@pytest.mark.parametrize(
    ("command", "failed"),
    [(["backup"], "Backup failed"), (["restore", "latest"], "Restore failed")],
)
def test_bucket_settings_that_cannot_work_are_refused_before_anything(
    settings, command, failed, variables, message
):
    """Keys without a bucket once saved the backup on this machine, with exit status 0."""
    for name, value in variables.items():
        setattr(settings, name, value)

    with pytest.raises(CommandError, match=f"^{failed}: {re.escape(message)}"):
        call_command(*command)

    assert not settings.BACKUP_DIR.exists()


@pytest.fixture
def black_hole():
    """An endpoint that accepts connections and never answers, as a hung store does."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_a_store_that_never_answers_fails_the_backup_within_seconds(settings, black_hole):
    settings.BACKUP_S3_BUCKET = "backups"
    settings.BACKUP_S3_ENDPOINT_URL = black_hole
    settings.BACKUP_S3_REGION = "us-east-1"
    settings.BACKUP_S3_ACCESS_KEY_ID = "fake-key-id"
    settings.BACKUP_S3_SECRET_ACCESS_KEY = "fake-secret"
    settings.BACKUP_S3_READ_TIMEOUT = 1
    started = time.monotonic()

    with pytest.raises(CommandError, match="Backup failed: Could not list the backups in"):
        call_command("backup", "--no-database")

    assert time.monotonic() - started < 10  # 3 attempts of 1 second, and the waits between them
