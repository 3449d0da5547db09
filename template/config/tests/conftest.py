import importlib
import sys

import pytest
from django.conf import settings


def documented_variables():
    """The variable names .env.example lists: everything the settings may read."""
    lines = (settings.BASE_DIR / ".env.example").read_text().splitlines()
    return [line.split("=", 1)[0] for line in lines if line and not line.startswith("#")]


@pytest.fixture
def load_settings(monkeypatch):
    """Import a settings module afresh under exactly the given environment variables.

    Returns the module; the original modules and environment come back after the test.
    """

    def load(name, **environ):
        for variable in documented_variables():
            monkeypatch.delenv(variable, raising=False)
        for variable, value in environ.items():
            monkeypatch.setenv(variable, value)
        for module in list(sys.modules):
            if module.startswith(("config.settings.", "config.integrations.")):
                monkeypatch.delitem(sys.modules, module)
        return importlib.import_module(f"config.settings.{name}")

    return load


PRODUCTION_ENVIRONMENT = {
    "DATABASE_URL": "postgres://app:secret@db.internal:5432/app",
    "SECRET_KEY": "pr0duction-k3y-with-enough-entropy-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "example.com,www.example.com",
    "ADMIN_URL": "staff-area/",
    "EMAIL_URL": "smtp+tls://app:secret@smtp.example.com:587",
}


@pytest.fixture
def production_environment():
    return dict(PRODUCTION_ENVIRONMENT)
