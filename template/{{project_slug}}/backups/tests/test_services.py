"""Backups that restore: against the test database on the real PostgreSQL server.

pg_dump and pg_restore connect on their own, so tests that back up rows or restore them commit
their data (transaction=True).
"""

import json
import os
import shutil
import sqlite3
import stat
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from ...users.tests.factories import UserFactory
from ..databases import PostgreSQL
from ..errors import BackupError
from ..files import checksum_write, scratch_directory
from ..selectors import Backup, backup_list
from ..services import backup_create, backup_prune, backup_restore
from ..storage import LocalStorage
from .conftest import (
    BACKUP_ID,
    database_rows,
    file_tree,
    write_files,
    zero_the_table_of_contents,
)

User = get_user_model()

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
MEDIA = {
    "avatars/ada.png": bytes(range(256)) * 40,
    "documents/2026/report.pdf": b"%PDF-1.7 a report",
    "notes.txt": b"uploaded by a user\n",
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("people")
def test_restore_brings_back_every_row_after_changes_and_deletions(storage):
    before = database_rows()
    backup = backup_create(storage=storage, media=False)
    first, second, _ = User.objects.order_by("id")
    second.delete()
    User.objects.filter(pk=first.pk).update(first_name="Changed", email="changed@example.com")
    UserFactory(email="added.later@example.com")
    Group.objects.all().delete()
    assert database_rows() != before

    restored = backup_restore(backup_id=backup.id, storage=storage, media=False, force=True)

    assert restored == [backup.file("db")]
    assert database_rows() == before
    # The sequences came back too: new rows do not collide with restored ones.
    assert UserFactory().pk > max(row[0] for row in before["users_user"])


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("people")
def test_latest_still_restores_the_database_after_media_only_backups(storage, settings):
    """With BACKUP_KEEP_LAST=1, a --no-database run once deleted the only database backup."""
    settings.BACKUP_KEEP_LAST, settings.BACKUP_KEEP_DAYS = 1, 0
    before = database_rows()
    database_backup = backup_create(storage=storage, media=False, now=NOW)
    write_files(settings.MEDIA_ROOT, MEDIA)
    backup_create(storage=storage, database=False, now=NOW + timedelta(hours=1))
    backup_prune(storage=storage)
    UserFactory(email="after.the.backup@example.com")

    restored = backup_restore(backup_id="latest", storage=storage, force=True)

    assert restored == [database_backup.file("db")]
    assert database_rows() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("people")
def test_restore_into_an_empty_database_needs_no_force(storage):
    """The disaster-recovery path: a new, empty database gets every table and row back."""
    before = database_rows()
    backup = backup_create(storage=storage, media=False)
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")

    backup_restore(backup_id=backup.id, storage=storage)

    assert database_rows() == before


@pytest.mark.django_db
def test_backup_files_carry_their_id_and_a_checksum(storage):
    backup = backup_create(storage=storage, media=False)

    assert backup.files == (
        f"db-{backup.id}.dump",
        f"db-{backup.id}.dump.sha256",
        f"manifest-{backup.id}.json",
        f"manifest-{backup.id}.json.sha256",
    )
    assert sorted(storage.names()) == list(backup.files)
    checksum = (storage.directory / backup.files[1]).read_text()
    assert checksum.endswith(f"  db-{backup.id}.dump\n")
    # A custom-format archive, which pg_dump compresses.
    assert (storage.directory / backup.files[0]).read_bytes().startswith(b"PGDMP")
    manifest = json.loads((storage.directory / backup.files[2]).read_text())
    assert manifest == {"database": {"file": backup.files[0], "tables": database_table_count()}}


@pytest.fixture
def usual_umask():
    """The umask most systems start processes with: new files 0644, new directories 0755."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.django_db
@pytest.mark.usefixtures("usual_umask")
def test_only_their_owner_can_read_backups(storage, settings):
    """Backups hold password hashes, sessions and TOTP keys."""
    settings.BACKUP_DIR.mkdir(mode=0o755)  # as an earlier release left it
    write_files(settings.MEDIA_ROOT, MEDIA)

    backup = backup_create(storage=storage)

    assert stat.S_IMODE(settings.BACKUP_DIR.stat().st_mode) == 0o700
    modes = {name: stat.S_IMODE((storage.directory / name).stat().st_mode) for name in backup.files}
    assert modes == dict.fromkeys(backup.files, 0o600)


@pytest.mark.django_db
@pytest.mark.usefixtures("people", "stored_dump")
def test_restore_refuses_a_database_that_has_tables_unless_forced(storage):
    before = database_rows()

    with pytest.raises(BackupError, match=r"the database already has tables \(\d+\).*--force"):
        backup_restore(backup_id=BACKUP_ID, storage=storage)

    assert database_rows() == before


def corrupt(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize("damage", [corrupt, truncate])
@pytest.mark.django_db
@pytest.mark.usefixtures("people")
def test_a_damaged_backup_is_refused_and_the_database_is_unchanged(storage, stored_dump, damage):
    damage(stored_dump)
    before = database_rows()

    with pytest.raises(BackupError, match=r"does not match its checksum.*truncated or corrupt"):
        backup_restore(backup_id=BACKUP_ID, storage=storage, force=True)

    assert database_rows() == before


def database_table_count():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.usefixtures("people")
def test_a_dump_that_lost_its_tables_is_refused_though_its_checksum_matches(storage):
    """The header says the archive holds nothing; the checksum was computed after the damage."""
    backup = backup_create(storage=storage, media=False)
    dump = storage.directory / backup.file("db")
    zero_the_table_of_contents(dump)
    checksum_write(path=dump)
    before = database_rows()

    with pytest.raises(
        BackupError,
        match=rf"lists 0 tables, but {database_table_count()} were backed up: the archive is "
        "damaged. Nothing was restored.",
    ):
        backup_restore(backup_id=backup.id, storage=storage, force=True)

    assert database_rows() == before


@pytest.mark.django_db
def test_a_dump_from_before_manifests_that_lists_no_tables_is_refused(storage, stored_dump):
    zero_the_table_of_contents(stored_dump)
    checksum_write(path=stored_dump)

    with pytest.raises(BackupError, match="lists no tables: its header is damaged"):
        backup_restore(backup_id=BACKUP_ID, storage=storage, force=True)


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_brings_back_no_tables_fails_loudly(storage, monkeypatch):
    backup = backup_create(storage=storage, media=False)
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    # A pg_restore that exits 0 having restored nothing.
    monkeypatch.setattr(PostgreSQL, "restore", lambda engine, path, *, replace: None)

    with pytest.raises(BackupError, match="reported success, but the database has 0 tables"):
        backup_restore(backup_id=backup.id, storage=storage)

    monkeypatch.undo()
    backup_restore(backup_id=backup.id, storage=storage)  # the tables the next tests need


@pytest.mark.django_db
def test_a_backup_without_its_checksum_file_is_refused(storage, stored_dump):
    stored_dump.with_name(f"{stored_dump.name}.sha256").unlink()

    with pytest.raises(BackupError, match="has no checksum file"):
        backup_restore(backup_id=BACKUP_ID, storage=storage, force=True)


@pytest.mark.django_db
@pytest.mark.usefixtures("stored_dump")
def test_restore_refuses_to_run_inside_a_transaction(storage):
    """Within its own transaction, a caller would wait forever for pg_restore, and it for them."""
    with pytest.raises(BackupError, match="Cannot restore inside a database transaction"):
        backup_restore(backup_id=BACKUP_ID, storage=storage, force=True)


@pytest.mark.django_db
def test_a_file_that_is_not_a_dump_is_refused_even_with_a_matching_checksum(storage):
    dump = storage.directory / "db-20261125T030000Z.dump"
    write_files(storage.directory, {dump.name: b"not a pg_dump archive"})
    checksum_write(path=dump)
    before = database_rows()

    with pytest.raises(BackupError, match="is not a readable PostgreSQL backup"):
        backup_restore(backup_id="latest", storage=storage, force=True)

    assert database_rows() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("people", "stored_dump")
def test_a_restore_that_fails_midway_leaves_the_database_as_it_was(storage):
    before = database_rows()
    # A view on users_user makes pg_restore fail when it drops that table, after it has already
    # dropped others (users_user_groups among them): one transaction must undo those drops.
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIEW backup_test_blocker AS SELECT id FROM users_user")
    try:
        with pytest.raises(BackupError, match="pg_restore failed; the database is unchanged"):
            backup_restore(backup_id=BACKUP_ID, storage=storage, force=True)

        assert database_rows() == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP VIEW backup_test_blocker")


def test_media_files_come_back_exactly(storage, settings):
    write_files(settings.MEDIA_ROOT, MEDIA)
    backup = backup_create(storage=storage, database=False)
    (settings.MEDIA_ROOT / "avatars" / "ada.png").unlink()
    (settings.MEDIA_ROOT / "notes.txt").write_bytes(b"edited")
    write_files(settings.MEDIA_ROOT, {"added/later.txt": b"new"})

    restored = backup_restore(backup_id=backup.id, storage=storage, database=False, force=True)

    assert restored == [f"media-{backup.id}.tar.gz"]
    assert file_tree(settings.MEDIA_ROOT) == MEDIA


def test_media_files_restore_into_a_missing_media_root_without_force(storage, settings):
    write_files(settings.MEDIA_ROOT, MEDIA)
    backup_create(storage=storage, database=False)
    shutil.rmtree(settings.MEDIA_ROOT)

    backup_restore(backup_id="latest", storage=storage, database=False)

    assert file_tree(settings.MEDIA_ROOT) == MEDIA


def test_media_restore_refuses_a_media_root_with_files_unless_forced(storage, settings):
    write_files(settings.MEDIA_ROOT, MEDIA)
    backup = backup_create(storage=storage, database=False)
    write_files(settings.MEDIA_ROOT, {"notes.txt": b"edited"})

    with pytest.raises(BackupError, match=r"has files.*--force"):
        backup_restore(backup_id=backup.id, storage=storage, database=False)

    assert file_tree(settings.MEDIA_ROOT) == {**MEDIA, "notes.txt": b"edited"}


def test_a_damaged_media_archive_is_refused_and_media_files_are_unchanged(storage, settings):
    write_files(settings.MEDIA_ROOT, MEDIA)
    backup = backup_create(storage=storage, database=False)
    archive = storage.directory / backup.file("media")
    truncate(archive)

    with pytest.raises(BackupError, match="truncated or corrupt"):
        backup_restore(backup_id=backup.id, storage=storage, database=False, force=True)

    assert file_tree(settings.MEDIA_ROOT) == MEDIA


def test_a_media_archive_that_cannot_be_unpacked_is_refused(storage, settings):
    write_files(settings.MEDIA_ROOT, MEDIA)
    backup = backup_create(storage=storage, database=False)
    archive = storage.directory / backup.file("media")
    archive.write_bytes(b"not gzip at all")
    checksum_write(path=archive)

    with pytest.raises(BackupError, match="is not a readable media archive"):
        backup_restore(backup_id=backup.id, storage=storage, database=False, force=True)

    assert file_tree(settings.MEDIA_ROOT) == MEDIA


class FailingStorage(LocalStorage):
    """A storage whose uploads fail at the first checksum file, like a bucket going away."""

    def save(self, path):
        if path.name.endswith(".sha256"):
            raise BackupError("the bucket went away")
        super().save(path)


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_partial_backup_behind(settings):
    write_files(settings.MEDIA_ROOT, MEDIA)
    storage = FailingStorage(settings.BACKUP_DIR)

    with pytest.raises(BackupError, match="the bucket went away"):
        backup_create(storage=storage)

    assert storage.names() == []
    assert list(settings.BACKUP_DIR.iterdir()) == []  # no scratch files either


def test_scratch_files_of_a_killed_run_are_removed_by_the_next_run(storage, settings):
    """A SIGKILL or a crash leaves its .work-* directory; a run still going keeps its own."""
    write_files(settings.BACKUP_DIR / ".work-killed", {"db-20261125T030000Z.dump": b"half a dump"})
    write_files(settings.MEDIA_ROOT, MEDIA)

    with scratch_directory(settings.BACKUP_DIR) as running:
        backup = backup_create(storage=storage, database=False)

        assert sorted(os.listdir(settings.BACKUP_DIR)) == sorted([*backup.files, running.name])
    assert sorted(os.listdir(settings.BACKUP_DIR)) == list(backup.files)


def test_two_backups_in_the_same_second_do_not_overwrite_each_other(storage, settings):
    write_files(settings.MEDIA_ROOT, MEDIA)
    first = backup_create(storage=storage, database=False, now=NOW)

    with pytest.raises(BackupError, match="A backup 20261125T030000Z already exists"):
        backup_create(storage=storage, database=False, now=NOW)

    assert sorted(storage.names()) == list(first.files)


def test_backups_made_one_right_after_another_each_get_their_own_id(storage, settings):
    """A script that backs up twice in a row (say the database, then the media files)."""
    write_files(settings.MEDIA_ROOT, MEDIA)

    backups = [backup_create(storage=storage, database=False) for _ in range(3)]

    assert len({backup.id for backup in backups}) == 3
    assert len(backup_list(storage=storage)) == 3


def test_there_must_be_something_to_back_up(storage):
    with pytest.raises(BackupError, match="both the database and the media files are left out"):
        backup_create(storage=storage, database=False, media=False)
    with pytest.raises(BackupError, match=r"the database is left out and .* is missing"):
        backup_create(storage=storage, database=False)


@pytest.mark.django_db
def test_restore_names_what_is_missing(storage, settings):
    write_files(settings.MEDIA_ROOT, MEDIA)
    media_only = backup_create(storage=storage, database=False)

    with pytest.raises(BackupError, match=r"There is no backup '20200101T000000Z'.*20261"):
        backup_restore(backup_id="20200101T000000Z", storage=storage)
    with pytest.raises(BackupError, match="has no database file"):
        backup_restore(backup_id=media_only.id, storage=storage)
    with pytest.raises(BackupError, match="Nothing to restore"):
        backup_restore(backup_id=media_only.id, storage=storage, database=False, media=False)


@pytest.mark.django_db
def test_a_sqlite_backup_is_not_restored_into_postgresql(storage):
    sqlite_backup = storage.directory / "db-20261125T030000Z.sqlite3.gz"
    write_files(storage.directory, {sqlite_backup.name: b"sqlite"})
    checksum_write(path=sqlite_backup)

    with pytest.raises(BackupError, match="is not a backup of a PostgreSQL database"):
        backup_restore(backup_id="latest", storage=storage, force=True)


def test_a_backup_lists_its_files_by_kind():
    backup = Backup(
        id="20261125T030000Z",
        files=("db-20261125T030000Z.dump", "db-20261125T030000Z.dump.sha256"),
    )

    assert backup.created == datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    assert backup.file("db") == "db-20261125T030000Z.dump"
    assert backup.file("media") is None


def test_sqlite_in_local_use_backs_up_and_restores(storage, tmp_path, monkeypatch):
    """With DATABASE_URL unset, the database is an SQLite file: backed up with SQLite's API."""
    database = tmp_path / "db.sqlite3"
    with closing(sqlite3.connect(database)) as sqlite, sqlite:
        sqlite.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
        sqlite.execute("INSERT INTO note (body) VALUES ('kept')")
    monkeypatch.setattr(connection, "vendor", "sqlite")
    monkeypatch.setitem(connection.settings_dict, "NAME", str(database))

    backup = backup_create(storage=storage, media=False)
    with closing(sqlite3.connect(database)) as sqlite, sqlite:
        sqlite.execute("UPDATE note SET body = 'changed'")
    with pytest.raises(BackupError, match=r"the database already has tables \(1\)"):
        backup_restore(backup_id=backup.id, storage=storage)
    backup_restore(backup_id=backup.id, storage=storage, force=True)

    assert backup.file("db") == f"db-{backup.id}.sqlite3.gz"
    assert sorted(os.listdir(storage.directory)) == list(backup.files)  # nothing left behind
    with closing(sqlite3.connect(database)) as sqlite:
        assert sqlite.execute("SELECT body FROM note").fetchall() == [("kept",)]
