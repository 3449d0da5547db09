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


# Injected by Playwright before any page script, so the page's own CSP does not block it.
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def test_pages_run_under_the_content_security_policy(server, browser):
    """Home, 404, admin sign-in and (with the API) Swagger UI: no CSP violation, and they work."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page()
    page.add_init_script(WATCH_CSP)
    console = []
    page.on("console", lambda message: console.append(message.text))
    admin_login = f"/{server.environment['ADMIN_URL']}login/"
    paths = ["/", "/no-such-page/", admin_login]
    if "use_drf" in server.variant.enabled:
        paths.append("/api/docs/")

    violations = {}
    for path in paths:
        page.goto(server.url(path))
        if path == "/api/docs/":
            # Swagger UI rendered: its script, served apart, loaded the schema.
            page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
            page.screenshot(path=ARTIFACTS / f"{server.variant.id}-api-docs.png")
        page.wait_for_load_state("networkidle")
        violations[path] = page.evaluate("window.cspViolations")
        if path == admin_login:
            sign_in_form = page.locator("#login-form input[name=password]").count()

    assert {path: found for path, found in violations.items() if found} == {}
    assert [text for text in console if "Content Security Policy" in text] == []
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
