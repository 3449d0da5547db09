"""The database engines: the PostgreSQL client check, a restore into an empty database, SQLite."""

import gzip
import secrets
import sqlite3
from contextlib import closing

import pytest
from django.db import connection

from ..databases import PostgreSQL, SQLite, database_engine, pg_client_version_check
from ..errors import BackupError
from ..services import backup_create, backup_restore


@pytest.mark.parametrize(
    ("client", "server"),
    [
        ("pg_dump (PostgreSQL) 17.2", 170002),
        ("pg_dump (PostgreSQL) 17.0 (Ubuntu 17.0-1.pgdg24.04+1)", 170005),
        ("pg_dump (PostgreSQL) 18beta1", 170002),
        ("pg_dump (PostgreSQL) 17.2", 150020),
    ],
)
def test_a_client_as_new_as_the_server_or_newer_is_accepted(client, server):
    pg_client_version_check(program="pg_dump", version_output=client, server_version=server)


def test_a_client_older_than_the_server_is_refused():
    with pytest.raises(BackupError, match="pg_dump is version 15, older than the PostgreSQL 17"):
        pg_client_version_check(
            program="pg_dump",
            version_output="pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)",
            server_version=170002,
        )


def test_an_unreadable_client_version_is_refused():
    with pytest.raises(BackupError, match="Could not read the version of pg_dump"):
        pg_client_version_check(program="pg_dump", version_output="oops", server_version=170002)


@pytest.mark.django_db
def test_backup_refuses_an_older_pg_dump_and_leaves_nothing_behind(
    storage, settings, tmp_path, monkeypatch
):
    """The real server, and a pg_dump on PATH that says it is a release older than it."""
    older = connection.pg_version // 10_000 - 1
    fake = tmp_path / "bin" / "pg_dump"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\necho 'pg_dump (PostgreSQL) {older}.4'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))

    with pytest.raises(BackupError, match=f"pg_dump is version {older}, older than"):
        backup_create(storage=storage, media=False)

    assert storage.names() == []
    assert list(settings.BACKUP_DIR.iterdir()) == []


def test_a_missing_pg_dump_is_named(storage, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(BackupError, match="pg_dump was not found on PATH"):
        PostgreSQL(connection).dump(tmp_path / "db.dump")


@pytest.fixture
def vanishing_role():
    """A role that exists while a backup is made, and is dropped by the test before restoring."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"
        )
        if not cursor.fetchone()[0]:
            pytest.skip("the test database's user may not create roles")
        role = f"backup_test_{secrets.token_hex(4)}"
        cursor.execute(f"CREATE ROLE {role}")
    yield role
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {role}")


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_where_its_owner_and_grantees_do_not_exist(storage, vanishing_role):
    """As on a managed database or a laptop: the roles of the server it came from are not there."""
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE django_session OWNER TO {vanishing_role}")
        cursor.execute(f"GRANT SELECT ON django_session TO {vanishing_role}")
    backup = backup_create(storage=storage, media=False)
    with connection.cursor() as cursor:
        cursor.execute(f"REVOKE ALL ON django_session FROM {vanishing_role}")
        cursor.execute("ALTER TABLE django_session OWNER TO CURRENT_USER")
        cursor.execute(f"DROP ROLE {vanishing_role}")

    backup_restore(backup_id=backup.id, storage=storage, force=True)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableowner = current_user FROM pg_tables WHERE tablename = %s",
            ["django_session"],
        )
        assert cursor.fetchone() == (True,)


def make_sqlite(path, notes):
    with closing(sqlite3.connect(path)) as database, database:
        database.execute("CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, body TEXT)")
        database.execute("DELETE FROM note")
        database.executemany("INSERT INTO note (body) VALUES (?)", [(n,) for n in notes])


def sqlite_notes(path):
    with closing(sqlite3.connect(path)) as database:
        return [body for (body,) in database.execute("SELECT body FROM note ORDER BY id")]


def test_sqlite_round_trip_with_the_online_backup_api(tmp_path):
    live = tmp_path / "db.sqlite3"
    make_sqlite(live, ["first", "second"])
    engine = SQLite(live)
    dump = tmp_path / "db-20261125T030000Z.sqlite3.gz"

    assert engine.dump(dump) == 1
    make_sqlite(live, ["changed"])
    assert engine.table_count() == 1
    prepared, tables = engine.prepare(dump, directory=tmp_path)
    engine.restore(prepared, replace=True)

    assert tables == 1
    assert sqlite_notes(live) == ["first", "second"]
    assert gzip.decompress(dump.read_bytes()).startswith(b"SQLite format 3")


def test_sqlite_restores_into_a_new_file(tmp_path):
    make_sqlite(tmp_path / "db.sqlite3", ["kept"])
    dump = tmp_path / "db-20261125T030000Z.sqlite3.gz"
    SQLite(tmp_path / "db.sqlite3").dump(dump)
    fresh = SQLite(tmp_path / "fresh.sqlite3")

    assert fresh.table_count() == 0
    prepared, tables = fresh.prepare(dump, directory=tmp_path)
    fresh.restore(prepared, replace=False)

    assert tables == 1
    assert sqlite_notes(tmp_path / "fresh.sqlite3") == ["kept"]


def test_sqlite_refuses_a_missing_database_and_an_unreadable_backup(tmp_path):
    engine = SQLite(tmp_path / "missing.sqlite3")
    with pytest.raises(BackupError, match="Could not back up"):
        engine.dump(tmp_path / "db-20261125T030000Z.sqlite3.gz")

    not_gzip = tmp_path / "db-20261125T040000Z.sqlite3.gz"
    not_gzip.write_bytes(b"plain bytes")
    with pytest.raises(BackupError, match="is not a readable SQLite backup"):
        engine.prepare(not_gzip, directory=tmp_path)

    not_sqlite = tmp_path / "db-20261125T050000Z.sqlite3.gz"
    not_sqlite.write_bytes(gzip.compress(b"not a database" * 100))
    with pytest.raises(BackupError, match="is not a readable SQLite backup"):
        engine.prepare(not_sqlite, directory=tmp_path)


def test_only_postgresql_and_sqlite_are_supported(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "mysql")

    with pytest.raises(BackupError, match="not mysql"):
        database_engine()
