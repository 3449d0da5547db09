"""The commands as an operator runs them: `manage.py backup` and `restore`, and the scripts."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from .conftest import write_files


def run_command(*args):
    output = io.StringIO()
    call_command(*args, stdout=output)
    return output.getvalue()


@pytest.mark.django_db
def test_backup_then_list(settings):
    backed_up = run_command("backup")
    backup_id = backed_up.split()[1]
    listed = run_command("restore", "--list")

    assert backed_up == (
        f"Backup {backup_id} saved in {settings.BACKUP_DIR}:\n"
        f"  db-{backup_id}.dump\n"
        f"  db-{backup_id}.dump.sha256\n"
        f"  manifest-{backup_id}.json\n"
        f"  manifest-{backup_id}.json.sha256\n"
        f"No media files: {settings.MEDIA_ROOT} does not exist.\n"
    )
    assert listed == f"{backup_id}  db-{backup_id}.dump\n"


def test_restore_the_media_files_of_the_latest_backup(settings):
    write_files(settings.MEDIA_ROOT, {"notes.txt": b"notes"})
    backup_id = run_command("backup", "--no-database").split()[1]
    write_files(settings.MEDIA_ROOT, {"notes.txt": b"edited"})

    with pytest.raises(CommandError, match="Restore failed: Not restoring backup"):
        run_command("restore", "latest", "--no-database")
    restored = run_command("restore", "latest", "--no-database", "--force")

    assert restored == f"Restored from {settings.BACKUP_DIR}: media-{backup_id}.tar.gz.\n"
    assert (settings.MEDIA_ROOT / "notes.txt").read_bytes() == b"notes"


OLD_BACKUP = {"media-20200101T000000Z.tar.gz": b"x", "media-20200101T000000Z.tar.gz.sha256": b"x"}


@pytest.fixture
def an_old_backup(settings):
    write_files(settings.MEDIA_ROOT, {"notes.txt": b"notes"})
    write_files(settings.BACKUP_DIR, OLD_BACKUP)
    settings.BACKUP_KEEP_LAST = 1
    settings.BACKUP_KEEP_DAYS = 0


@pytest.mark.usefixtures("an_old_backup")
def test_backup_applies_retention_and_says_so(settings):
    output = run_command("backup", "--no-database")

    assert output.endswith("Deleted backup 20200101T000000Z (older than retention keeps).\n")
    assert not set(OLD_BACKUP) & set(os.listdir(settings.BACKUP_DIR))


@pytest.mark.usefixtures("an_old_backup")
def test_backup_can_leave_retention_for_later(settings):
    output = run_command("backup", "--no-database", "--no-prune")

    assert "Deleted" not in output
    assert set(OLD_BACKUP) <= set(os.listdir(settings.BACKUP_DIR))


@pytest.mark.usefixtures("an_old_backup")
def test_a_pruning_failure_is_reported_after_the_backup_is_saved(settings):
    settings.BACKUP_KEEP_LAST = -1

    with pytest.raises(CommandError, match="The backup is saved, but pruning failed"):
        run_command("backup", "--no-database")

    assert len(os.listdir(settings.BACKUP_DIR)) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["backup", "--no-database", "--no-media"], "Backup failed: Nothing to back up"),
        (["restore"], 'Name the backup to restore, or "latest"'),
        (["restore", "20200101T000000Z"], "Restore failed: There is no backup '20200101T000000Z'"),
    ],
)
def test_command_errors_say_what_is_wrong(args, message):
    with pytest.raises(CommandError, match=message):
        run_command(*args)


def test_listing_no_backups(settings):
    assert run_command("restore", "--list") == f"No backups in {settings.BACKUP_DIR}.\n"


SCRIPTS = [("backup.sh", "backup"), ("restore.sh", "restore")]


@pytest.mark.parametrize(("script", "command"), SCRIPTS)
def test_the_scripts_run_their_command_from_the_project_directory(tmp_path, script, command):
    """Cron and platform jobs start the scripts from anywhere; the command's exit code is theirs.

    A stand-in `python` records how it was called (the commands themselves are tested above).
    """
    fake_python = tmp_path / "python"
    fake_python.write_text('#!/bin/sh\necho "$PWD $*"\nexit 3\n')
    fake_python.chmod(0o755)

    result = subprocess.run(  # noqa: S603 (the project's own script)
        [django_settings.BASE_DIR / "scripts" / script, "latest", "--force"],
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.stdout == f"{django_settings.BASE_DIR} manage.py {command} latest --force\n"
    assert result.returncode == 3


def database_url():
    """The test database's URL, for a command run in another process."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="") + (
        f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    )
    return f"postgres://{user}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until(condition, *, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def processes_mentioning(text):
    """The command lines of the running processes that contain `text`."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            arguments = cmdline.read_bytes()
        except OSError:
            continue  # the process has ended
        if text.encode() in arguments:
            found.append(arguments.replace(b"\0", b" ").decode())
    return found


def pg_dump_is_waiting():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = %s::regclass",
            ["django_session"],
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db
def test_sigterm_stops_the_backup_with_its_pg_dump_and_scratch_files(settings):
    """As `kill`, `docker stop` or a job scheduler's timeout does while pg_dump runs."""
    with connection.cursor() as cursor:  # pg_dump waits for this lock until the test ends
        cursor.execute("LOCK TABLE django_session IN ACCESS EXCLUSIVE MODE")
    command = subprocess.Popen(
        [sys.executable, "manage.py", "backup", "--no-media"],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url(), "BACKUP_DIR": str(settings.BACKUP_DIR)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_until(pg_dump_is_waiting)

    command.send_signal(signal.SIGTERM)
    _, errors = command.communicate(timeout=30)

    assert errors.strip().endswith("Backup failed: interrupted by SIGTERM")
    assert command.returncode == 1
    assert processes_mentioning(str(settings.BACKUP_DIR)) == []  # no pg_dump left running
    assert os.listdir(settings.BACKUP_DIR) == []  # no scratch files, no partial backup
