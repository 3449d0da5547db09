"""Time the template's matrix, then project what more feature questions would cost.

Runs the suite (or the pytest arguments given) once and prints, per variant, what its render,
`uv sync`, fast-tier checks, own suite and other tests took, which variants shared a suite run,
and the run's wall time; then, from those figures, the wall time of a matrix with N more yes/no
feature questions, and of the planned feature set (tests/variants.py, PLANNED_FEATURES).

    uv run --locked python bench/matrix.py [pytest arguments]   # default: the whole suite
    uv run --locked python bench/matrix.py --save run.json      # and keep the run's report
    uv run --locked python bench/matrix.py --report run.json    # project from a saved report

    uv run --locked python bench/matrix.py --sync              # uv sync offline against online

The projection assumes today's per-variant figures: each new feature question doubles the
variants, and their suite runs too unless it only adds deployment files (then its variants share
their twin's run); the other tests (the template's own, and the slow ones kept to a few variants)
stay as they are. The time the run lost beyond the model (workers idle at the end, start-ups) is
added as measured, so the projection is as noisy as the run it comes from.
"""

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.rendering import TEMPLATE_ROOT, render, sync
from tests.variants import LARGEST, PLANNED_FEATURES, all_variants

# Planned features that only add deployment files: their variants share their twin's suite run.
DEPLOYMENT_ONLY = {"use_docker", "use_do_app_platform"}
PER_VARIANT = ("render", "sync", "fast")  # what every variant pays, suite runs apart


def run_matrix(pytest_arguments, save=None):
    with tempfile.TemporaryDirectory(prefix="shipyard-matrix-") as workdir:
        report = Path(save or Path(workdir) / "matrix.json").resolve()
        command = [sys.executable, "-m", "pytest", f"--matrix-report={report}", *pytest_arguments]
        before = cpu_seconds_of_children()
        subprocess.run(command, cwd=TEMPLATE_ROOT, check=False)
        cpu = cpu_seconds_of_children() - before
        data = json.loads(report.read_text())
        data["cpu_seconds"] = round(cpu, 1)  # every process of the run, not the services'
        report.write_text(json.dumps(data, indent=2))
        return data


def cpu_seconds_of_children():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def costs(report):
    """(per-variant seconds, seconds per suite run, seconds of everything else, suite runs)."""
    rows = report["variants"].values()
    per_variant = statistics.mean(sum(row.get(step, 0.0) for step in PER_VARIANT) for row in rows)
    runs = {ran_by for _, ran_by in report["suite_runs"].values()}
    suite = statistics.mean(report["variants"][v]["suite"] for v in runs) if runs else 0.0
    fixed = report["template_seconds"] + sum(row.get("other", 0.0) for row in rows)
    return per_variant, suite, fixed, len(runs)


def modelled_wall(report, variants, suite_runs):
    per_variant, suite, fixed, _ = costs(report)
    return (variants * per_variant + suite_runs * suite + fixed) / report["workers"]


def planned_counts():
    planned = all_variants(PLANNED_FEATURES)
    twins = {
        tuple(answer for answer in v.features if answer[0] not in DEPLOYMENT_ONLY) for v in planned
    }
    return len(planned), len(twins)


def print_report(report):
    print(f"\n{'variant':36} {'render':>7} {'sync':>7} {'fast':>7} {'suite':>9} {'other':>7}")
    for variant_id, row in report["variants"].items():
        ran_by = report["suite_runs"].get(variant_id, [None, variant_id])[1]
        suite = f"={ran_by}" if ran_by != variant_id else f"{row.get('suite', 0.0):.1f}"
        cells = [f"{row.get(step, 0.0):>7.1f}" for step in ("render", "sync", "fast")]
        print(f"{variant_id:36} {' '.join(cells)} {suite:>9} {row.get('other', 0.0):>7.1f}")
    print(
        f"{len(report['variants'])} variants, {report['tests']} tests, {report['workers']} "
        f"workers, wall time {report['wall_seconds']:.1f} s, CPU time {report['cpu_seconds']:.1f} s"
    )


def print_projection(report):
    per_variant, suite, fixed, suite_runs = costs(report)
    variants = len(report["variants"])
    lost = report["wall_seconds"] - modelled_wall(report, variants, suite_runs)
    print(
        f"\nmodel: {per_variant:.1f} s per variant (render, sync, fast checks), {suite:.1f} s per "
        f"suite run, {fixed:.1f} s of other tests, over {report['workers']} workers, and "
        f"{lost:.1f} s lost beyond the model in this run"
    )
    rows = [(f"{more}", variants * 2**more, suite_runs * 2**more) for more in range(5)]
    rows += [
        (f"{more} ({more - 1} deployment-only)", variants * 2**more, suite_runs * 2)
        for more in (2, 3)
    ]
    rows.append(("planned feature set", *planned_counts()))
    # On a machine the run had to itself, the wall time would be near its CPU time spread over the
    # workers (a floor: the services' own work, PostgreSQL's above all, is not counted).
    idle = min(1.0, report["cpu_seconds"] / report["workers"] / report["wall_seconds"])
    header = f"{'projected wall':>15} {'idle machine':>13}"
    print(f"{'more yes/no features':22} {'variants':>8} {'suite runs':>10} {header}")
    for label, count, runs in rows:
        wall = (modelled_wall(report, count, runs) + lost) / 60
        print(f"{label:22} {count:>8} {runs:>10} {wall:>13.1f} m {wall * idle:>11.1f} m")
    print(f"idle machine: the projection x {idle:.2f}, this run's CPU time / workers / wall time")


def compare_syncs(runs=3):
    """`uv sync` of the largest variant: offline from the shared cache against online."""
    with tempfile.TemporaryDirectory(prefix="shipyard-sync-") as workdir:
        source = render(LARGEST.answers, Path(workdir) / "source")
        times = {"offline": [], "online": []}
        for run in range(runs):
            for mode in times:
                project = shutil.copytree(source, Path(workdir) / f"{mode}-{run}")
                started = time.perf_counter()
                sync(project, offline=mode == "offline")
                times[mode].append(time.perf_counter() - started)
    offline, online = (statistics.median(times[mode]) for mode in ("offline", "online"))
    print(f"uv sync of {LARGEST.id}, medians of {runs} alternating runs:")
    print(f"offline {offline:.2f} s, online {online:.2f} s, online/offline {online / offline:.1f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--report", type=Path, help="a saved report to project from")
    parser.add_argument("--save", type=Path, help="keep the run's report (JSON) here")
    parser.add_argument("--sync", action="store_true", help="only compare uv sync offline/online")
    args, pytest_arguments = parser.parse_known_args()
    if args.sync:
        compare_syncs()
        return
    if args.report:
        report = json.loads(args.report.read_text())
    else:
        report = run_matrix(pytest_arguments, args.save)
    print_report(report)
    print_projection(report)


if __name__ == "__main__":
    main()
