"""What the deployment features' checks share: a production environment as a deployment file
gives it, and a command line from such a file, run on loopback.

A Dockerfile, a compose file and an app spec each say how the project starts and with which
variables; these helpers turn what they say into a process on this machine, so that the checks
prove the files rather than restate them.
"""

import ast
import contextlib
import re
import secrets
import shlex
import time
import urllib.error
import urllib.request

import yaml

from ..checks import feature_secrets
from ..rendering import project_environment, python, run
from ..serving import POSTGRES, free_port, fresh_database, server_process

# What an operator sets for the variables and secrets a deployment file refers to, realistic
# enough for `check --deploy` (a strong key, a non-default admin path, a real mail URL).
OPERATOR_VALUES = {
    "ALLOWED_HOSTS": "shipyard-demo.example.com,www.shipyard-demo.example.com",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ADMIN_URL": "staff-7f3k/",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
    "POSTGRES_PASSWORD": "a-long-database-password",
    "RABBITMQ_PASSWORD": "a-long-broker-password",
    "CELERY_BROKER_URL": "amqps://shipyard:secret@broker.example.com:5671/shipyard",
    "BACKUP_S3_BUCKET": "shipyard-backups",
    "BACKUP_S3_ACCESS_KEY_ID": "DO00EXAMPLE",
    "BACKUP_S3_SECRET_ACCESS_KEY": "an-example-secret-access-key",
}


def operator_values(project):
    """OPERATOR_VALUES, and what an operator sets for each secret a chosen feature requires
    (its placeholder in .env.example: see checks.feature_secrets)."""
    return {**OPERATOR_VALUES, **feature_secrets(project)}


def background_jobs(project):
    """What the project runs beside its web processes: Celery's worker and beat (it has
    config/celery.py), and RabbitMQ when that is the broker (its answers say so)."""
    if not (project / "config" / "celery.py").exists():
        return set()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    rabbitmq = answers.get("celery_broker") == "rabbitmq"
    return {"worker", "beat"} | ({"rabbitmq"} if rabbitmq else set())


def production_required_variables(project):
    """REQUIRED_VARIABLES of config/settings/production.py: what production refuses to start
    without."""
    module = ast.parse((project / "config" / "settings" / "production.py").read_text())
    required = set()
    for node in module.body:
        # The core's list, and what a feature adds to it (REQUIRED_VARIABLES += (...)).
        if isinstance(node, ast.Assign | ast.AugAssign):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if ast.unparse(target) == "REQUIRED_VARIABLES":
                required |= set(ast.literal_eval(node.value))
    assert required, "production.py assigns no REQUIRED_VARIABLES"
    return required


def clean_environment(project, **variables):
    """This machine's environment without any variable the project reads, plus `variables`."""
    lines = (project / ".env.example").read_text().splitlines()
    read = {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}
    environment = {k: v for k, v in project_environment().items() if k not in read}
    return {**environment, **variables}


def check_production_settings_accept(project, variables):
    """`check --deploy` with production settings and only `variables` passes with no warning."""
    environment = clean_environment(
        project, **{"DJANGO_SETTINGS_MODULE": "config.settings.production", **variables}
    )
    command = [python(project), "manage.py", "check", "--deploy", "--fail-level", "WARNING"]

    result = run(command, project, env=environment)

    assert "System check identified no issues" in result.stdout


def run_build_command(project, command):
    """Run a build step (`VAR=value ... python manage.py ...`) as a build would: with no secret
    and no variable of the project's, the project's own Python for `python`."""
    words = shlex.split(command)
    assignments = dict(word.split("=", 1) for word in words if re.match(r"^[A-Z_]+=", word))
    program = words[len(assignments) :]
    assert program[0].endswith("python"), command
    run([python(project), *program[1:]], project, env=clean_environment(project, **assignments))


@contextlib.contextmanager
def serving(project, command, variables, tmp_path):
    """Run `command` (a list, as a deployment file gives it) in the synced `project` with
    production settings, `variables` and a fresh migrated PostgreSQL database, its static files
    collected as a build collects them; yield the base URL once /health/live/ answers on
    127.0.0.1:$PORT."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with fresh_database(project, "shipyard_deploy") as database:
        environment = clean_environment(
            project,
            **{
                "DJANGO_SETTINGS_MODULE": "config.settings.production",
                **variables,
                "DATABASE_URL": f"{POSTGRES}/{database}",
                "PORT": str(port),
                # Loopback has no TLS proxy in front.
                "SECURE_SSL_REDIRECT": "false",
                # gunicorn keeps a control socket under $HOME: one per server here.
                "HOME": str(tmp_path),
            },
        )
        collect = "DJANGO_SETTINGS_MODULE=config.settings.build python manage.py collectstatic"
        with server_process(
            project,
            [str(project / ".venv" / "bin" / command[0]), *command[1:]],
            environment,
            collect=lambda: run_build_command(project, f"{collect} --noinput"),
            live_url=f"{base_url}/health/live/",
            log=tmp_path / "server.log",
        ):
            yield base_url


def get(url):
    """(status, headers, body) of a GET; an error status is an answer too."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get_ready(base_url, attempts=20):
    """/health/ready/ as a platform probes it: again, a second apart, until it answers 200
    (the first probe of a fresh process may time out while its checks connect)."""
    for _ in range(attempts):
        status, _, body = get(f"{base_url}/health/ready/")
        if status == 200:
            break
        time.sleep(1)
    return status, body


def dockerfile_instructions(text):
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments left out."""
    joined = re.sub(
        r"\\\n\s*",
        " ",
        "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")),
    )
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
        for line in joined.splitlines()
        if line.strip()
    ]


def dockerfile_stages(text):
    """{stage name: [(INSTRUCTION, arguments), ...]} in order."""
    stages = {}
    current = None
    for instruction, arguments in dockerfile_instructions(text):
        if instruction == "FROM":
            current = arguments.split(" AS ")[-1].strip() if " AS " in arguments else arguments
            stages[current] = []
        elif current is not None:
            stages[current].append((instruction, arguments))
    return stages


def dockerfile_env(instructions):
    """The variables ENV instructions set, in order (KEY=value pairs, quotes honoured)."""
    values = {}
    for instruction, arguments in instructions:
        if instruction == "ENV":
            values.update(word.split("=", 1) for word in shlex.split(arguments))
    return values
