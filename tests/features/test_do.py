"""use_do_app_platform: the App Platform app spec, its Deploy button template and the deploy
workflow, proven statically: the strict JSON Schema (tests/schemas/), the components, jobs,
databases and variables the project needs, the environment production gets from the spec, and the
spec's own commands (build and run) on this machine."""

import json
import re
import shlex

import pytest
import yaml

from ..checks import rendered_files
from ..matrix import variant_params
from ..rendering import TEMPLATE_ROOT, render, run, template_tool
from ..variants import LARGEST
from .deployment import (
    OPERATOR_VALUES,
    background_jobs,
    check_production_settings_accept,
    dockerfile_stages,
    get,
    get_ready,
    operator_values,
    production_required_variables,
    run_build_command,
    serving,
)

SCHEMA = TEMPLATE_ROOT / "tests" / "schemas" / "do-app-spec.schema.json"
DO_FILES = {".do/app.yaml", ".do/deploy.template.yaml", ".github/workflows/deploy.yml"}
# What the buildpack needs when there is no Dockerfile.
BUILDPACK_FILES = {"Aptfile", ".python-version"}
# What App Platform puts in its own ${...} references, as it would at run time.
BINDABLES = {
    "APP_DOMAIN": "shipyard-demo-x7k2p.ondigitalocean.app",
    "APP_URL": "https://shipyard-demo-x7k2p.ondigitalocean.app",
    "db.DATABASE_URL": "postgresql://shipyard:secret@db-postgresql-fra1-1.db.ondigitalocean.com:25060/shipyard?sslmode=require",
    "cache.DATABASE_URL": "rediss://default:secret@cache-valkey-fra1-1.db.ondigitalocean.com:25061",
}
# Variables whose values are credentials: in an app spec they must be SECRET.
SECRET_NAMES = re.compile(r"SECRET|PASSWORD|TOKEN|_KEY|DSN|^EMAIL_URL$|^ADMIN_URL$")
do_variants = variant_params(with_feature="use_do_app_platform")


def app_spec(project):
    return yaml.safe_load((project / ".do" / "app.yaml").read_text())


def button_spec(project):
    return yaml.safe_load((project / ".do" / "deploy.template.yaml").read_text())["spec"]


def components(spec):
    return [*spec.get("services", []), *spec.get("workers", []), *spec.get("jobs", [])]


def by_name(items):
    return {item["name"]: item for item in items}


def environment_of(spec, component):
    """The variables a component runs with: the app's, then its own."""
    return {env["key"]: env for env in [*spec.get("envs", []), *component.get("envs", [])]}


def resolved(value, secrets=OPERATOR_VALUES):
    """A spec value with the platform's bindables and the deploy workflow's secrets filled in."""

    def fill(match):
        name = match[1]
        return BINDABLES[name] if name in BINDABLES else secrets[name]

    return re.sub(r"\$\{([\w.]+)\}", fill, value)


@pytest.mark.fast
@pytest.mark.parametrize("variant", variant_params())
def test_app_platform_files_are_rendered_exactly_when_chosen(rendered, variant):
    project = rendered(variant)
    names = {path.relative_to(project).as_posix() for path in rendered_files(project)}
    chosen = "use_do_app_platform" in variant.enabled
    buildpack = chosen and "use_docker" not in variant.enabled

    assert (DO_FILES & names) == (DO_FILES if chosen else set())
    assert (BUILDPACK_FILES & names) == (BUILDPACK_FILES if buildpack else set())


@pytest.mark.fast
@pytest.mark.parametrize("variant", do_variants)
def test_the_app_spec_and_the_button_template_pass_the_strict_schema(rendered, variant, tmp_path):
    project = rendered(variant)
    (tmp_path / "button-spec.json").write_text(json.dumps(button_spec(project)))

    validate = [template_tool("check-jsonschema"), "--schemafile", SCHEMA]
    result = run(
        [*validate, project / ".do" / "app.yaml", tmp_path / "button-spec.json"],
        project,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.fast
@pytest.mark.parametrize("variant", do_variants)
def test_the_button_deploys_what_the_app_spec_describes(rendered, variant):
    """The two specs differ only in their source and in the secrets' values (the Deploy page
    asks for them); the README's button points at the template's repository."""
    project = rendered(variant)
    readme = (project / "README.md").read_text()

    def normalised(spec):
        text = json.dumps(spec)
        spec = json.loads(text)
        for component in components(spec):
            component.pop("git", None)
            component.pop("github", None)
        for env in [*spec["envs"], *(e for c in components(spec) for e in c.get("envs", []))]:
            if env.get("type") == "SECRET" or env["key"] == "BACKUP_S3_BUCKET":
                env.pop("value", None)
        return spec

    clone_urls = {c["git"]["repo_clone_url"] for c in components(button_spec(project))}
    (clone_url,) = clone_urls
    button = re.search(
        r"https://cloud\.digitalocean\.com/apps/new\?repo=(\S+?)/tree/main\)", readme
    )

    assert normalised(app_spec(project)) == normalised(button_spec(project))
    assert all(
        env.get("value") is None
        for env in button_spec(project)["envs"]
        if env.get("type") == "SECRET"
    )
    assert button, "README.md has the Deploy to DigitalOcean button"
    assert f"{button[1]}.git" == clone_url
    assert "YOUR-GITHUB-ACCOUNT" in readme.split("apps/new?repo=", 1)[1].split("## ", 1)[0]


@pytest.mark.fast
@pytest.mark.parametrize("variant", do_variants)
def test_the_spec_has_every_component_job_database_check_and_alert_the_project_needs(
    rendered, variant
):
    spec = app_spec(rendered(variant))
    services, jobs = by_name(spec["services"]), by_name(spec["jobs"])
    web = services["web"]
    databases = {database["name"]: database for database in spec["databases"]}
    environment = environment_of(spec, web)

    assert web["health_check"]["http_path"] == "/health/ready/"
    assert web["liveness_health_check"]["http_path"] == "/health/live/"
    assert {
        "rule": "CPU_UTILIZATION",
        "operator": "GREATER_THAN",
        "value": 80,
        "window": "FIVE_MINUTES",
    } in web["alerts"]
    assert {"rule": "DEPLOYMENT_FAILED"} in spec["alerts"]
    assert jobs["migrate"]["kind"] == "PRE_DEPLOY"
    assert "manage.py migrate --noinput" in jobs["migrate"]["run_command"]
    assert jobs["backup"]["kind"] == "SCHEDULED"
    assert jobs["backup"]["schedule"]["cron"]
    assert "scripts/backup.sh --no-media" in jobs["backup"]["run_command"]
    assert (databases["db"]["engine"], databases["cache"]["engine"]) == ("PG", "VALKEY")
    assert environment["DATABASE_URL"]["value"] == "${db.DATABASE_URL}"
    assert environment["REDIS_URL"]["value"] == "${cache.DATABASE_URL}"
    assert environment["CLIENT_IP_HEADER"]["value"] == "DO-Connecting-IP"
    assert environment["ALLOWED_HOSTS"]["value"].startswith("${APP_DOMAIN},")
    assert environment["CSRF_TRUSTED_ORIGINS"]["value"].startswith("${APP_URL},")
    # Celery's worker and beat run beside web (exactly one beat), on the broker the project uses.
    workers = by_name(spec.get("workers", []))
    jobs_of_the_project = background_jobs(rendered(variant)) - {"rabbitmq"}
    assert set(workers) == jobs_of_the_project
    for process, worker in workers.items():
        assert worker["run_command"].startswith(f"celery -A config {process}")
    if workers:
        assert workers["beat"]["instance_count"] == 1
        broker = environment["CELERY_BROKER_URL"]
        if "rabbitmq" in background_jobs(rendered(variant)):
            assert broker["type"] == "SECRET"
        else:
            assert broker["value"] == "${cache.DATABASE_URL}/1?ssl_cert_reqs=required"
    # Every component is built the same way: the Dockerfile, or the buildpack.
    builds = {(c.get("dockerfile_path"), c.get("environment_slug")) for c in components(spec)}
    docker = "use_docker" in variant.enabled
    assert builds == {("Dockerfile", None) if docker else (None, "python")}


@pytest.mark.fast
@pytest.mark.parametrize("variant", do_variants)
def test_secrets_are_secret_and_nothing_the_build_needs_comes_from_them(rendered, variant):
    spec = app_spec(rendered(variant))
    envs = [*spec["envs"], *(env for c in components(spec) for env in c.get("envs", []))]

    not_secret = [
        env["key"]
        for env in envs
        if SECRET_NAMES.search(env["key"]) and env.get("type") != "SECRET"
    ]
    # Secrets and bindables (databases, the app's domain) exist at run time only.
    at_build = [
        env["key"]
        for env in envs
        if (env.get("type") == "SECRET" or "${" in env.get("value", ""))
        and env.get("scope") != "RUN_TIME"
    ]

    assert not_secret == []
    assert at_build == []


@pytest.mark.fast
@pytest.mark.parametrize("variant", do_variants)
def test_the_spec_gives_production_every_variable_it_requires(rendered, variant):
    project = rendered(variant, synced=True)
    spec = app_spec(project)

    environments = {}
    for component in components(spec):
        environment = {
            key: resolved(env["value"], operator_values(project))
            for key, env in environment_of(spec, component).items()
        }
        assert production_required_variables(project) <= set(environment), component["name"]
        environments.setdefault(tuple(sorted(environment.items())), environment)

    # One Django start-up per distinct environment: components that run with the same variables
    # (the web service, the workers and the jobs mostly do) start the same settings.
    for environment in environments.values():
        check_production_settings_accept(project, environment)


@pytest.mark.fast
@pytest.mark.parametrize("variant", do_variants)
def test_the_deploy_workflow_runs_after_ci_and_gives_the_spec_every_secret(rendered, variant):
    project = rendered(variant)
    workflows = project / ".github" / "workflows"
    deploy = yaml.safe_load((workflows / "deploy.yml").read_text())
    ci = yaml.safe_load((workflows / "ci.yml").read_text())
    trigger = deploy[True]["workflow_run"]  # YAML 1.1 reads the key `on` as True
    (job,) = deploy["jobs"].values()
    (step,) = [s for s in job["steps"] if s.get("uses", "").startswith("digitalocean/app_action/")]
    # app_action fills ${NAME} from its environment, and leaves the platform's own references.
    referenced = set(re.findall(r"\$\{(\w+)\}", (project / ".do" / "app.yaml").read_text()))

    assert trigger == {"workflows": [ci["name"]], "types": ["completed"], "branches": ["main"]}
    assert "conclusion == 'success'" in job["if"]
    assert step["uses"] == "digitalocean/app_action/deploy@v2"
    token = step["with"]["token"]
    assert token == "${{ secrets.DIGITALOCEAN_ACCESS_TOKEN }}"  # noqa: S105 (a reference)
    # GITHUB_REPOSITORY is set on every runner; APP_DOMAIN and APP_URL are App Platform's.
    assert referenced - {"GITHUB_REPOSITORY", "APP_DOMAIN", "APP_URL"} == set(step["env"])
    assert all(value == f"${{{{ secrets.{name} }}}}" for name, value in step["env"].items())


@pytest.mark.fast
@pytest.mark.parametrize("variant", do_variants)
def test_the_backup_job_has_a_pg_dump_of_the_managed_databases_version(rendered, variant):
    project = rendered(variant)
    spec = app_spec(project)
    (database,) = [d for d in spec["databases"] if d["engine"] == "PG"]
    backup = by_name(spec["jobs"])["backup"]
    ci = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())
    ci_server = ci["jobs"]["test"]["services"]["postgres"]["image"]

    if "use_docker" in variant.enabled:
        # The Dockerfile's Debian package (tests/features/test_docker.py proves it is that
        # release's PostgreSQL).
        installed = re.findall(r"postgresql-client-(\d+)", (project / "Dockerfile").read_text())
        on_path = installed
    else:
        aptfile = (project / "Aptfile").read_text()
        installed = re.findall(r"^postgresql-client-(\d+)$", aptfile, re.M)
        # The apt buildpack unpacks packages under its layer; the job puts that version first.
        on_path = re.findall(r"/usr/lib/postgresql/(\d+)/bin:\$PATH", backup["run_command"])
        assert re.search(
            r"^:repo:deb .*https://apt\.postgresql\.org/pub/repos/apt jammy-pgdg main$",
            aptfile,
            re.M,
        )

    assert set(installed) == set(on_path) == {database["version"]}
    assert ci_server == f"postgres:{database['version']}"


@pytest.mark.fast
@pytest.mark.parametrize("variant", do_variants)
def test_the_buildpack_route_builds_with_the_python_ci_uses(rendered, variant):
    project = rendered(variant)
    web = by_name(app_spec(project)["services"])["web"]
    ci = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())

    if "use_docker" in variant.enabled:
        assert "build_command" not in web
        assert f"python:{ci['env']['PYTHON_VERSION']}-slim" in (project / "Dockerfile").read_text()
    else:
        assert (project / ".python-version").read_text().strip() == ci["env"]["PYTHON_VERSION"]
        assert {"key": "DISABLE_COLLECTSTATIC", "scope": "BUILD_TIME", "value": "1"} in web["envs"]


@pytest.mark.fast
@pytest.mark.parametrize("variant", do_variants)
def test_the_build_command_collects_static_files_without_any_secret(rendered, variant):
    project = rendered(variant, synced=True)
    web = by_name(app_spec(project)["services"])["web"]
    if "use_docker" in variant.enabled:
        builder = dockerfile_stages((project / "Dockerfile").read_text())["builder"]
        (command,) = [a for i, a in builder if "collectstatic" in a]
        command = command.replace("/opt/venv/bin/python", "python")
    else:
        command = web["build_command"]

    run_build_command(project, command)

    manifest = json.loads((project / "staticfiles" / "staticfiles.json").read_text())
    assert "css/site.css" in manifest["paths"]


# About 10 s a run: the first App Platform variant and the one with every feature.
@pytest.mark.suite
@pytest.mark.parametrize(
    "variant", variant_params(with_feature="use_do_app_platform", fewest_and_most=True)
)
def test_the_web_service_command_serves_the_project(rendered, variant, tmp_path):
    project = rendered(variant, synced=True)
    spec = app_spec(project)
    web = by_name(spec["services"])["web"]
    if "run_command" in web:
        command = shlex.split(web["run_command"])
    else:
        runtime = dockerfile_stages((project / "Dockerfile").read_text())["runtime"]
        (command,) = [json.loads(a) for i, a in runtime if i == "CMD"]
    environment = {
        key: resolved(env["value"], operator_values(project))
        for key, env in environment_of(spec, web).items()
    }
    variables = {
        **environment,
        "PORT": str(web["http_port"]),  # replaced by a free port: the platform sets PORT too
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "127.0.0.1",
        **dict(variant.suite_environment),  # this machine's broker, where the project has one
    }
    variables.pop("DATABASE_URL")

    with serving(project, command, variables, tmp_path) as base_url:
        live, _, _ = get(f"{base_url}/health/live/")
        ready, body = get_ready(base_url)

    assert (live, ready) == (200, 200)
    assert json.loads(body)["status"] == "ok"
    log = (tmp_path / "server.log").read_text()
    assert len(re.findall(r"Booting worker", log)) == int(environment["WEB_CONCURRENCY"]), log


@pytest.mark.fast
def test_the_longest_accepted_slug_still_names_a_valid_app(tmp_path):
    slug = "a_project_slug_exactly_forty_chars_long_"
    answers = {**LARGEST.answers, "project_slug": slug, "use_do_app_platform": True}
    project = render(answers, tmp_path / "longest")

    validate = [template_tool("check-jsonschema"), "--schemafile", SCHEMA]
    result = run([*validate, project / ".do" / "app.yaml"], project, check=False)

    assert len(slug) == 40
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(app_spec(project)["name"]) <= 32
