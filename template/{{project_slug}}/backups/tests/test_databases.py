"""The database engines: the PostgreSQL client check, a restore into an empty database, SQLite."""

import gzip
import sqlite3
from contextlib import closing

import pytest
from django.db import connection

from ..databases import PostgreSQL, SQLite, database_engine, pg_client_version_check
from ..errors import BackupError
from ..services import backup_create


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

    engine.dump(dump)
    make_sqlite(live, ["changed"])
    assert engine.table_count() == 1
    engine.restore(engine.prepare(dump), replace=True)

    assert sqlite_notes(live) == ["first", "second"]
    assert gzip.decompress(dump.read_bytes()).startswith(b"SQLite format 3")


def test_sqlite_restores_into_a_new_file(tmp_path):
    make_sqlite(tmp_path / "db.sqlite3", ["kept"])
    dump = tmp_path / "db-20261125T030000Z.sqlite3.gz"
    SQLite(tmp_path / "db.sqlite3").dump(dump)
    fresh = SQLite(tmp_path / "fresh.sqlite3")

    assert fresh.table_count() == 0
    fresh.restore(fresh.prepare(dump), replace=False)

    assert sqlite_notes(tmp_path / "fresh.sqlite3") == ["kept"]


def test_sqlite_refuses_a_missing_database_and_an_unreadable_backup(tmp_path):
    engine = SQLite(tmp_path / "missing.sqlite3")
    with pytest.raises(BackupError, match="Could not back up"):
        engine.dump(tmp_path / "db-20261125T030000Z.sqlite3.gz")

    not_gzip = tmp_path / "db-20261125T040000Z.sqlite3.gz"
    not_gzip.write_bytes(b"plain bytes")
    with pytest.raises(BackupError, match="is not a readable SQLite backup"):
        engine.prepare(not_gzip)

    not_sqlite = tmp_path / "db-20261125T050000Z.sqlite3.gz"
    not_sqlite.write_bytes(gzip.compress(b"not a database" * 100))
    with pytest.raises(BackupError, match="is not a readable SQLite backup"):
        engine.prepare(not_sqlite)


def test_only_postgresql_and_sqlite_are_supported(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "mysql")

    with pytest.raises(BackupError, match="not mysql"):
        database_engine()
