"""The files of a backup: sha256 checksums beside them, the archive of the media files, and the
scratch directory each run works in."""

import fcntl
import hashlib
import os
import re
import shutil
import tarfile
import tempfile
import zlib
from contextlib import contextmanager
from pathlib import Path

from .errors import BackupError
from .selectors import CHECKSUM_SUFFIX

SHA256 = re.compile(r"[0-9a-f]{64}")


def private_directory(path):
    """`path`, created if need be, that only this user may read: backups hold password hashes,
    sessions and TOTP keys. A directory owned by another user is left as it is."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_uid == os.getuid():
        path.chmod(0o700)
    return path


@contextmanager
def scratch_directory(directory):
    """A new scratch directory in `directory`, locked while the block runs, then removed.

    A scratch directory whose lock nobody holds was left by a run that was killed (SIGKILL,
    a crash, a power cut): it is removed first. Running backups and restores hold theirs.
    """
    for stale in directory.glob(".work-*"):
        try:
            with _locked(stale, wait=False):
                shutil.rmtree(stale)
        except (BlockingIOError, FileNotFoundError):
            continue  # in use by a running backup or restore, or removed meanwhile
    work = Path(tempfile.mkdtemp(dir=directory, prefix=".work-"))
    with _locked(work):
        try:
            yield work
        finally:
            shutil.rmtree(work)


@contextmanager
def _locked(path, *, wait=True):
    """An exclusive lock on `path`, which the system releases when this process ends."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        yield
    finally:
        os.close(descriptor)


def checksum_path(path):
    return path.with_name(path.name + CHECKSUM_SUFFIX)


def file_sha256(path):
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def checksum_write(*, path):
    """Write `<path>.sha256` in sha256sum's format, so that `sha256sum -c` can check it too."""
    target = checksum_path(path)
    target.write_text(f"{file_sha256(path)}  {path.name}\n")
    return target


def checksum_verify(*, path, checksum_file):
    """Refuse `path` unless its sha256 is the one its checksum file records."""
    recorded = checksum_file.read_text().split(maxsplit=1)
    if not recorded or not SHA256.fullmatch(recorded[0]):
        raise BackupError(
            f"{checksum_file.name} holds no sha256 checksum; {path.name} is unverified."
        )
    if path.stat().st_size == 0:
        raise BackupError(f"{path.name} is empty: the backup was truncated.")
    actual = file_sha256(path)
    if actual != recorded[0]:
        raise BackupError(
            f"{path.name} does not match its checksum (sha256 {actual}, expected {recorded[0]}): "
            "the file is truncated or corrupt."
        )


def media_archive_create(*, source, path):
    """A gzipped tar of everything in the `source` directory, with paths relative to it."""
    with tarfile.open(path, "w:gz", compresslevel=6) as archive:
        for child in sorted(source.iterdir()):
            archive.add(child, arcname=child.name)


def media_archive_extract(*, path, destination):
    """Unpack a media archive into `destination`, refusing paths that would land outside it."""
    destination.mkdir(parents=True)
    try:
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(destination, filter="data")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise BackupError(f"{path.name} is not a readable media archive: {error}") from error


def directory_has_files(path):
    return path.is_dir() and any(path.iterdir())


def media_replace(*, source, media_root):
    """Make `media_root` hold exactly what `source` holds (whose entries are moved, not copied).

    The contents are swapped, not the directory itself, so that MEDIA_ROOT may be a mount point.
    """
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    for child in source.iterdir():
        shutil.move(child, media_root / child.name)
