"""use_drf: what the API brings to a render, its OpenAPI schema, and its contract under a fuzzer.

The contract test serves the project as in production (gunicorn, production settings, a fresh
PostgreSQL database); schemathesis reads /api/schema/ and sends generated requests, valid and
invalid, to every operation, signed in as a real superuser with a real access token. It checks
that no response is a 5xx and that every status code, content type, header and body is the one the
schema documents, that authentication is enforced where the schema says so, and that methods the
schema does not list are refused.

Two of its checks are left out on purpose: positive_data_acceptance (a schema cannot say that
the old password must be the right one, or that a reset token must be genuine, so valid-looking
requests are rightly refused) and negative_data_rejection (DRF accepts 0 for a string field and
ignores a malformed page_size, as it is designed to).
"""

import json
import time
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

import pytest
import yaml

from ..checks import rendered_files
from ..matrix import variant_params
from ..rendering import python, run, template_tool
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
    "EMAIL_VERIFICATION_",
    "FRONTEND_URL",
    "/api/v1/",
    "docs/api.md",
)
DRF_FILES = {"config/integrations/drf.py", "config/tests/test_drf_settings.py", "docs/api.md"}


def is_drf_file(name):
    return name in DRF_FILES or name.split("/")[1:2] == ["api"]


@pytest.mark.fast
@pytest.mark.parametrize("variant", variant_params())
def test_the_api_is_rendered_exactly_when_chosen(rendered, variant):
    project = rendered(variant)
    files = {
        path.relative_to(project).as_posix(): path.read_text()
        for path in rendered_files(project)
        if path.name != ".copier-answers.yml"
    }

    markers = {marker for text in files.values() for marker in DRF_MARKERS if marker in text}
    drf_files = {name for name in files if is_drf_file(name)}

    if "use_drf" in variant.enabled:
        assert markers == set(DRF_MARKERS)
        assert drf_files >= DRF_FILES
        assert any(name.endswith("/api/views.py") for name in drf_files)
    else:
        assert markers == set()
        assert drf_files == set()


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


# About 40 s a run: the API alone, and the API with every other feature, not every variant.
@pytest.mark.suite
@pytest.mark.parametrize("variant", variant_params(with_feature="use_drf", fewest_and_most=True))
def test_the_api_holds_its_contract_under_a_fuzzer(rendered, variant, tmp_path, record_property):
    project = rendered(variant, synced=True)
    har = tmp_path / "fuzz.har"

    with served(project, live_path="/api/schema/", **UNTHROTTLED) as server:
        # A superuser: staff (so the user list answers too), with a verified address.
        superuser = {f"DJANGO_SUPERUSER_{key.upper()}": value for key, value in FUZZ_USER.items()}
        create = [python(project), "manage.py", "createsuperuser", "--noinput"]
        run(create, project, env={**server.environment, **superuser})
        access = post_json(server.url("/api/v1/auth/token/"), FUZZ_USER)["access"]
        with urlopen(server.url("/api/schema/"), timeout=30) as response:  # noqa: S310 (loopback)
            schema = yaml.safe_load(response)
        started = time.perf_counter()
        result = run(
            [
                template_tool("schemathesis"),
                "run",
                server.url("/api/schema/"),
                f"--header=Authorization: Bearer {access}",
                "--checks=all",
                "--exclude-checks=positive_data_acceptance,negative_data_rejection",
                f"--max-examples={MAX_EXAMPLES}",
                f"--seed={SEED}",
                "--workers=2",
                "--report=har",
                f"--report-har-path={har}",
            ],
            tmp_path,
            check=False,
            timeout=TIME_LIMIT,
        )
        seconds = time.perf_counter() - started

    entries = json.loads(har.read_text())["log"]["entries"]
    note = f"the API contract fuzzer sent {len(entries)} requests in {seconds:.1f} s"
    record_note(record_property, variant, note)
    assert result.returncode == 0, result.stdout[-20_000:] + result.stderr[-5_000:]
    assert [e for e in entries if e["response"]["status"] >= 500] == []
    assert len(entries) >= 500
    tested = {(e["request"]["method"].lower(), urlsplit(e["request"]["url"]).path) for e in entries}
    operations = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert operations <= tested
