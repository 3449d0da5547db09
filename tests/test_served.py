"""Suite tier: a rendered project served as in production, seen through a browser and a load test.

The project runs under gunicorn with production settings on loopback (tests/serving.py).
Playwright drives a Chromium that tests/browser.py finds (the system's, or Playwright's own).
Screenshots are kept in tests/artifacts/ for a person to look at.
"""

import csv
import json

import pytest
from playwright.sync_api import sync_playwright

from . import browser as chromium
from .rendering import TEMPLATE_ROOT, project_environment, run, uv_binary
from .serving import served
from .variants import DEFAULT, LARGEST

pytestmark = pytest.mark.suite

ARTIFACTS = TEMPLATE_ROOT / "tests" / "artifacts"
SERVED_VARIANTS = list(dict.fromkeys([DEFAULT, LARGEST]))


@pytest.fixture(
    scope="module",
    params=[pytest.param(v, id=v.id, marks=pytest.mark.xdist_group(v.id)) for v in SERVED_VARIANTS],
)
def server(request, renders):
    project = renders.synced(request.param)
    with served(project) as running:
        running.project = project
        running.variant = request.param
        yield running


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        executable = chromium.find_chromium(playwright.chromium.executable_path)
        if executable is None:
            pytest.fail(chromium.HOW_TO_INSTALL, pytrace=False)
        launched = playwright.chromium.launch(executable_path=executable, args=chromium.FLAGS)
        yield launched
        launched.close()


def test_a_person_sees_the_404_page_and_the_readiness_status(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page()

    missing = page.goto(server.url("/no-such-page/"))
    page.screenshot(path=ARTIFACTS / f"{server.variant.id}-404.png", full_page=True)
    heading = page.locator("h1").inner_text()
    title = page.title()
    # The base look arrived: WhiteNoise served the hashed stylesheet the page links to.
    header_background = page.locator(".site-header").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    ready = page.goto(server.url("/health/ready/"))
    page.screenshot(path=ARTIFACTS / f"{server.variant.id}-ready.png")
    status = json.loads(page.locator("body").inner_text())

    assert missing.status == 404
    assert heading == "Page not found"
    assert title.startswith("Page not found")
    assert header_background == "rgb(246, 247, 249)"
    assert ready.status == 200
    assert status["status"] == "ok"
    assert {name: check["status"] for name, check in status["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "migrations": "ok",
    }


def test_the_load_test_runs_without_a_failure(server, tmp_path):
    locust = [uv_binary(), "run", "--quiet", "--group", "loadtest", "locust"]
    options = ["--users", "10", "--spawn-rate", "10", "--run-time", "8s", "--only-summary"]
    target = ["-f", "loadtests/locustfile.py", "--host", server.base_url, "--headless"]
    report = ["--csv", tmp_path / "load", "--exit-code-on-error", "1"]
    run(
        [*locust, *target, *options, *report],
        server.project,
        env=project_environment(LOADTEST_ADMIN_URL=server.environment["ADMIN_URL"]),
        timeout=300,
    )

    with (tmp_path / "load_stats.csv").open() as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = rows["Aggregated"]
    assert int(total["Request Count"]) > 20
    assert int(total["Failure Count"]) == 0
    # Locust picks tasks at random: only the frequent ones are sure to appear in a short run.
    assert {"/", "/health/live/"} <= set(rows)
