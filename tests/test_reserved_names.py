"""The project_slug validator's list of reserved names covers what it claims to."""

import keyword
import re
import sys

import pytest

from .rendering import TEMPLATE_ROOT

pytestmark = pytest.mark.fast

RESERVED = set(
    re.findall(r'"([a-z_0-9]+)"', (TEMPLATE_ROOT / "includes/reserved_names.jinja").read_text())
)


def test_every_public_stdlib_module_is_reserved():
    # The slug validator already refuses capitals, so only lowercase names could clash.
    stdlib = {n for n in sys.stdlib_module_names if not n.startswith("_") and n.islower()}

    assert sorted(stdlib - RESERVED) == []


def test_keywords_and_key_packages_are_reserved():
    expected = {kw for kw in keyword.kwlist if kw.islower()} | {
        "django",
        "celery",
        "rest_framework",
        "stripe",
        "shopify",
        "environ",
        "test",
        "tests",
        "config",
    }

    assert sorted(expected - RESERVED) == []
