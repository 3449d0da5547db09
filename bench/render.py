"""Time `copier copy` of the default and the largest variant against a plain copy of the result.

Two pairs, each measured alternating in one run on the same machine:
- command line: `copier copy` against `cp -r` (what a user waits for, Copier's start-up included);
- in process: copier.run_copy() against shutil.copytree() (the template's own rendering cost).
`copier --version` is timed alongside: the start-up floor that no template can go below.
The ratios are what to compare between runs (these machines are noisy); medians give the scale.

    uv run python bench/render.py [--runs 9]
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.rendering import TEMPLATE_ROOT, render
from tests.variants import DEFAULT, LARGEST

COPIER = Path(sys.executable).parent / "copier"


def copier_command(variant, destination):
    data = [f"--data={key}={value}" for key, value in variant.answers.items()]
    return [
        str(COPIER),
        "copy",
        "--quiet",
        "--defaults",
        "--vcs-ref=HEAD",
        *data,
        str(TEMPLATE_ROOT),
        str(destination),
    ]


def timed(function, *args):
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def run_command(command):
    subprocess.run(command, check=True, capture_output=True)


def measure(variant, runs, workdir):
    """Median seconds of (CLI render, cp -r, API render, copytree), and the file count."""
    reference = workdir / f"{variant.id}-reference"
    render(variant.answers, reference)
    samples = {"cli": [], "cp": [], "api": [], "copytree": [], "startup": []}
    for run in range(runs):
        targets = {name: workdir / f"{variant.id}-{name}-{run}" for name in samples}
        samples["startup"].append(timed(run_command, [COPIER, "--version"]))
        targets["startup"].mkdir()
        samples["cli"].append(timed(run_command, copier_command(variant, targets["cli"])))
        samples["cp"].append(timed(run_command, ["cp", "-r", reference, targets["cp"]]))
        samples["api"].append(timed(render, variant.answers, targets["api"]))
        samples["copytree"].append(timed(shutil.copytree, reference, targets["copytree"]))
        for target in targets.values():
            shutil.rmtree(target)
    files = sum(1 for p in reference.rglob("*") if p.is_file())
    return {name: statistics.median(times) for name, times in samples.items()}, files


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per variant (default 9)")
    args = parser.parse_args()
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=TEMPLATE_ROOT, capture_output=True, text=True
    ).stdout.strip()
    if dirty:
        print("note: the template has uncommitted changes; Copier commits them to a temporary")
        print("      clone on every render, so these figures include that extra work.")
    variants = [DEFAULT] if DEFAULT == LARGEST else [DEFAULT, LARGEST]
    header = f"{'variant':28} {'files':>5}  {'copier copy':>11} {'cp -r':>7} {'ratio':>7}"
    print(f"{header}  {'run_copy()':>10} {'copytree':>8} {'ratio':>7}  {'copier start-up':>15}")
    with tempfile.TemporaryDirectory(prefix="shipyard-bench-") as workdir:
        for variant in variants:
            t, files = measure(variant, args.runs, Path(workdir))
            label = f"{'default' if variant == DEFAULT else 'largest'} ({variant.id})"
            print(
                f"{label:28} {files:>5}  {t['cli']:>10.3f}s {t['cp']:>6.3f}s "
                f"{t['cli'] / t['cp']:>6.1f}x  {t['api']:>9.3f}s {t['copytree']:>7.3f}s "
                f"{t['api'] / t['copytree']:>6.1f}x  {t['startup']:>14.3f}s"
            )
    print(f"medians of {args.runs} alternating runs; target: default render <= 1.0 s")


if __name__ == "__main__":
    main()
