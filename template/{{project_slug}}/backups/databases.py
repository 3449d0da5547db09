"""Dumping and restoring the database: pg_dump and pg_restore for PostgreSQL, SQLite's backup API.

Each engine offers the same steps: dump(path), which returns the number of tables the backup
holds; prepare(path, directory=...), which checks that a backup can be read and counts its tables,
touching nothing but its scratch directory; table_count(); and restore(prepared_path, replace=...).
"""

import gzip
import os
import re
import shutil
import sqlite3
import zlib
from contextlib import closing
from pathlib import Path

from django.db import connections

from .errors import BackupError
from .processes import process_run

# libpq reads these variables, so the password never appears on a command line.
PG_SETTINGS = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}
CLIENT_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")
# A table in `pg_restore --list`: "214; 1259 54510 TABLE public users_user owner" (not TABLE DATA).
LISTED_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )", re.MULTILINE)


def database_engine(*, using="default"):
    """The dump-and-restore engine of the database `using`."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        return PostgreSQL(connection)
    if connection.vendor == "sqlite":
        return SQLite(connection.settings_dict["NAME"])
    raise BackupError(f"Backups support PostgreSQL and SQLite databases, not {connection.vendor}.")


def pg_client_version_check(*, program, version_output, server_version):
    """Refuse a PostgreSQL client older than the server: pg_dump cannot dump a newer server.

    `version_output` is what `<program> --version` printed; `server_version` is the server's
    version number (170002 for 17.2).
    """
    match = CLIENT_VERSION.search(version_output)
    if match is None:
        raise BackupError(f"Could not read the version of {program} from {version_output!r}.")
    client, server = int(match[1]), server_version // 10_000
    if client < server:
        raise BackupError(
            f"{program} is version {client}, older than the PostgreSQL {server} server, which it "
            f"cannot back up. Install the PostgreSQL {server} client tools (on Debian and Ubuntu: "
            f"postgresql-client-{server} from apt.postgresql.org) and put them first on PATH."
        )


def client_program(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH: install the PostgreSQL client tools of the server's "
            "version or newer."
        )
    return path


class PostgreSQL:
    """Custom-format dumps (compressed, restorable table by table) made by pg_dump."""

    name = "PostgreSQL"
    extension = ".dump"

    def __init__(self, connection):
        self.connection = connection
        self.settings_dict = connection.settings_dict

    def _environment(self):
        environment = dict(os.environ)
        for key, variable in PG_SETTINGS.items():
            if self.settings_dict.get(key):
                environment[variable] = str(self.settings_dict[key])
        options = self.settings_dict.get("OPTIONS", {})
        for option, variable in PG_OPTIONS.items():
            if options.get(option):
                environment[variable] = str(options[option])
        return environment

    def _run(self, command, *, failure):
        """The standard output of `command`, which must succeed."""
        status, stdout, stderr = process_run(command, env=self._environment())
        if status != 0:
            raise BackupError(f"{failure}: {stderr.strip() or status}")
        return stdout

    def dump(self, path):
        """Dump the database into `path`; returns the number of tables the archive holds."""
        pg_dump = client_program("pg_dump")
        version = self._run([pg_dump, "--version"], failure="pg_dump --version failed")
        pg_client_version_check(
            program="pg_dump", version_output=version, server_version=self.connection.pg_version
        )
        # Owners and grants belong to the server a backup is restored on, which may have other
        # roles (a managed database, a laptop): leave them out.
        self._run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={path}",
                f"--dbname={self.settings_dict['NAME']}",
            ],
            failure="pg_dump failed",
        )
        return self.prepare(path, directory=path.parent)[1]

    def prepare(self, path, *, directory):
        """The archive itself and its number of tables, read from its table of contents."""
        listing = self._run(
            [client_program("pg_restore"), "--list", path],
            failure=f"{path.name} is not a readable PostgreSQL backup",
        )
        return path, len(LISTED_TABLE.findall(listing))

    def table_count(self):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_catalog.pg_tables"
                " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            )
            return cursor.fetchone()[0]

    def restore(self, path, *, replace):
        """Restore in one transaction: if any statement fails, the database stays as it was.

        With `replace`, the backup's tables are dropped and created again; tables the backup
        does not have are left alone. The custom format ignores pg_dump's --no-owner, so
        pg_restore is told again.
        """
        if self.connection.in_atomic_block:
            raise BackupError(
                "Cannot restore inside a database transaction: pg_restore would wait forever for "
                "the locks that transaction holds."
            )
        command = [
            client_program("pg_restore"),
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={self.settings_dict['NAME']}",
        ]
        if replace:
            command += ["--clean", "--if-exists"]
        self._run([*command, path], failure="pg_restore failed; the database is unchanged")


class SQLite:
    """Gzipped copies made with SQLite's online backup API (safe while the site is running)."""

    name = "SQLite"
    extension = ".sqlite3.gz"

    def __init__(self, database_path):
        self.database_path = Path(database_path)

    @staticmethod
    def _open_read_only(path):
        return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)

    @classmethod
    def _table_count(cls, path):
        with closing(cls._open_read_only(path)) as database:
            return database.execute(
                "SELECT count(*) FROM sqlite_master"
                " WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchone()[0]

    def dump(self, path):
        """Copy the database, gzipped, into `path`; returns the number of tables it holds."""
        copy = path.with_name(path.name.removesuffix(".gz"))
        try:
            with (
                closing(self._open_read_only(self.database_path)) as source,
                closing(sqlite3.connect(copy)) as target,
            ):
                source.backup(target)
        except sqlite3.Error as error:
            raise BackupError(f"Could not back up {self.database_path}: {error}") from error
        with copy.open("rb") as raw, gzip.open(path, "wb") as compressed:
            shutil.copyfileobj(raw, compressed)
        tables = self._table_count(copy)
        copy.unlink()
        return tables

    def prepare(self, path, *, directory):
        """The backup unpacked into `directory`, once SQLite has checked its integrity, and its
        number of tables."""
        copy = directory / path.name.removesuffix(".gz")
        try:
            with gzip.open(path, "rb") as compressed, copy.open("wb") as raw:
                shutil.copyfileobj(compressed, raw)
            with closing(self._open_read_only(copy)) as database:
                (result,) = database.execute("PRAGMA integrity_check").fetchone()
        except (OSError, EOFError, zlib.error, sqlite3.Error) as error:
            raise BackupError(f"{path.name} is not a readable SQLite backup: {error}") from error
        if result != "ok":
            raise BackupError(f"{path.name} holds a damaged SQLite database: {result}")
        return copy, self._table_count(copy)

    def table_count(self):
        return self._table_count(self.database_path) if self.database_path.exists() else 0

    def restore(self, path, *, replace):
        """Copy the prepared database over this one in one step (every table is replaced)."""
        with (
            closing(self._open_read_only(path)) as source,
            closing(sqlite3.connect(self.database_path)) as target,
        ):
            source.backup(target)
