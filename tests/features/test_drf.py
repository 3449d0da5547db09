"""use_drf: what the API brings to a render, its OpenAPI schema, and its contract under a fuzzer.

The contract test serves the project as in production (gunicorn, production settings, a fresh
PostgreSQL database); a real superuser signs in with a real access token and reads /api/schema/
(staff only in production: signed out, it is refused), and schemathesis sends generated requests,
valid and invalid, to every operation with that token. It checks that no response is a 5xx and
that every status code, content type, header and body is the one the schema documents, that
authentication is enforced where the schema says so, and that methods the schema does not list are
refused.
Its coverage phase tries every documented limit (maxLength and the like) at and beyond the
boundary; explicit cases then make sure of it: every text field of every JSON body at its
maxLength and one past it (400 `max_length`, never a 5xx), and a body one byte over
DATA_UPLOAD_MAX_MEMORY_SIZE to every operation that takes one (413 `request_too_large`).

Two of its checks are left out on purpose: positive_data_acceptance (a schema cannot say that
the old password must be the right one, or that a reset token must be genuine, so valid-looking
requests are rightly refused) and negative_data_rejection (DRF accepts 0 for a string field and
ignores a malformed page_size, as it is designed to).
"""

import json
import time
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

import pytest
import yaml

from ..browser import watch_csp
from ..checks import check_rendered_exactly_when_chosen
from ..markdown_commands import last_link_token, run_docs_page
from ..matrix import variant_params
from ..rendering import after_first_steps, python, reader_environment, run, template_tool
from ..serving import served
from ..timings import record_note

# What use_drf brings: a render without it contains none of these, a render with it all of them.
DRF_MARKERS = (
    "rest_framework",
    "djangorestframework",
    "simplejwt",
    "SIMPLE_JWT",
    "spectacular",
    "corsheaders",
    "CORS_ALLOWED_ORIGINS",
    "django_filters",
    "drf_standardized_errors",
    "API_THROTTLE_",
    "/api/",  # core serves nothing under /api/: its errors there are the HTML pages
    "/api/v1/",
    "docs/api.md",
)
DRF_FILES = {"config/integrations/drf.py", "config/tests/test_drf_settings.py", "docs/api.md"}


def is_drf_file(name):
    return name in DRF_FILES or name.split("/")[1:2] == ["api"]


@pytest.mark.fast
@pytest.mark.parametrize("variant", variant_params())
def test_the_api_is_rendered_exactly_when_chosen(rendered, variant):
    chosen = "use_drf" in variant.enabled

    own = check_rendered_exactly_when_chosen(
        rendered(variant), chosen, markers=DRF_MARKERS, files=DRF_FILES, belongs=is_drf_file
    )

    assert any(name.endswith("/api/views.py") for name in own) == chosen


@pytest.mark.fast
@pytest.mark.parametrize("variant", variant_params(with_feature="use_drf"))
def test_the_openapi_schema_generates_without_warnings(rendered, variant, tmp_path):
    project = rendered(variant, synced=True)

    schema = tmp_path / "schema.yml"
    spectacular = ["spectacular", "--validate", "--fail-on-warn", f"--file={schema}"]

    run([python(project), "manage.py", *spectacular], project)

    assert "/api/v1/auth/token/" in schema.read_text()


# --- The API's contract under a fuzzer (suite tier) ----------------------------------------------

FUZZ_USER = {"email": "fuzzer@example.com", "password": "a-fuzzing-passphrase-0123"}
# Throttling would turn most generated requests into 429s; the project's own suite tests it.
UNTHROTTLED = {f"API_THROTTLE_{scope}": "1000000/minute" for scope in ("ANON", "USER", "AUTH")}
MAX_EXAMPLES = 50  # per operation and phase; with the fixed seed, about 1,000 requests
SEED = 20261125  # a fixed seed: a failure replays exactly; change it to explore further
TIME_LIMIT = 180  # seconds: a hung run fails instead of holding the suite


def post_json(url, body):
    headers = {"Content-Type": "application/json"}
    request = Request(url, json.dumps(body).encode(), headers)  # noqa: S310 (loopback)
    with urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        return json.load(response)


def send(url, *, method="GET", data=None, headers=None, attempts=3):
    """The status and body of one request (an error status is an answer, not an exception).

    A server may answer a body over its limit (413) before it has read it all, and close: the
    client's send then breaks off, and on a loaded machine the reset can reach the client before
    the answer does. Such a request is sent again (at most `attempts` times): what is proved is
    the answer, not the race."""
    request = Request(url, data, headers or {}, method=method)  # noqa: S310 (loopback)
    for attempt in range(1, attempts + 1):
        try:
            with urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
                return response.status, response.read()
        except HTTPError as error:
            return error.code, error.read()
        except (URLError, ConnectionError) as error:
            broken = isinstance(error, ConnectionError) or isinstance(
                getattr(error, "reason", None), ConnectionError
            )
            if not broken or attempt == attempts:
                raise
            time.sleep(0.2)
    raise AssertionError(f"no answer from {url}")


def error_codes(body):
    """The (attr, code) pairs of an error answer in the API's shape."""
    return {(error["attr"], error["code"]) for error in json.loads(body)["errors"]}


def json_bodies(schema):
    """(method, path, properties, required) of every operation that takes a JSON body."""
    components = schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "{" in path or "application/json" not in content:
                continue
            body = content["application/json"]["schema"]
            body = components[body["$ref"].rpartition("/")[2]] if "$ref" in body else body
            yield method, path, body.get("properties", {}), body.get("required", [])


def text_of_length(field, length):
    """A string of exactly `length` characters, an address if the field is one."""
    if field.get("format") == "email":
        return "a" * (length - len("@example.com")) + "@example.com"
    return "x" * length


def boundary_cases(schema, upload_limit):
    """(method, path, body, expected) at and one past every limit the schema and Django set.

    `expected` is the (attr, code) the answer must hold, or None when any 4xx (or success) is
    right (at a limit, an email may still be unknown, a token forged, a password wrong).
    """
    for method, path, properties, required in json_bodies(schema):
        texts = {name: field for name, field in properties.items() if "maxLength" in field}
        filler = {name: text_of_length(texts.get(name, {}), 12) for name in required}
        for name, field in texts.items():
            limit = field["maxLength"]
            at_limit = {**filler, name: text_of_length(field, limit)}
            past_limit = {**filler, name: text_of_length(field, limit + 1)}
            yield method, path, at_limit, None
            yield method, path, past_limit, (name, "max_length")
        yield method, path, {"padding": "x" * upload_limit}, (None, "request_too_large")


def probe_limits(server, schema, access, upload_limit):
    """Send every boundary case; return how many were sent and the ones answered wrongly."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {access}"}
    cases = list(boundary_cases(schema, upload_limit))
    wrong = []
    for method, path, body, expected in cases:
        data = json.dumps(body).encode()
        status, answer = send(server.url(path), method=method.upper(), data=data, headers=headers)
        if status >= 500 or (expected and (status < 400 or expected not in error_codes(answer))):
            wrong.append((method, path, {k: len(v) for k, v in body.items()}, status, answer[:300]))
    return len(cases), wrong


def without_third_party_operations(schema):
    """The schema less the operations marked `x-third-party`: they call a service (Stripe, say)
    that is not there on loopback; their own tests in the project fake its HTTP."""
    paths = {}
    for path, item in schema["paths"].items():
        kept = {
            method: operation
            for method, operation in item.items()
            if "x-third-party" not in operation
        }
        if kept:
            paths[path] = kept
    return {**schema, "paths": paths}


# About 40 s a run: the API alone, and the API with every other feature, not every variant.
@pytest.mark.suite
@pytest.mark.parametrize("variant", variant_params(with_feature="use_drf", fewest_and_most=True))
def test_the_api_holds_its_contract_under_a_fuzzer(rendered, variant, tmp_path, record_property):
    project = rendered(variant, synced=True)
    har = tmp_path / "fuzz.har"

    with served(project, **UNTHROTTLED) as server:
        # A superuser: staff (so the user list and the schema answer too), with a verified address.
        superuser = {f"DJANGO_SUPERUSER_{key.upper()}": value for key, value in FUZZ_USER.items()}
        create = [python(project), "manage.py", "createsuperuser", "--noinput"]
        run(create, project, env={**server.environment, **superuser})
        access = post_json(server.url("/api/v1/auth/token/"), FUZZ_USER)["access"]
        signed_out, _ = send(server.url("/api/schema/"))
        status, schema_text = send(
            server.url("/api/schema/"), headers={"Authorization": f"Bearer {access}"}
        )
        assert (signed_out, status) == (403, 200)
        schema = without_third_party_operations(yaml.safe_load(schema_text))
        (tmp_path / "schema.yaml").write_text(yaml.safe_dump(schema))
        setting = "from django.conf import settings; print(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)"
        shell = [python(project), "manage.py", "shell", "-c", setting]
        upload_limit = int(run(shell, project, env=server.environment).stdout.split()[-1])
        started = time.perf_counter()
        result = run(
            [
                template_tool("schemathesis"),
                "run",
                tmp_path / "schema.yaml",
                f"--url={server.url('')}",
                f"--header=Authorization: Bearer {access}",
                "--checks=all",
                "--exclude-checks=positive_data_acceptance,negative_data_rejection",
                f"--max-examples={MAX_EXAMPLES}",
                f"--seed={SEED}",
                # One worker: schemathesis's workers are threads, and CPython 3.11 before 3.11.8
                # shares ast.parse's state between threads (gh-106905: "AST constructor
                # recursion depth mismatch" from Hypothesis describing a strategy).
                "--workers=1",
                "--report=har",
                f"--report-har-path={har}",
            ],
            tmp_path,
            check=False,
            timeout=TIME_LIMIT,
        )
        seconds = time.perf_counter() - started
        boundary_count, wrong = probe_limits(server, schema, access, upload_limit + 1)

    entries = json.loads(har.read_text())["log"]["entries"]
    server_errors = [e for e in entries if e["response"]["status"] >= 500]
    note = (
        f"the API contract fuzzer sent {len(entries)} requests in {seconds:.1f} s "
        f"({len(server_errors)} 5xx); {boundary_count} requests at and past every length and "
        f"body limit ({len(wrong)} answered wrongly)"
    )
    record_note(record_property, variant, note)
    assert result.returncode == 0, result.stdout[-20_000:] + result.stderr[-5_000:]
    assert server_errors == []
    assert wrong == []
    assert len(entries) >= 500
    tested = {(e["request"]["method"].lower(), urlsplit(e["request"]["url"]).path) for e in entries}
    operations = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert operations <= tested


# --- The API's pages: docs/api.md as written, Swagger UI in a browser (suite tier) ---------------


@pytest.mark.suite
@pytest.mark.parametrize("variant", variant_params(with_feature="use_drf", each_feature=True))
def test_api_commands_run_as_written(variant, tmp_path):
    project = after_first_steps(variant, tmp_path)

    run_docs_page(
        project,
        "docs/api.md",
        env=reader_environment(),
        placeholders={
            # FRONTEND_URL is unset: the emails link to the project's own account pages.
            "<VERIFICATION_TOKEN>": last_link_token("accounts/verify-email/"),
            "<RESET_TOKEN>": last_link_token("accounts/password-reset/confirm/"),
        },
    )


@pytest.mark.suite
@pytest.mark.parametrize("variant", variant_params(with_feature="use_drf", fewest_and_most=True))
def test_swagger_ui_works_under_the_content_security_policy(rendered, variant, browser):
    project = rendered(variant, synced=True)

    with served(project, API_DOCS_PUBLIC="true") as server:
        page = browser.new_page()
        console = watch_csp(page)
        page.goto(server.url("/api/docs/"))
        # Swagger UI rendered: its script, served apart, loaded the schema.
        page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.cspViolations")

    assert violations == []
    assert [text for text in console if "Content Security Policy" in text] == []
