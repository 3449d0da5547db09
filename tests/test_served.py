"""Suite tier: a rendered project served as in production, seen through a browser and a load test.

The project runs under gunicorn with production settings on loopback (tests/serving.py).
Playwright drives a Chromium that tests/browser.py finds (the system's, or Playwright's own).
Screenshots are kept in tests/artifacts/ for a person to look at.
"""

import csv
import json

import pytest

from .browser import watch_csp
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
    # Core's checks, and whatever a feature registered (a broker, say): all of them passed.
    checks = {name: check["status"] for name, check in status["checks"].items()}
    assert {"database", "cache", "migrations"} <= set(checks)
    assert set(checks.values()) == {"ok"}, checks


def test_pages_run_under_the_content_security_policy(server, browser):
    """Home, 404, the account sign-in page and the admin's: no CSP violation, and they work
    (features check their own pages in tests/features/)."""
    page = browser.new_page()
    console = watch_csp(page)
    admin_login = f"/{server.environment['ADMIN_URL']}login/"

    violations = {}
    for path in ["/", "/no-such-page/", "/accounts/login/", admin_login]:
        page.goto(server.url(path))
        page.wait_for_load_state("networkidle")
        violations[path] = page.evaluate("window.cspViolations")
        if path == "/accounts/login/":
            account_form = page.locator(".account-form input[name=password]").count()
        if path == admin_login:
            sign_in_form = page.locator("#login-form input[name=password]").count()

    assert {path: found for path, found in violations.items() if found} == {}
    assert [text for text in console if "Content Security Policy" in text] == []
    assert account_form == 1
    assert sign_in_form == 1


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
