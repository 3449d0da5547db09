"""use_celery and celery_broker: what Celery brings to a render, and the worker run as documented.

The generated project tests its own tasks, retries, schedule, readiness checks and a real worker
(its jobs/tests/); the suite tier gives its suite the broker's URL on this machine (the variant's
suite_environment, tests/variants.py). Here: a render without use_celery holds no trace of it, the
broker answer lands where it should, and the worker command of the README starts a worker that
takes a task from the real broker.
"""

import os
import signal
import subprocess
import time
import tomllib
import uuid

import pytest

from ..checks import check_rendered_exactly_when_chosen
from ..markdown_commands import command_blocks, run_docs_page
from ..matrix import variant_params
from ..rendering import after_first_steps, reader_environment, run, uv_binary
from ..updating import recorded_answers

# What use_celery brings: a render without it contains none of these, a render with it all of them.
# (Core's health.py names health_check.contrib.celery in an example: the markers are specific.)
CELERY_MARKERS = (
    "CELERY_BROKER_URL",
    "CELERY_TASK_ACKS_LATE",
    "config.celery",
    "celery -A config",
    "shared_task",
    "django_celery_beat",
    "django-celery-beat",
    "SENT_EMAIL_KEEP_DAYS",
    "docs/celery.md",
)
CELERY_FILES = {
    "config/celery.py",
    "config/integrations/celery.py",
    "config/tests/test_celery_settings.py",
    "docs/celery.md",
}
BROKER_URLS = {
    "redis": "redis://127.0.0.1:6379/1",
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//",
}


def is_celery_file(name):
    parts = name.split("/")
    return (
        name in CELERY_FILES or parts[1:2] == ["jobs"] or parts[-1] in {"tasks.py", "test_tasks.py"}
    )


def dependencies(project):
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    return pyproject["project"]["dependencies"]


@pytest.mark.fast
@pytest.mark.parametrize("variant", variant_params())
def test_celery_is_rendered_exactly_when_chosen(rendered, variant):
    project = rendered(variant)
    chosen = "use_celery" in variant.enabled

    own = check_rendered_exactly_when_chosen(
        project, chosen, markers=CELERY_MARKERS, files=CELERY_FILES, belongs=is_celery_file
    )

    assert any(name.endswith("/jobs/tasks.py") for name in own) == chosen
    assert len([d for d in dependencies(project) if "celery" in d]) == (2 if chosen else 0)


@pytest.mark.fast
@pytest.mark.parametrize("variant", variant_params(with_feature="use_celery"))
def test_the_broker_answer_lands_in_settings_dependencies_env_and_ci(rendered, variant):
    project = rendered(variant)
    broker = variant.answers["celery_broker"]
    other = next(name for name in BROKER_URLS if name != broker)
    env_example = (project / ".env.example").read_text()
    ci = (project / ".github" / "workflows" / "ci.yml").read_text()
    settings = (project / "config" / "integrations" / "celery.py").read_text()

    assert f"such as {BROKER_URLS[broker]}" in env_example
    assert f"CELERY_BROKER_URL: {BROKER_URLS[broker]}" in ci
    assert ("rabbitmq:" in ci) is (broker == "rabbitmq")
    assert ("CELERY_BROKER_TRANSPORT_OPTIONS" in settings) is (broker == "redis")
    celery = next(d for d in dependencies(project) if d.startswith("celery"))
    assert celery.startswith("celery[redis]" if broker == "redis" else "celery>")
    assert BROKER_URLS[other] not in env_example + ci
    assert dict(variant.suite_environment) == {"CELERY_BROKER_URL": BROKER_URLS[broker]}


@pytest.mark.fast
@pytest.mark.parametrize("variant", variant_params(with_feature="use_celery"))
def test_the_docs_give_one_worker_command(rendered, variant):
    project = rendered(variant)

    readme = worker_commands(project, "README.md")
    guide = worker_commands(project, "docs/celery.md")

    assert len(readme) == 1
    assert readme[0] in guide


# --- Run as documented (suite tier) --------------------------------------------------------------


def worker_commands(project, page):
    """The command blocks of `page` that start a worker locally."""
    blocks = command_blocks((project / page).read_text(), page)
    return [
        block.code
        for block in blocks
        if "settings.local" in block.code and " worker " in block.code
    ]


# The variants with the fewest and the most features, which differ in broker: a worker on the
# "default" queue of a broker that another run of this test shared could take the other's task.
@pytest.mark.suite
@pytest.mark.parametrize("variant", variant_params(with_feature="use_celery", fewest_and_most=True))
def test_celery_commands_run_as_written(variant, tmp_path):
    """docs/celery.md's commands, then the README's worker with the broker in .env: it takes a
    task from the real broker and runs it."""
    project = after_first_steps(variant, tmp_path)
    run_docs_page(project, "docs/celery.md", env=reader_environment())
    broker = dict(variant.suite_environment)["CELERY_BROKER_URL"]
    (project / ".env").write_text(f"CELERY_BROKER_URL={broker}\n")
    (command,) = worker_commands(project, "README.md")
    log = tmp_path / "worker.log"
    subject = f"Sent by the worker of the README {uuid.uuid4().hex}"
    slug = recorded_answers(project)["project_slug"]
    send = (
        f"from {slug}.jobs.tasks import send_email; send_email.delay(key='readme', "
        f"subject='{subject}', body='Hello', recipients=['ada@example.com'])"
    )

    with log.open("w") as output:
        worker = subprocess.Popen(
            ["bash", "-euo", "pipefail", "-c", command],
            cwd=project,
            env=reader_environment(),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # one process group: the worker's children stop with it
        )
    try:
        wait_for(lambda: " ready." in log.read_text(), worker, log)
        shell = [uv_binary(), "run", "python", "manage.py", "shell", "--command", send]
        run(shell, project, env=reader_environment())
        wait_for(lambda: subject in log.read_text(), worker, log)  # the console email
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)

    assert "succeeded" in log.read_text()


def wait_for(condition, process, log, timeout=90):
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"the worker exited {process.returncode}:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"not within {timeout} s:\n{log.read_text()}"
        time.sleep(0.5)
