"""Reading which backups exist: the names of their files, and the backups those names make up."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from .errors import BackupError

# A backup's id is the UTC time it started; every file of that run carries it.
BACKUP_ID_FORMAT = "%Y%m%dT%H%M%SZ"
CHECKSUM_SUFFIX = ".sha256"
# db-20261125T030000Z.dump (PostgreSQL) or .sqlite3.gz (SQLite), media-20261125T030000Z.tar.gz,
# manifest-20261125T030000Z.json (what the database file holds), and each one's checksum beside
# it. Files with other names are never listed, nor deleted.
FILE_NAME = re.compile(
    r"^(?P<kind>db|media|manifest)-(?P<backup_id>\d{8}T\d{6}Z)"
    r"(?P<extension>\.dump|\.sqlite3\.gz|\.tar\.gz|\.json)(?P<checksum>\.sha256)?$"
)


@dataclass(frozen=True)
class Backup:
    """The files that one run of `backup` saved, under the id of the time it started."""

    id: str
    files: tuple[str, ...]

    @property
    def created(self):
        return datetime.strptime(self.id, BACKUP_ID_FORMAT).replace(tzinfo=UTC)

    def file(self, kind):
        """The name of this backup's `db`, `media` or `manifest` file, or None when it has none."""
        for name in self.files:
            match = FILE_NAME.match(name)
            if match and match["kind"] == kind and not match["checksum"]:
                return name
        return None

    def has_checksum(self, name):
        return name + CHECKSUM_SUFFIX in self.files


def backup_list(*, storage):
    """Every backup in `storage`, newest first."""
    files = {}
    for name in storage.names():
        match = FILE_NAME.match(name)
        if match:
            files.setdefault(match["backup_id"], []).append(name)
    return [
        Backup(id=backup_id, files=tuple(sorted(names)))
        for backup_id, names in sorted(files.items(), reverse=True)
    ]


def backup_get(*, storage, backup_id, kind=None):
    """The backup with `backup_id` in `storage`; "latest" is the newest one that has a `kind`
    ("db" or "media") file, or the newest one when `kind` is None."""
    backups = backup_list(storage=storage)
    if backup_id == "latest":
        for backup in backups:
            if kind is None or backup.file(kind):
                return backup
    for backup in backups:
        if backup.id == backup_id:
            return backup
    newest = ", ".join(backup.id for backup in backups[:5]) or "there are none"
    raise BackupError(
        f"There is no backup {backup_id!r} in {storage.location} (newest backups: {newest})."
    )
