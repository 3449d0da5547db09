"""Retention: exactly the backups that no rule keeps are deleted, with timestamps under control."""

from datetime import UTC, datetime, timedelta

import pytest

from ..errors import BackupError
from ..selectors import BACKUP_ID_FORMAT, backup_list
from ..services import backup_prune
from .conftest import write_files

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
# One backup a day for ten days (0 is today's), each a database file, a media archive and
# their checksums.
AGES = range(10)


def backup_id(days_old):
    return (NOW - timedelta(days=days_old)).strftime(BACKUP_ID_FORMAT)


@pytest.fixture
def ten_daily_backups(storage):
    for age in AGES:
        names = [f"db-{backup_id(age)}.dump", f"media-{backup_id(age)}.tar.gz"]
        write_files(storage.directory, dict.fromkeys(names, b"x"))
        write_files(storage.directory, {f"{name}.sha256": b"x" for name in names})
    # Files that are not backups are never touched.
    write_files(storage.directory, {"README.txt": b"keep me", "db-latest.dump": b"keep me too"})
    return storage


def remaining_ages(storage):
    ids = {backup.id for backup in backup_list(storage=storage)}
    return [age for age in AGES if backup_id(age) in ids]


@pytest.mark.parametrize(
    ("keep_last", "keep_days", "kept"),
    [
        (3, 0, [0, 1, 2]),  # the newest three
        (0, 4, [0, 1, 2, 3, 4]),  # four days back, the backup exactly four days old included
        (2, 5, [0, 1, 2, 3, 4, 5]),  # either rule keeps a backup: the days rule keeps more
        (7, 2, [0, 1, 2, 3, 4, 5, 6]),  # ... and here the count rule does
        (0, 0, list(AGES)),  # no rule: nothing is deleted
        (20, 0, list(AGES)),  # fewer backups than the count
    ],
)
def test_prune_deletes_exactly_what_no_rule_keeps(ten_daily_backups, keep_last, keep_days, kept):
    storage = ten_daily_backups

    deleted = backup_prune(storage=storage, keep_last=keep_last, keep_days=keep_days, now=NOW)

    assert remaining_ages(storage) == kept
    assert [backup.id for backup in deleted] == [backup_id(age) for age in AGES if age not in kept]
    assert {"README.txt", "db-latest.dump"} <= set(storage.names())
    expected_files = 4 * len(kept) + 2
    assert len(storage.names()) == expected_files


def test_the_newest_backups_are_kept_however_old_they_are(ten_daily_backups):
    """A backup job that stopped a month ago must not lose its last backups to the days rule."""
    storage = ten_daily_backups

    backup_prune(storage=storage, keep_last=3, keep_days=2, now=NOW + timedelta(days=30))

    assert remaining_ages(storage) == [0, 1, 2]


def test_the_newest_backup_of_each_kind_is_kept(storage):
    """Nightly database backups, then media-only runs (--no-database) that outnumber them."""
    for age in (3, 4):
        write_files(
            storage.directory, {f"db-{backup_id(age)}.dump{s}": b"x" for s in ("", ".sha256")}
        )
    for age in (0, 1, 2):
        write_files(
            storage.directory, {f"media-{backup_id(age)}.tar.gz{s}": b"x" for s in ("", ".sha256")}
        )

    backup_prune(storage=storage, keep_last=1, keep_days=0, now=NOW)

    assert [backup.id for backup in backup_list(storage=storage)] == [backup_id(0), backup_id(3)]


def test_prune_follows_the_settings(ten_daily_backups, settings):
    settings.BACKUP_KEEP_LAST = 1
    settings.BACKUP_KEEP_DAYS = 0

    backup_prune(storage=ten_daily_backups, now=NOW)

    assert remaining_ages(ten_daily_backups) == [0]


def test_negative_retention_is_refused(ten_daily_backups):
    with pytest.raises(BackupError, match="must be 0 or more"):
        backup_prune(storage=ten_daily_backups, keep_last=-1, keep_days=0)

    assert remaining_ages(ten_daily_backups) == list(AGES)
