"""use_docker: the Dockerfile, the compose files and the image build in CI, proven without an
engine (none runs here): hadolint, the compose specification's schema, what each service needs,
the environment each file gives production, and the image's own commands run on this machine."""

import json
import re
import shlex
import socket
import subprocess
import time

import pytest
import yaml

from ..checks import rendered_files
from ..matrix import variant_params
from ..rendering import project_environment, python, run, template_tool
from ..serving import POSTGRES
from ..variants import VARIANTS
from .deployment import (
    OPERATOR_VALUES,
    background_jobs,
    check_production_settings_accept,
    clean_environment,
    dockerfile_env,
    dockerfile_stages,
    get,
    get_ready,
    operator_values,
    production_required_variables,
    run_build_command,
    serving,
)

DOCKER_FILES = {
    "Dockerfile",
    ".dockerignore",
    "compose.yaml",
    "compose.production.yaml",
    "deploy/Caddyfile",
}
# The PostgreSQL each Debian release ships (postgresql-client-N): the image's pg_dump.
DEBIAN_POSTGRESQL = {"bookworm": 15, "trixie": 17}
# Services every render with Docker has, in development and on one host.
DEVELOPMENT_SERVICES = {"web", "db", "redis"}
PRODUCTION_SERVICES = {"web", "migrate", "static", "backup", "proxy", "db", "redis"}


def compose(project, name):
    return yaml.safe_load((project / name).read_text())


def ci_workflow(project):
    return yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())


@pytest.mark.fast
@pytest.mark.parametrize("variant", variant_params())
def test_docker_files_are_rendered_exactly_when_chosen(rendered, variant):
    project = rendered(variant)
    names = {path.relative_to(project).as_posix() for path in rendered_files(project)}
    chosen = "use_docker" in variant.enabled

    assert (DOCKER_FILES & names) == (DOCKER_FILES if chosen else set())
    assert ("image" in ci_workflow(project)["jobs"]) == chosen


docker_variants = variant_params(with_feature="use_docker")


@pytest.mark.fast
@pytest.mark.parametrize("variant", docker_variants)
def test_the_dockerfile_passes_hadolint_at_every_level(rendered, variant):
    project = rendered(variant)

    # hadolint fails on anything it reports, down to style and info.
    result = run([template_tool("hadolint"), "Dockerfile"], project, check=False)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.fast
@pytest.mark.parametrize("variant", docker_variants)
def test_the_compose_files_follow_the_compose_specification(rendered, variant):
    project = rendered(variant)
    files = ["compose.yaml", "compose.production.yaml"]

    validate = [template_tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec"]
    result = run([*validate, *files], project, check=False)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.fast
@pytest.mark.parametrize("variant", docker_variants)
@pytest.mark.parametrize(
    ("name", "needed"),
    [("compose.yaml", DEVELOPMENT_SERVICES), ("compose.production.yaml", PRODUCTION_SERVICES)],
)
def test_every_service_is_there_checks_its_health_and_waits_for_what_it_needs(
    rendered, variant, name, needed
):
    project = rendered(variant)
    services = compose(project, name)["services"]
    needed = needed | background_jobs(project)
    # A one-shot service (restart: "no") runs and exits; what needs it waits for its success.
    one_shot = {service for service, spec in services.items() if spec.get("restart") == "no"}

    unchecked = [
        s for s in set(services) - one_shot if "test" not in services[s].get("healthcheck", {})
    ]
    waits = {
        (service, dependency, condition["condition"])
        for service, spec in services.items()
        for dependency, condition in spec.get("depends_on", {}).items()
    }
    wrong_waits = [
        wait
        for wait in waits
        if wait[2]
        != ("service_completed_successfully" if wait[1] in one_shot else "service_healthy")
    ]

    assert needed <= set(services)
    assert unchecked == []
    assert wrong_waits == []
    assert {dependency for _, dependency, _ in waits} <= set(services)
    assert "db" in services["web"]["depends_on"]
    for process in {"worker", "beat"} & set(services):
        assert services[process]["command"][:4] == ["celery", "-A", "config", process]


@pytest.mark.fast
@pytest.mark.parametrize("variant", docker_variants)
def test_production_on_one_host_restarts_keeps_data_in_volumes_and_backs_up(rendered, variant):
    project = rendered(variant)
    production = compose(project, "compose.production.yaml")
    services = production["services"]
    caddyfile = (project / "deploy" / "Caddyfile").read_text()

    long_running = {s for s, spec in services.items() if spec.get("restart") != "no"}
    assert {services[s]["restart"] for s in long_running} == {"unless-stopped"}
    named = set(production["volumes"])
    mounted = {
        volume.split(":")[0] for spec in services.values() for volume in spec.get("volumes", [])
    }
    assert {"postgres-data", "media", "backups", "static"} <= named <= mounted
    assert "scripts/backup.sh" in " ".join(services["backup"]["command"])
    # The proxy serves the static files from the volume that `static` fills from the image, and
    # hands the rest to gunicorn.
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in services["proxy"]["volumes"]
    assert "static:/srv/static:ro" in services["proxy"]["volumes"]
    assert "static:/srv/static" in services["static"]["volumes"]
    assert "root * /srv/static" in caddyfile
    assert "reverse_proxy web:8000" in caddyfile


def interpolated(value, values=OPERATOR_VALUES):
    """A compose value with ${NAME:?message} and ${NAME:-default} filled in from what an operator
    sets in .env (`values`; an unknown name fails the test)."""

    def fill(match):
        name, default = match["name"], match["default"]
        return values[name] if default is None else values.get(name, default)

    pattern = r"\$\{(?P<name>\w+)(?::\?[^}]*|:-(?P<default>[^}]*))?\}"
    return re.sub(pattern, fill, str(value))


@pytest.mark.fast
@pytest.mark.parametrize("variant", docker_variants)
def test_production_compose_gives_the_settings_every_variable_they_require(rendered, variant):
    project = rendered(variant, synced=True)
    services = compose(project, "compose.production.yaml")["services"]
    app_services = [
        s for s, spec in services.items() if spec.get("image") == services["web"]["image"]
    ]

    environments = {
        service: {
            k: interpolated(v, operator_values(project))
            for k, v in services[service]["environment"].items()
        }
        for service in app_services
    }

    assert production_required_variables(project) <= set(environments["web"])
    assert all(environment == environments["web"] for environment in environments.values())
    check_production_settings_accept(project, environments["web"])


@pytest.mark.fast
@pytest.mark.parametrize("variant", docker_variants)
def test_the_runtime_image_runs_as_a_user_without_build_tools_and_with_labels(rendered, variant):
    stages = dockerfile_stages((rendered(variant) / "Dockerfile").read_text())
    runtime = stages[list(stages)[-1]]
    text = "\n".join(f"{instruction} {arguments}" for instruction, arguments in runtime)
    user = [arguments for instruction, arguments in runtime if instruction == "USER"]
    healthcheck = [arguments for instruction, arguments in runtime if instruction == "HEALTHCHECK"]
    command = [arguments for instruction, arguments in runtime if instruction == "CMD"]
    labels = re.findall(r"org\.opencontainers\.image\.(\w+)=", text)

    assert list(stages) == ["builder", "runtime"]
    assert user[-1].split(":")[0] not in {"0", "root"}
    # Nothing that compiles, fetches or caches: the builder stage did all of that.
    assert not re.search(r"\b(gcc|build-essential|uv sync|pip install|curl|wget)\b", text)
    assert "rm -rf /var/lib/apt/lists/*" in text
    assert "--mount=type=cache" in "\n".join(arguments for _, arguments in stages["builder"])
    assert "uv sync --locked --no-dev" in "\n".join(arguments for _, arguments in stages["builder"])
    assert "/health/live/" in healthcheck[-1]
    assert json.loads(healthcheck[-1].split("CMD", 1)[1])[0] == "python"  # no curl in the image
    assert json.loads(command[-1])[0] == "gunicorn"  # exec form: gunicorn is PID 1
    assert {"title", "description", "authors"} <= set(labels)


@pytest.mark.fast
@pytest.mark.parametrize("variant", docker_variants)
def test_every_build_input_agrees_on_the_postgresql_major_version(rendered, variant):
    project = rendered(variant)
    dockerfile = (project / "Dockerfile").read_text()
    base = re.search(r"^ARG PYTHON_IMAGE=python:[\d.]+-slim-(\w+)$", dockerfile, re.M)
    client = re.findall(r"postgresql-client-(\d+)", dockerfile)
    servers = {
        service["image"]
        for name in ("compose.yaml", "compose.production.yaml")
        for service in compose(project, name)["services"].values()
        if service.get("image", "").startswith("postgres:")
    }
    ci_server = ci_workflow(project)["jobs"]["test"]["services"]["postgres"]["image"]

    assert base, "the runtime image names its Debian release"
    # Debian's own package: a client of another major is not in that release.
    assert {int(major) for major in client} == {DEBIAN_POSTGRESQL[base[1]]}
    assert servers | {ci_server} == {f"postgres:{DEBIAN_POSTGRESQL[base[1]]}"}


@pytest.mark.fast
@pytest.mark.parametrize("variant", docker_variants)
def test_the_build_collects_static_files_without_any_secret_or_database(rendered, variant):
    project = rendered(variant, synced=True)
    builder = dockerfile_stages((project / "Dockerfile").read_text())["builder"]
    (collect,) = [arguments for instruction, arguments in builder if "collectstatic" in arguments]

    run_build_command(project, collect.replace("/opt/venv/bin/python", "python"))

    manifest = json.loads((project / "staticfiles" / "staticfiles.json").read_text())
    assert "css/site.css" in manifest["paths"]


@pytest.mark.fast
@pytest.mark.parametrize("variant", docker_variants)
def test_the_dockerignore_keeps_secrets_state_and_caches_out_of_the_build(rendered, variant):
    ignored = set((rendered(variant) / ".dockerignore").read_text().splitlines())

    assert {".env", ".git", ".venv", "media", "backups", "db.sqlite3", "staticfiles"} <= ignored
    assert "!.env.example" in ignored


@pytest.mark.fast
@pytest.mark.parametrize("variant", docker_variants)
def test_ci_builds_the_image_with_a_cache(rendered, variant):
    steps = ci_workflow(rendered(variant))["jobs"]["image"]["steps"]
    (build,) = [
        step for step in steps if step.get("uses", "").startswith("docker/build-push-action")
    ]

    assert build["with"]["push"] is False
    assert build["with"]["cache-from"] == "type=gha"
    assert build["with"]["cache-to"].startswith("type=gha")


# About 10 s a run: the first Docker variant and the one with every feature.
@pytest.mark.suite
@pytest.mark.parametrize("variant", variant_params(with_feature="use_docker", fewest_and_most=True))
def test_the_image_command_serves_the_project(rendered, variant, tmp_path):
    project = rendered(variant, synced=True)
    runtime = dockerfile_stages((project / "Dockerfile").read_text())["runtime"]
    (command,) = [
        json.loads(arguments) for instruction, arguments in runtime if instruction == "CMD"
    ]
    image_environment = {
        name: value for name, value in dockerfile_env(runtime).items() if "$" not in value
    }
    production = compose(project, "compose.production.yaml")["services"]["web"]["environment"]
    variables = {
        **{k: v for k, v in image_environment.items() if k != "PORT"},
        **{
            k: interpolated(v, operator_values(project))
            for k, v in production.items()
            if k != "DATABASE_URL"
        },
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "127.0.0.1",
        **dict(variant.suite_environment),  # this machine's broker, where the project has one
    }

    (healthcheck,) = [
        arguments for instruction, arguments in runtime if instruction == "HEALTHCHECK"
    ]
    probe = json.loads(healthcheck.split(" CMD ", 1)[1])

    with serving(project, command, variables, tmp_path) as base_url:
        live, _, _ = get(f"{base_url}/health/live/")
        ready, body = get_ready(base_url)
        home, headers, _ = get(f"{base_url}/")
        # The image's HEALTHCHECK, with the image's PORT as the server was given it.
        port = base_url.rsplit(":", 1)[1]
        probed = run(
            [python(project), *probe[1:]], project, env=project_environment(PORT=port), check=False
        )

    assert probed.returncode == 0, probed.stderr
    assert (live, ready, home) == (200, 200, 200)
    assert json.loads(body)["status"] == "ok"
    assert "Content-Security-Policy" in headers
    log = (tmp_path / "server.log").read_text()
    workers = image_environment["WEB_CONCURRENCY"]
    assert len(re.findall(r"Booting worker", log)) == int(workers), log
    assert shlex.split(image_environment["GUNICORN_CMD_ARGS"])


def first_with_each_broker():
    """Of the variants with Celery and Docker, the first on each broker: a worker takes seconds to
    start, and the health checks differ only by broker."""
    chosen = {}
    for variant in VARIANTS:
        if {"use_celery", "use_docker"} <= variant.enabled:
            chosen.setdefault(variant.answers["celery_broker"], variant)
    return [pytest.param(v, id=v.id, marks=pytest.mark.xdist_group(v.id)) for v in chosen.values()]


@pytest.mark.suite
@pytest.mark.parametrize("variant", first_with_each_broker())
def test_the_worker_and_beat_health_checks_answer_for_a_running_worker(rendered, variant, tmp_path):
    project = rendered(variant, synced=True)
    services = compose(project, "compose.production.yaml")["services"]
    environment = clean_environment(
        project,
        **{
            **{
                k: interpolated(v, operator_values(project))
                for k, v in services["worker"]["environment"].items()
            },
            "DATABASE_URL": f"{POSTGRES}/postgres",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            **dict(variant.suite_environment),  # the machine's broker
            "HOME": str(tmp_path),
        },
    )
    worker_probe = services["worker"]["healthcheck"]["test"]
    beat_probe = services["beat"]["healthcheck"]["test"]
    assert worker_probe[0] == "CMD-SHELL"
    assert beat_probe[0] == "CMD"
    # Compose turns $$ into $; the shell then reads the container's HOSTNAME.
    worker_check = worker_probe[1].replace("$$", "$")
    shell = {
        **environment,
        "HOSTNAME": socket.gethostname(),
        "PATH": f"{project / '.venv' / 'bin'}:{environment['PATH']}",
    }

    before = run(["bash", "-c", worker_check], project, env=shell, check=False)
    beat = run([python(project), *beat_probe[2:]], project, env=environment, check=False)
    worker = subprocess.Popen(
        [project / ".venv" / "bin" / "celery", *services["worker"]["command"][1:]],
        cwd=project,
        env=shell,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while (
            answer := run(["bash", "-c", worker_check], project, env=shell, check=False)
        ).returncode:
            assert time.monotonic() < deadline, answer.stdout + answer.stderr
            time.sleep(2)
    finally:
        worker.terminate()
        worker.wait(timeout=60)

    assert before.returncode != 0  # no worker yet: unhealthy
    assert beat.returncode == 0, beat.stderr
    assert "pong" in answer.stdout
