"""Suite tier: each variant's own test suite passes, coverage floor included, on real services.

Variants whose suites read the same bytes share one run (tests/sharing.py): the first to ask runs
it, the others take its result, and the summary says who shared whose.
"""

import pytest

from .checks import check_project_suite_passes
from .matrix import variant_params
from .timings import record_suite_run, record_timing

pytestmark = pytest.mark.suite


@pytest.mark.parametrize("variant", variant_params())
def test_the_variant_suite_passes(
    renders, rendered, suite_runs, variant, worker_id, record_property
):
    def run_suite():
        project = rendered(variant, synced=True)
        return check_project_suite_passes(project, variant.id, worker_id, variant.suite_environment)

    run = suite_runs.run_once(renders.suite_key(variant), variant, run_suite)

    record_suite_run(record_property, variant, run)
    if run.variant == variant.id:
        record_timing(record_property, variant, "suite", run.seconds)
    assert run.failure == "", f"the suite run of {run.variant} (key {run.key}) failed"
