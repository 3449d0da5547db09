"""Checksum files and media archives, on their own."""

import hashlib
import subprocess
import tarfile

import pytest

from ..errors import BackupError
from ..files import checksum_verify, checksum_write, media_archive_create, media_archive_extract
from .conftest import file_tree, write_files


@pytest.fixture
def backup_file(tmp_path):
    path = tmp_path / "db-20261125T030000Z.dump"
    path.write_bytes(b"PGDMP and the rest of a dump")
    return path


def test_the_checksum_file_is_what_sha256sum_writes_and_checks(backup_file):
    checksum = checksum_write(path=backup_file)

    digest = hashlib.sha256(backup_file.read_bytes()).hexdigest()
    assert checksum.read_text() == f"{digest}  {backup_file.name}\n"
    result = subprocess.run(  # noqa: S603 (a fixed command)
        ["sha256sum", "--check", checksum.name],  # noqa: S607 (coreutils, on PATH)
        cwd=backup_file.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout == f"{backup_file.name}: OK\n"
    checksum_verify(path=backup_file, checksum_file=checksum)


def test_an_empty_backup_is_called_truncated(backup_file):
    checksum = checksum_write(path=backup_file)
    backup_file.write_bytes(b"")

    with pytest.raises(BackupError, match="is empty: the backup was truncated"):
        checksum_verify(path=backup_file, checksum_file=checksum)


@pytest.mark.parametrize("content", ["", "not-a-checksum  db.dump\n", "ABC"])
def test_a_checksum_file_without_a_checksum_is_refused(backup_file, content):
    checksum = backup_file.with_name(f"{backup_file.name}.sha256")
    checksum.write_text(content)

    with pytest.raises(BackupError, match="holds no sha256 checksum"):
        checksum_verify(path=backup_file, checksum_file=checksum)


def test_media_archives_refuse_paths_outside_the_media_root(tmp_path):
    """An archive made elsewhere cannot write outside the directory it is unpacked in."""
    outside = tmp_path / "outside"
    write_files(outside, {"evil.txt": b"evil"})
    archive = tmp_path / "media-20261125T030000Z.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(outside / "evil.txt", arcname="../evil.txt")

    with pytest.raises(BackupError, match="is not a readable media archive"):
        media_archive_extract(path=archive, destination=tmp_path / "unpacked")

    assert not (tmp_path / "evil.txt").exists()


def test_media_archive_round_trip(tmp_path):
    files = {"a.txt": b"a", "nested/deeper/b.bin": bytes(range(256))}
    write_files(tmp_path / "media", files)
    archive = tmp_path / "media-20261125T030000Z.tar.gz"

    media_archive_create(source=tmp_path / "media", path=archive)
    media_archive_extract(path=archive, destination=tmp_path / "unpacked")

    assert file_tree(tmp_path / "unpacked") == files
