"""Backing up, restoring and pruning: the logic behind `manage.py backup` and `manage.py restore`.

A backup is a database file and a media archive (either may be left out), each with a sha256
checksum file beside it, all named by the backup's id: the UTC time it started. With the database
comes a manifest that records how many tables it holds, so that a restore can tell an archive
that lost them from a good one.
"""

import json
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .databases import database_engine
from .errors import BackupError
from .files import (
    checksum_verify,
    checksum_write,
    directory_has_files,
    media_archive_create,
    media_archive_extract,
    media_replace,
    private_directory,
    scratch_directory,
)
from .selectors import BACKUP_ID_FORMAT, CHECKSUM_SUFFIX, Backup, backup_get, backup_list
from .storage import storage_from_settings

MEDIA_EXTENSION = ".tar.gz"


def _work_directory():
    """A scratch directory in BACKUP_DIR, removed afterwards whatever happens (and by the next
    run if this one is killed)."""
    return scratch_directory(private_directory(Path(settings.BACKUP_DIR)))


def backup_create(*, storage=None, database=True, media=True, using="default", now=None):
    """Back up the database and MEDIA_ROOT into `storage`; returns the new Backup.

    Files are written and checksummed in a scratch directory, then saved, checksums last. If
    saving fails, the files already saved are deleted again: no partial backup is left.
    """
    if not (database or media):
        raise BackupError("Nothing to back up: both the database and the media files are left out.")
    storage = storage or storage_from_settings()
    taken = {backup.id for backup in backup_list(storage=storage)}
    backup_id = (now or timezone.now()).strftime(BACKUP_ID_FORMAT)
    if backup_id in taken and now is None:
        # Ids are to the second: a backup right after another waits for the next second.
        time.sleep(1 - timezone.now().microsecond / 1_000_000)
        backup_id = timezone.now().strftime(BACKUP_ID_FORMAT)
    if backup_id in taken:
        raise BackupError(f"A backup {backup_id} already exists in {storage.location}.")
    media_root = Path(settings.MEDIA_ROOT)
    with _work_directory() as work:
        files = []
        if database:
            engine = database_engine(using=using)
            files.append(work / f"db-{backup_id}{engine.extension}")
            tables = engine.dump(files[-1])
            manifest = {"database": {"file": files[-1].name, "tables": tables}}
            files.append(work / f"manifest-{backup_id}.json")
            files[-1].write_text(json.dumps(manifest, indent=2) + "\n")
        if media and media_root.is_dir():
            files.append(work / f"media-{backup_id}{MEDIA_EXTENSION}")
            media_archive_create(source=media_root, path=files[-1])
        if not files:
            raise BackupError(
                f"Nothing to back up: the database is left out and {media_root} is missing."
            )
        files += [checksum_write(path=path) for path in files]
        for path in files:
            path.chmod(0o600)  # only this user may read them, wherever they are saved
        saved = []
        try:
            for path in files:
                storage.save(path)
                saved.append(path.name)
        except (BackupError, OSError):
            for name in reversed(saved):
                storage.delete(name)
            raise
    return Backup(id=backup_id, files=tuple(sorted(saved)))


def _fetch_verified(*, storage, backup, name, directory):
    """Fetch a backup file and its checksum file, and refuse the file unless they agree."""
    if not backup.has_checksum(name):
        raise BackupError(
            f"{name} has no checksum file ({name}{CHECKSUM_SUFFIX}), so it cannot be verified."
        )
    path = storage.fetch(name, directory)
    checksum_verify(path=path, checksum_file=storage.fetch(name + CHECKSUM_SUFFIX, directory))
    return path


def _recorded_table_count(*, storage, backup, directory):
    """The number of tables the backup's manifest recorded; None for a backup made before them."""
    name = backup.file("manifest")
    if name is None:
        return None
    path = _fetch_verified(storage=storage, backup=backup, name=name, directory=directory)
    try:
        return json.loads(path.read_text())["database"]["tables"]
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{name} is not a readable backup manifest: {error!r}") from error


def _table_count_check(*, name, found, recorded):
    """Refuse a database file whose archive lists fewer or more tables than its backup made."""
    if recorded is None and found == 0:
        raise BackupError(
            f"{name} lists no tables: its header is damaged or the database was empty. "
            "Nothing was restored."
        )
    if recorded is not None and found != recorded:
        raise BackupError(
            f"{name} lists {found} tables, but {recorded} were backed up: the archive is "
            "damaged. Nothing was restored."
        )


def backup_restore(
    *, backup_id, storage=None, database=True, media=True, force=False, using="default"
):
    """Restore a backup's database and media files; returns the names of the files restored.

    Every file is fetched, verified against its checksum and unpacked before anything is
    touched. Without `force`, a database that has tables or a MEDIA_ROOT that has files is
    refused. The database is restored in one transaction; the media files replace MEDIA_ROOT's.
    """
    if not (database or media):
        raise BackupError("Nothing to restore: both the database and the media files are left out.")
    storage = storage or storage_from_settings()
    backup = backup_get(storage=storage, backup_id=backup_id, kind="db" if database else "media")
    database_name = backup.file("db") if database else None
    media_name = backup.file("media") if media else None
    engine = database_engine(using=using) if database else None
    if database and database_name is None:
        raise BackupError(f"Backup {backup.id} has no database file (restore with --no-database).")
    if engine and not database_name.endswith(engine.extension):
        raise BackupError(f"{database_name} is not a backup of a {engine.name} database.")
    if not (database_name or media_name):
        raise BackupError(f"Backup {backup.id} has no media archive.")
    media_root = Path(settings.MEDIA_ROOT)
    with _work_directory() as work:
        prepared = staged_media = None
        if database_name:
            path = _fetch_verified(
                storage=storage, backup=backup, name=database_name, directory=work
            )
            prepared, tables = engine.prepare(path, directory=work)
            recorded = _recorded_table_count(storage=storage, backup=backup, directory=work)
            _table_count_check(name=database_name, found=tables, recorded=recorded)
        if media_name:
            path = _fetch_verified(storage=storage, backup=backup, name=media_name, directory=work)
            staged_media = work / "media"
            media_archive_extract(path=path, destination=staged_media)
        if not force:
            in_use = []
            if prepared and (existing := engine.table_count()):
                in_use.append(f"the database already has tables ({existing})")
            if staged_media and directory_has_files(media_root):
                in_use.append(f"{media_root} has files")
            if in_use:
                raise BackupError(
                    f"Not restoring backup {backup.id}: {' and '.join(in_use)}. Restore into an "
                    "empty database, or pass --force to replace them."
                )
        if prepared:
            engine.restore(prepared, replace=force)
            if (present := engine.table_count()) < tables:
                raise BackupError(
                    f"The restore of {database_name} reported success, but the database has "
                    f"{present} tables of the backup's {tables}: check it before using it."
                )
        if staged_media:
            media_replace(source=staged_media, media_root=media_root)
    return [name for name in (database_name, media_name) if name]


def backup_prune(*, storage=None, keep_last=None, keep_days=None, now=None):
    """Delete the backups that no retention rule keeps; returns them, newest first.

    A backup is kept while it is one of the newest `keep_last` or younger than `keep_days` days
    (defaults: BACKUP_KEEP_LAST and BACKUP_KEEP_DAYS). 0 turns a rule off; with both off,
    every backup is kept. The newest backup with a database file and the newest with a media
    archive are always kept.
    """
    storage = storage or storage_from_settings()
    keep_last = settings.BACKUP_KEEP_LAST if keep_last is None else keep_last
    keep_days = settings.BACKUP_KEEP_DAYS if keep_days is None else keep_days
    if keep_last < 0 or keep_days < 0:
        raise BackupError("BACKUP_KEEP_LAST and BACKUP_KEEP_DAYS must be 0 or more.")
    if not (keep_last or keep_days):
        return []
    cutoff = (now or timezone.now()) - timedelta(days=keep_days) if keep_days else None
    backups = backup_list(storage=storage)
    # A run with --no-database or --no-media must not cost the last backup of the other kind.
    newest_of_each_kind = {
        next((backup for backup in backups if backup.file(kind)), None) for kind in ("db", "media")
    }
    expired = [
        backup
        for position, backup in enumerate(backups)
        if position >= keep_last
        and (cutoff is None or backup.created < cutoff)
        and backup not in newest_of_each_kind
    ]
    for backup in expired:
        # Checksums first: a half-deleted backup is never taken for a verified one.
        for name in sorted(backup.files, key=lambda name: not name.endswith(CHECKSUM_SUFFIX)):
            storage.delete(name)
    return expired
