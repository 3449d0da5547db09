import shutil

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from ...users.tests.factories import UserFactory
from ..databases import PostgreSQL
from ..files import checksum_write
from ..storage import LocalStorage

BACKUP_ID = "20261125T030000Z"


@pytest.fixture(autouse=True)
def backup_settings(settings, tmp_path):
    """Backups and media files in the test's own directory, and no bucket."""
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_S3_BUCKET = ""
    return settings


@pytest.fixture
def storage(settings):
    return LocalStorage(settings.BACKUP_DIR)


@pytest.fixture(scope="session")
def postgres_dump(tmp_path_factory, django_db_setup, django_db_blocker):
    """One real pg_dump of the test database (its tables, no users), made once per session."""
    path = tmp_path_factory.mktemp("postgres") / f"db-{BACKUP_ID}.dump"
    with django_db_blocker.unblock():
        PostgreSQL(connection).dump(path)
    return path


@pytest.fixture
def stored_dump(storage, postgres_dump):
    """That dump saved in `storage` as backup BACKUP_ID, with its checksum; returns its path."""
    storage.directory.mkdir(parents=True, exist_ok=True)
    path = storage.directory / postgres_dump.name
    shutil.copyfile(postgres_dump, path)
    checksum_write(path=path)
    return path


def database_rows():
    """Every row of the users and groups tables (and their link table), for comparison."""
    with connection.cursor() as cursor:
        rows = {}
        for table in ("users_user", "auth_group", "users_user_groups"):
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 (fixed names)
            rows[table] = cursor.fetchall()
    return rows


@pytest.fixture
def people():
    """Three users, one of them in a group."""
    users = UserFactory.create_batch(3)
    Group.objects.create(name="editors").user_set.add(users[0])
    return users


def write_files(root, files):
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def file_tree(root):
    """{relative path: bytes} of every file under `root`."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def zero_the_table_of_contents(path):
    """Damage a pg_dump custom-format header so that it says the archive holds no entries.

    pg_restore then "restores" it successfully, doing nothing. The header: "PGDMP", the format
    version (3 bytes), the integer and offset sizes and the format (1 byte each), the compression
    (a byte from format 1.15, an integer before), the creation time (7 integers), 3 strings
    (an integer length, then the text), then the number of entries. An integer is a sign byte
    and `int_size` bytes, least significant first.
    """
    data = bytearray(path.read_bytes())
    int_size = data[8]
    position = 12 if tuple(data[5:8]) >= (1, 15, 0) else 11 + 1 + int_size
    position += 7 * (1 + int_size)
    for _ in range(3):
        length = int.from_bytes(data[position + 1 : position + 1 + int_size], "little")
        position += 1 + int_size + length
    data[position : position + 1 + int_size] = bytes(1 + int_size)
    path.write_bytes(bytes(data))
