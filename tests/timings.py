"""The matrix's timing summary: what each variant cost, which variants shared a suite run, and
the wall time of the whole run.

Tests report through `record_property`, so that figures cross from xdist workers to the
controller, which prints the summary (and writes it as JSON with --matrix-report, for
bench/matrix.py).
"""

import json
import time
from collections import defaultdict

COLUMNS = ("render", "sync", "fast", "suite", "other", "total")


def record_timing(record_property, variant, step, seconds):
    """Report a step of `variant` (render, sync or suite) from the test in which it happened."""
    record_property("shipyard_timing", (variant.id, step, round(seconds, 2)))


def record_note(record_property, variant, text):
    """A line about `variant` for the summary (a feature's own figures, say)."""
    record_property("shipyard_note", (variant.id, text))


def record_suite_run(record_property, variant, run):
    """Which run of its suite `variant` got (tests/sharing.py)."""
    record_property("shipyard_suite", (variant.id, run.key, run.variant))


class Summary:
    """Collects the reports of one session and prints the summary."""

    def __init__(self):
        self.started = time.monotonic()
        self.seconds = defaultdict(lambda: defaultdict(float))  # {variant: {column: seconds}}
        self.suite_runs = {}  # {variant: (key, the variant that ran it)}
        self.notes = []
        self.template_seconds = 0.0  # tests of no variant
        self.tests = 0

    def add(self, report):
        """Take one phase of a test: its duration (setup and teardown too: serving a project is
        a fixture), and what the test recorded, from its call phase."""
        properties = defaultdict(list)
        for name, value in report.user_properties:
            properties[name].append(value)
        steps = 0.0
        if report.when == "call":
            self.tests += 1
            for variant_id, step, seconds in properties["shipyard_timing"]:
                self.seconds[variant_id][step] += seconds
                steps += seconds
            for variant_id, key, ran_by in properties["shipyard_suite"]:
                self.suite_runs[variant_id] = (key, ran_by)
            for variant_id, text in properties["shipyard_note"]:
                self.notes.append(f"{variant_id}: {text}")
        owners = properties["shipyard_variants"][0] if properties["shipyard_variants"] else []
        if len(owners) != 1:  # the template's own tests, and tests over several variants
            self.template_seconds += report.duration
            return
        # The rest of the test's time, beside the steps recorded inside it: a fast-tier check that
        # each variant pays, or another test (suite tier, or kept to a few variants).
        each = "fast" in report.keywords and "per_variant" in report.keywords
        tier = "fast" if each else "other"
        self.seconds[owners[0]][tier] += max(report.duration - steps, 0.0)
        self.seconds[owners[0]]["total"] += report.duration

    def as_dict(self, workers=1):
        return {
            "workers": workers,
            "variants": {v: dict(columns) for v, columns in sorted(self.seconds.items())},
            "suite_runs": self.suite_runs,
            "template_seconds": round(self.template_seconds, 2),
            "tests": self.tests,
            "wall_seconds": round(time.monotonic() - self.started, 1),
            "notes": self.notes,
        }

    def lines(self):
        data = self.as_dict()
        yield f"{'variant':36} " + " ".join(f"{column:>8}" for column in COLUMNS)
        for variant_id, row in data["variants"].items():
            cells = []
            for column in COLUMNS:
                shared = self.suite_runs.get(variant_id, (None, variant_id))[1]
                if column == "suite" and shared != variant_id:
                    cells.append(f"{'=' + shared:>8}")
                else:
                    cells.append(f"{row[column]:>8.1f}" if column in row else f"{'-':>8}")
            yield f"{variant_id:36} " + " ".join(cells)
        runs = defaultdict(list)
        for variant_id, (key, ran_by) in sorted(self.suite_runs.items()):
            runs[(key, ran_by)].append(variant_id)
        if runs:
            yield f"suite runs: {len(runs)} for {len(self.suite_runs)} variants"
        for (key, ran_by), sharing in sorted(runs.items(), key=lambda item: item[0][1]):
            if sharing != [ran_by]:
                others = ", ".join(v for v in sharing if v != ran_by)
                yield f"  {ran_by}'s run (key {key}) served {others} too"
        yield from data["notes"]
        yield (
            f"matrix: {len(data['variants'])} variants, {data['tests']} tests "
            f"({data['template_seconds']:.1f} s in tests of no single variant), "
            f"wall time {data['wall_seconds']:.1f} s"
        )

    def write_json(self, path, workers):
        with open(path, "w") as report:
            json.dump(self.as_dict(workers), report, indent=2)
