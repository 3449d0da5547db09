"""The settings modules in config/integrations/ hand base.py settings and nothing else.

base.py star-imports each of them (config/integrations/__init__.py says why and how): a helper
defined in one would land in every settings module.
"""

import importlib
import inspect
import pkgutil

import pytest

from config import integrations

MODULES = [info.name for info in pkgutil.iter_modules(integrations.__path__)]


def imported(value, module):
    """Whether `value` came from another module: a module, or a function, class or object of
    another module's making (a plain value, such as a string or a dict, is made where it is set)."""
    if inspect.ismodule(value):
        return True
    made_by = value if inspect.isclass(value) or inspect.isroutine(value) else type(value)
    return made_by.__module__ not in {module.__name__, "builtins"}


@pytest.mark.parametrize("name", MODULES)
def test_an_integration_module_gives_base_py_only_settings_and_imports(name):
    module = importlib.import_module(f"config.integrations.{name}")

    extras = [
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not name.isupper() and not imported(value, module)
    ]

    assert extras == [], "make these private (_name) or move them out of config/integrations/"


def test_base_py_imports_every_integration_module(settings):
    base = (settings.BASE_DIR / "config" / "settings" / "base.py").read_text()

    imported = {name for name in MODULES if f"from config.integrations.{name} import *" in base}

    assert imported == set(MODULES)
