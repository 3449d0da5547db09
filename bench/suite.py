"""The generated project's own test suite: each variant's pytest time against the default's.

Every variant is rendered and synced (tests/rendering.py); its suite then runs the way the
template's suite runs it (`python -m pytest`, coverage as the project configures it, a fresh
PostgreSQL test database), the variants alternating, `--runs` times after a first run of each
that is not counted (it compiles the bytecode). Printed per variant: the
median of pytest's own time (the "in N s" of its summary: collection and tests, without the
interpreter's start), of the command's wall time, the tests passed, and the ratio to the default.
Targets: the default variant's pytest time at most 5 s; every variant at most 2x the default.

    uv run python bench/suite.py [--runs 3] [--durations 10]
"""

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.checks import project_suite_environment
from tests.rendering import RenderCache, python
from tests.variants import DEFAULT, VARIANTS

SUMMARY = re.compile(r"(\d+) passed.* in ([\d.]+)s")


def suite_run(project, variant, durations):
    """(pytest's seconds, wall seconds, tests passed, its slowest tests) of one suite run."""
    command = [python(project), "-m", "pytest", "-p", "no:cacheprovider", "-q"]
    command += [f"--durations={durations}"] if durations else []
    started = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=project,
        env=project_suite_environment(variant.id, "bench"),
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    match = SUMMARY.search(result.stdout.strip().splitlines()[-1])
    if result.returncode != 0 or match is None:
        raise SystemExit(f"the suite of {variant.id} failed:\n{result.stdout[-3000:]}")
    slowest = result.stdout.partition("slowest")[2].partition("\n")[2].split("\n=")[0]
    return float(match[2]), wall, int(match[1]), slowest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each suite (default 3)")
    parser.add_argument(
        "--durations", type=int, default=0, help="also print each suite's N slowest tests"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shipyard-bench-") as workdir:
        renders = RenderCache(Path(workdir))
        projects = {variant: renders.synced(variant) for variant in VARIANTS}
        for variant, project in projects.items():  # a first run, not counted, compiles bytecode
            suite_run(project, variant, 0)
        runs = {variant: [] for variant in VARIANTS}
        for _ in range(args.runs):
            for variant, project in projects.items():
                runs[variant].append(suite_run(project, variant, args.durations))
    default = statistics.median(run[0] for run in runs[DEFAULT])
    print(f"medians of {args.runs} alternating runs of each variant's suite")
    print(f"{'variant':20} {'tests':>5} {'pytest':>8} {'wall':>8} {'vs default':>10}")
    for variant, samples in runs.items():
        pytest_s = statistics.median(run[0] for run in samples)
        wall = statistics.median(run[1] for run in samples)
        print(
            f"{variant.id:20} {samples[-1][2]:>5} {pytest_s:>7.2f}s {wall:>7.2f}s "
            f"{pytest_s / default:>9.2f}x"
        )
    print("targets: the default's pytest time <= 5 s; every variant <= 2x the default")
    if args.durations:
        for variant, samples in runs.items():
            print(f"\n{variant.id}, slowest tests of its last run:\n{samples[-1][3].rstrip()}")


if __name__ == "__main__":
    main()
