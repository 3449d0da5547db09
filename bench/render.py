"""Time `copier copy` of the default and the largest variant against a plain copy of the result.

Both sides run as commands, alternating, in one run, on the same machine: the ratio is what to
compare between runs (these machines are noisy), the medians give the scale.

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

from tests.rendering import TEMPLATE_ROOT  # noqa: E402
from tests.variants import DEFAULT, LARGEST  # noqa: E402

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


def timed(command):
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def measure(variant, runs, workdir):
    reference = workdir / f"{variant.id}-reference"
    subprocess.run(copier_command(variant, reference), check=True, capture_output=True)
    render_times, copy_times = [], []
    for run in range(runs):
        rendered = workdir / f"{variant.id}-render-{run}"
        copied = workdir / f"{variant.id}-copy-{run}"
        render_times.append(timed(copier_command(variant, rendered)))
        copy_times.append(timed(["cp", "-r", str(reference), str(copied)]))
        shutil.rmtree(rendered)
        shutil.rmtree(copied)
    files = sum(1 for p in reference.rglob("*") if p.is_file())
    return statistics.median(render_times), statistics.median(copy_times), files


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
    print(f"{'variant':24} {'files':>5} {'copier copy':>12} {'cp -r':>8} {'ratio':>7}")
    with tempfile.TemporaryDirectory(prefix="shipyard-bench-") as workdir:
        for variant in variants:
            render, copy, files = measure(variant, args.runs, Path(workdir))
            label = "default" if variant == DEFAULT else "largest"
            print(
                f"{label + ' (' + variant.id + ')':24} {files:>5} {render:>11.3f}s "
                f"{copy:>7.3f}s {render / copy:>6.1f}x"
            )
    print(f"medians of {args.runs} alternating runs; target: default render <= 1.0 s")


if __name__ == "__main__":
    main()
