"""Suite tier: each variant's own test suite passes, coverage floor included, on real services."""

import hashlib
import secrets
import time

import pytest

from .conftest import record_timing, variant_params
from .rendering import project_environment, python, run

pytestmark = pytest.mark.suite


def check_project_suite_passes(project, name, worker_id):
    """Run a synced project's own pytest against PostgreSQL; return how long it took.

    A database per `name`, per worker and per run (so that concurrent runs on one server never
    meet); pytest-django creates and drops test_<name>.
    """
    digest = hashlib.sha1(name.encode()).hexdigest()[:10]  # noqa: S324 (a name, not a secret)
    database = f"shipyard_{digest}_{worker_id}_{secrets.token_hex(3)}"
    environment = project_environment(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
    )

    started = time.perf_counter()
    result = run(
        [python(project), "-m", "pytest", "-p", "no:cacheprovider", "-q"],
        project,
        env=environment,
        timeout=1200,
    )

    assert "Required test coverage of 90" in result.stdout
    assert " passed" in result.stdout
    assert " failed" not in result.stdout
    return time.perf_counter() - started


@pytest.mark.parametrize("variant", variant_params())
def test_the_variant_suite_passes(rendered, variant, worker_id, record_property):
    project = rendered(variant, synced=True)

    seconds = check_project_suite_passes(project, variant.id, worker_id)

    record_timing(record_property, variant, "suite", seconds)
