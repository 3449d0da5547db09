"""Give this clone the release tags Copier reads, from the release commits in CHANGELOG.md.

Copier finds a template's releases by their git tags (v0.1.0, v0.2.0, ...): `copier copy` renders
the newest one and `copier update` looks up the release a project records. A clone without those
tags (`git clone --no-tags`, a mirror that dropped them) makes Copier render unreleased work and
call it version 0.0.0.postN, and `--vcs-ref=v0.1.0` fails.

Each release in CHANGELOG.md names its commit (a line "Release commit: `82a3aa2`"). This script
tags every release that has no tag yet at that commit, and checks that the tags that exist point
where CHANGELOG.md says. Standard library only, so that it runs before anything is installed:

    python3 scripts/release_tags.py          # add the missing tags; exit 1 if a tag disagrees
    python3 scripts/release_tags.py --check  # change nothing; exit 1 if a tag is missing or wrong
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RELEASE = re.compile(r"^## (\d+\.\d+\.\d+) \(\d{4}-\d{2}-\d{2}\)$(.*?)(?=^## |\Z)", re.M | re.S)
RELEASE_COMMIT = re.compile(r"^Release commit: `([0-9a-f]{7,40})`", re.M)


def recorded_releases(changelog):
    """[(tag, commit)] for every release in the CHANGELOG text, newest first."""
    releases = []
    for version, entry in RELEASE.findall(changelog):
        commit = RELEASE_COMMIT.search(entry)
        if not commit:
            raise SystemExit(f"CHANGELOG.md: release {version} records no 'Release commit:' line")
        releases.append((f"v{version}", commit.group(1)))
    return releases


def git(*args):
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout.strip()


def full_commit(ref):
    """The full hash of `ref`, or None when this clone does not have it."""
    code, out = git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    return out if code == 0 else None


def problems_and_missing(releases):
    """What is wrong with the tags (messages), and which (tag, commit) pairs are missing."""
    problems, missing = [], []
    for tag, recorded in releases:
        commit = full_commit(recorded)
        if commit is None:
            problems.append(
                f"{tag}: release commit {recorded} is not in this clone "
                "(a shallow clone? run `git fetch --unshallow`)"
            )
            continue
        if git("merge-base", "--is-ancestor", commit, "HEAD")[0] != 0:
            problems.append(f"{tag}: release commit {recorded} is not in the history of HEAD")
            continue
        tagged = full_commit(f"refs/tags/{tag}")
        if tagged is None:
            missing.append((tag, commit))
        elif tagged != commit:
            problems.append(f"{tag}: the tag points at {tagged[:7]}, CHANGELOG.md says {recorded}")
    return problems, missing


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="change nothing, report only")
    check_only = parser.parse_args(argv).check

    releases = recorded_releases((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    problems, missing = problems_and_missing(releases)
    for tag, commit in missing:
        if check_only:
            problems.append(f"{tag}: no tag (run `python3 scripts/release_tags.py` to add it)")
        else:
            git("tag", tag, commit)
            print(f"tagged {tag} at {commit[:7]}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    print(f"every release has its tag: {', '.join(tag for tag, _ in releases)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
