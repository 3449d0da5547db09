"""Serve a rendered, synced project the way production does, on loopback, for a test or a bench.

    with served(project) as server:
        urllib.request.urlopen(server.url("/health/live/"))

Production settings (DEBUG off, WhiteNoise with collected static files, gunicorn), a fresh
PostgreSQL database that is migrated first and dropped afterwards, plain HTTP on 127.0.0.1, or
HTTPS at https://localhost:PORT with `tls=(certificate, key)` (PEM files; see make_certificate).
"""

import contextlib
import secrets
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from filelock import FileLock

from .checks import feature_secrets
from .rendering import project_environment, python, run

POSTGRES = "postgres://postgres@127.0.0.1:5432"


@dataclass
class Server:
    base_url: str
    environment: dict
    database: str

    def url(self, path):
        return f"{self.base_url}{path}"


def static_files_lock(project):
    """Held while a server of `project` collects its static files and runs: a server started by a
    test on another worker would rewrite staticfiles/ under this one's WhiteNoise (seen in CI:
    files missing at start-up), so servers of one shared render take turns."""
    return FileLock(f"{project}.staticfiles.lock", timeout=900)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(project, database, **extra):
    """A realistic production environment for a project served on loopback over plain HTTP."""
    environment = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ADMIN_URL": "staff-area/",
        # Loopback has no TLS proxy in front; everything else stays as in production.
        "SECURE_SSL_REDIRECT": "false",
        # No mail server on loopback: emails are logged as one line each, never sent.
        "EMAIL_ALLOW_CONSOLE": "true",
        **feature_secrets(project),
    }
    return project_environment(**{**environment, **extra})


def psql(sql, cwd):
    run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-c", sql], cwd)


def make_certificate(directory):
    """A self-signed certificate for localhost and its key, as (certificate, key) PEM paths."""
    certificate, key = directory / "localhost.pem", directory / "localhost-key.pem"
    run(
        [
            *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"),
            *("-nodes", "-days", "2", "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", certificate),
        ],
        directory,
    )
    return certificate, key


def wait_until_live(url, process, timeout=60, context=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url, timeout=2, context=context) as response,  # noqa: S310
        ):
            if response.status == 200:
                return
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")


@contextlib.contextmanager
def fresh_database(project, prefix):
    """The name of a new PostgreSQL database, dropped when the block ends."""
    database = f"{prefix}_{secrets.token_hex(4)}"
    psql(f"CREATE DATABASE {database}", project)
    try:
        yield database
    finally:
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", project)


@contextlib.contextmanager
def server_process(project, command, environment, *, collect, live_url, log, context=None):
    """Migrate, collect static files with `collect()`, start `command` (a list) in `project`
    with `environment`, its output to the file `log`; the block starts once `live_url` answers
    200, and the server is stopped when it ends. The render's static-files lock is held from
    the collection until the server stops."""
    process = None
    with static_files_lock(project), log.open("w") as output:
        try:
            run([python(project), "manage.py", "migrate", "--noinput"], project, env=environment)
            collect()
            process = subprocess.Popen(
                command, cwd=project, env=environment, stdout=output, stderr=subprocess.STDOUT
            )
            wait_until_live(live_url, process, context=context)
            yield process
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


@contextlib.contextmanager
def served(
    project, *, workers=2, threads=1, live_path="/health/live/", tls=None, **extra_environment
):
    """Migrate a fresh database, collect static files, and run gunicorn until the block ends.

    The block starts once `live_path` answers 200.
    """
    port = free_port()
    gunicorn = [
        project / ".venv/bin/gunicorn",
        "config.wsgi",
        f"--bind=127.0.0.1:{port}",
        # Several servers may run at once: no shared control socket in ~/.gunicorn/.
        "--no-control-socket",
        f"--workers={workers}",
        f"--threads={threads}",
        "--access-logfile=-",
    ]
    if tls:
        gunicorn += [f"--certfile={tls[0]}", f"--keyfile={tls[1]}"]
    base_url = f"https://localhost:{port}" if tls else f"http://127.0.0.1:{port}"
    context = ssl.create_default_context(cafile=tls[0]) if tls else None
    with fresh_database(project, "shipyard_served") as database:
        environment = production_environment(project, database, **extra_environment)
        server = Server(base_url, environment, database)

        def collect():
            collectstatic = [python(project), "manage.py", "collectstatic", "--noinput"]
            run(collectstatic, project, env=environment)

        with server_process(
            project,
            [str(part) for part in gunicorn],
            environment,
            collect=collect,
            live_url=server.url(live_path),
            # Beside the project, not in it: the project's files stay the ones it rendered.
            log=project.parent / f"{project.name}-gunicorn-{port}.log",
            context=context,
        ):
            yield server
