#!/usr/bin/env bash
# Update this project from its Copier template and say how it went: the one command that the
# template-update workflow runs (.github/workflows/template-update.yml). By hand, from the
# project's root on a clean working tree: scripts/update-from-template.sh summary.md
#
# `copier update` keeps the recorded answers (a question new in the release takes its default)
# and leaves conflict markers where this project and the template changed the same lines. This
# script then brings uv.lock up to date with pyproject.toml, stages everything, markers included,
# and writes a Markdown summary for the pull request, naming every file with a conflict, to the
# file given as its argument. On GitHub Actions it also sets the step outputs `updated` (true when
# a newer release was applied), `version` (the release now recorded) and `conflicts` (a count).
set -euo pipefail
summary=${1:?usage: scripts/update-from-template.sh SUMMARY_FILE}
answers=.copier-answers.yml
[[ -f $answers ]] || { echo "no $answers here: run this from the project's root" >&2; exit 1; }

recorded() { sed -n "s/^$1: *//p" "$answers" | tr -d "\"'"; }

before=$(recorded _commit)
uvx --from 'copier>=9.15,<10' copier update --defaults
after=$(recorded _commit)

# One path a line: unmerged files (conflict markers), and .rej files (changes that did not apply).
conflicts=$({ git diff --name-only --diff-filter=U; git ls-files --others -- '*.rej'; } | sort -u)
count=$(grep -c . <<<"$conflicts" || true)
# uv.lock follows pyproject.toml, unless a conflict there needs a person first.
if [[ -f uv.lock ]] && ! git diff --quiet -- pyproject.toml &&
  ! grep -qx pyproject.toml <<<"$conflicts"; then
  uv lock
fi
git add --all

if [[ $after == "$before" ]]; then
  updated=false
  echo "Already on the newest release of the template, \`$after\`: nothing to update." >"$summary"
else
  updated=true
  {
    echo "Updates this project from its template (\`$(recorded _src_path)\`), from \`$before\`" \
      "to \`$after\`, with \`copier update\` and the recorded answers."
    echo
    echo "Before merging, read the template's CHANGELOG.md entries after \`$before\`: each says" \
      "what an updating project must do."
    echo
    if ((count)); then
      echo "**Conflicts in $count file(s).** This project and the template changed the" \
        "same lines. Each file below holds both versions, this project's after" \
        "\`<<<<<<< before updating\` and the template's before \`>>>>>>> after updating\`" \
        "(a \`.rej\` file holds a change that did not apply): edit them on this branch to what" \
        "they should be, remove the markers (after \`pyproject.toml\`, run \`uv lock\`), and push."
      echo
      while read -r path; do echo "- \`$path\`"; done <<<"$conflicts"
    else
      echo "No conflicts: the template's changes merged with this project's own."
    fi
  } >"$summary"
fi

if [[ -n ${GITHUB_OUTPUT:-} ]]; then
  printf 'updated=%s\nversion=%s\nconflicts=%s\n' "$updated" "$after" "$count" >>"$GITHUB_OUTPUT"
fi
cat "$summary"
