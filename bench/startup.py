"""Django start-up: the generated project's against a bare Django project's, in one run.

A rendered, synced project and a `django-admin startproject` made with the same virtualenv (same
Python, same Django, compiled bytecode on both sides) are timed alternating:
- `python manage.py check` (every management command, cron job and deploy step pays this);
- importing the WSGI application (`from config.wsgi import application`, production settings:
  what gunicorn does before it serves anything).
Then it lists the optional heavy packages the project's `manage.py check` imported (none should
be: sentry_sdk only with SENTRY_DSN, boto3 only for a bucket, django-health-check only for its
own checks). Target: the project's `manage.py check` at most 1.2x the bare project's.

    uv run python bench/startup.py [--runs 9] [--variant ID]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.rendering import RenderCache, project_environment, python
from tests.serving import production_environment
from tests.variants import DEFAULT, VARIANTS_BY_ID

HEAVY = ("sentry_sdk", "boto3", "botocore", "health_check", "dns", "moto", "faker")
WSGI = "from {}.wsgi import application"
IMPORTED = """
import runpy, sys
sys.argv = ["manage.py", "check"]
runpy.run_path("manage.py", run_name="__main__")
print(" ".join(name for name in {heavy!r} if name in sys.modules) or "none")
"""


def timed(command, cwd, env):
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each (default 9)")
    parser.add_argument("--variant", default=DEFAULT.id, help="variant id (default: the default)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shipyard-bench-") as workdir:
        project = RenderCache(Path(workdir)).synced(VARIANTS_BY_ID[args.variant])
        interpreter = python(project)
        bare = Path(workdir) / "bare"
        bare.mkdir()
        subprocess.run(
            [interpreter, "-m", "django", "startproject", "bare", bare],
            env=project_environment(),
            check=True,
        )
        check = [interpreter, "manage.py", "check"]
        local, production = project_environment(), production_environment("bench")
        commands = {
            ("project", "check"): (check, project, local),
            ("bare", "check"): (check, bare, local),
            ("project", "wsgi"): ([interpreter, "-c", WSGI.format("config")], project, production),
            ("bare", "wsgi"): ([interpreter, "-c", WSGI.format("bare")], bare, local),
        }
        for command in commands.values():
            timed(*command)  # compile and cache the bytecode of both sides first
        samples = {key: [] for key in commands}
        for _ in range(args.runs):
            for key, command in commands.items():
                samples[key].append(timed(*command))
        imported = subprocess.run(
            [interpreter, "-c", IMPORTED.format(heavy=HEAVY)],
            cwd=project,
            env=project_environment(),
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split("\n")[-2]
    median = {key: statistics.median(times) for key, times in samples.items()}
    print(f"variant {args.variant}; medians of {args.runs} alternating runs")
    print(f"{'':24} {'project':>8} {'bare':>8} {'ratio':>7}")
    for step, label in (("check", "manage.py check"), ("wsgi", "WSGI application import")):
        project_s, bare_s = median[("project", step)], median[("bare", step)]
        print(f"{label:24} {project_s:>7.3f}s {bare_s:>7.3f}s {project_s / bare_s:>6.2f}x")
    print("target: manage.py check <= 1.2x the bare project's")
    print(f"optional heavy packages imported by manage.py check: {imported}")


if __name__ == "__main__":
    main()
