"""A settings refusal stops every entry point with one line on stderr, not a traceback."""

import os
import subprocess
import sys

import pytest
from django.conf import LazySettings, settings
from django.core.exceptions import ImproperlyConfigured

from config import startup

REFUSAL = "Production settings need these environment variables: SECRET_KEY, ADMIN_URL"


def production_without(*names):
    """Production settings with `names` empty (so that a developer's .env cannot fill them in)."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    environment.update(
        DATABASE_URL="postgres://app:secret@db.internal:5432/app",
        ALLOWED_HOSTS="example.com",
    )
    return environment | dict.fromkeys(names, "")


def run(*command):
    return subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, *command],
        cwd=settings.BASE_DIR,
        env=production_without("SECRET_KEY", "ADMIN_URL"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def refuse():
    raise ImproperlyConfigured("Production settings need these environment variables: X.")


def test_a_refusal_to_load_the_settings_exits_with_its_message(monkeypatch, capsys):
    monkeypatch.setattr(startup, "settings", LazySettings())  # not loaded yet

    with pytest.raises(SystemExit) as exit_:
        startup.start(refuse)

    assert exit_.value.code == startup.EXIT_STATUS
    assert capsys.readouterr().err == "Production settings need these environment variables: X.\n"


def test_other_configuration_errors_keep_their_traceback():
    with pytest.raises(ImproperlyConfigured):
        startup.start(refuse)


def one_line_refusal(stderr):
    """Whether `stderr` is the refusal alone, in one line (features may name more variables)."""
    lines = stderr.splitlines()
    return len(lines) == 1 and lines[0].startswith(REFUSAL) and lines[0].endswith(".env.example).")


def test_manage_py_says_what_is_missing_in_one_line():
    result = run("manage.py", "check")

    assert result.returncode != 0
    assert one_line_refusal(result.stderr), result.stderr


def test_gunicorn_stops_with_one_line_instead_of_a_traceback_per_worker():
    result = run("-m", "gunicorn", "config.wsgi", "--bind", "127.0.0.1:0", "--workers", "3")

    assert result.returncode != 0
    assert one_line_refusal(result.stderr), result.stderr
