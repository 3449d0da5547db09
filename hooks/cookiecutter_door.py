"""The cookiecutter front door: cookiecutter asks copier.yml's questions, Copier renders.

How `cookiecutter <this template>` works:

1. cookiecutter reads cookiecutter.json, which `cookiecutter_json()` makes from copier.yml
   (`uv run python hooks/cookiecutter_door.py` writes it; a test fails when the two differ).
   Its Jinja loads `CopierFilters` below (cookiecutter.json `_extensions`), so the defaults that
   copier.yml derives from other answers are the same expressions, with the same filters, in
   both tools.
2. After the questions, cookiecutter makes the project folder, named after the slug, from the
   placeholder folder `{{cookiecutter.project_slug or 'no_slug'}}/` (cookiecutter requires one;
   Copier never copies it, as it is outside `_subdirectory`), and runs hooks/post_gen_project.py
   in it, which calls `render_project()`: it deletes the placeholder's one file and hands the
   answers to Copier. Copier validates them (with `copier copy`'s messages) and renders the
   template from its absolute path, so the project carries a Copier answers file and
   `copier update` works on it afterwards. It renders the release `copier copy` renders: the
   newest release tag, or the release cookiecutter checked out (`--checkout v0.1.0`).
"""

import json
import re
import subprocess
import sys
from pathlib import Path

try:
    import copier
    from jinja2_ansible_filters import AnsibleCoreFiltersExtension
except ImportError as error:
    raise ImportError(
        f"django-shipyard renders its projects with Copier, which {sys.executable} cannot import "
        f"({error}). Install Copier where cookiecutter runs, then run cookiecutter again: "
        "`pip install copier` next to cookiecutter, `pipx inject cookiecutter copier`, "
        "or `uvx --with copier cookiecutter <template>`."
    ) from error
import yaml
from jinja2 import Environment, meta

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent
COOKIECUTTER_JSON = TEMPLATE_ROOT / "cookiecutter.json"
# The one file of the placeholder folder: cookiecutter copies it, the hook deletes it.
PLACEHOLDER = "README.md"
# cookiecutter.json `_extensions`: how cookiecutter imports CopierFilters (the repository root is on
# its import path).
EXTENSION = "hooks.cookiecutter_door.CopierFilters"


class CopierFilters(AnsibleCoreFiltersExtension):
    """cookiecutter's Jinja with Copier's filters, and this template's absolute path.

    The filters make copier.yml's derived defaults (`regex_replace`, ...) work in cookiecutter.json.
    The path is for hooks/post_gen_project.py: cookiecutter tells hooks the template path as the
    user typed it, which may be relative to a directory the hook cannot know.
    """

    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["shipyard_template"] = str(TEMPLATE_ROOT)


# --- cookiecutter.json, made from copier.yml -----------------------------------------------------


def cookiecutter_json(copier_config):
    """cookiecutter.json's content for copier.yml's questions (`copier_config`: the parsed YAML).

    Every question Copier can ask becomes a cookiecutter variable, in the same order, with
    copier.yml's help as its prompt. cookiecutter cannot skip a question, so one that Copier asks
    only under a `when:` condition is always asked (its prompt says when it is used); Copier drops
    its answer where the condition is false. Computed values (`when: false`) are left to Copier.
    """
    variables, prompts = {}, {}
    for name, details in copier_config.items():
        if name.startswith("_"):
            continue
        if not isinstance(details, dict):
            details = {"default": details}  # Copier's short form, `name: default`
        if details.get("when") is False:
            continue
        variables[name], prompts[name] = Question(name, details).for_cookiecutter(variables)
    return {
        "_comment": "Made from copier.yml by hooks/cookiecutter_door.py: edit copier.yml.",
        **variables,
        "__prompts__": prompts,
        "_extensions": [EXTENSION],
    }


class Question:
    """A copier.yml question, as cookiecutter asks it."""

    def __init__(self, name, details):
        self.name = name
        self.details = details
        self.default = details.get("default", details.get("placeholder"))
        # Copier's rule: no type means the default's type, or yaml.
        inferred = type(details.get("default")).__name__
        copier_types = {"str", "bool", "int", "float"}
        self.type = details.get("type") or (inferred if inferred in copier_types else "yaml")

    def for_cookiecutter(self, earlier):
        """(cookiecutter value, cookiecutter prompt); `earlier`: the questions asked before."""
        if self.details.get("multiselect") or self.details.get("secret"):
            self.refuse("is a multiselect or secret question")
        if "choices" in self.details:
            return self.choices(), self.choice_prompt()
        if self.type == "bool":
            if not isinstance(self.default, bool):
                self.refuse("is a bool without a true/false default")
            return self.default, self.prompt()
        if self.type != "str":
            self.refuse(f"has type {self.type!r}")
        if not isinstance(self.default, str):
            self.refuse("has neither a default nor a placeholder")
        return self.default_expression(earlier), self.prompt()

    def prompt(self):
        prompt = self.details.get("help", self.name)
        when = self.details.get("when")
        if isinstance(when, str):
            expression = re.fullmatch(r"\{\{\s*(.*?)\s*\}\}", when.strip())
            prompt += f" (used only when {expression[1] if expression else when})"
        return prompt

    def labels(self):
        """{value: label} of a choice question."""
        choices = self.details["choices"]
        labels = (
            {value: label for label, value in choices.items()}
            if isinstance(choices, dict)
            else {value: value for value in choices}
        )
        if self.type != "str" or not all(isinstance(value, str) for value in labels):
            self.refuse("has choices that are not strings")
        return labels

    def choices(self):
        """cookiecutter offers a list of choices, its first item as the default."""
        values = list(self.labels())
        default = values[0] if self.default is None else self.default
        if default not in values:
            self.refuse(f"has a default ({default!r}) that is not one of its choices")
        return [default, *(value for value in values if value != default)]

    def choice_prompt(self):
        named = {value: label for value, label in self.labels().items() if label != value}
        return {"__prompt__": self.prompt(), **named} if named else self.prompt()

    def default_expression(self, earlier):
        """The Jinja default for cookiecutter, where earlier answers are `cookiecutter.<name>`."""
        jinja = Environment(extensions=[CopierFilters])  # noqa: S701 (it only parses)
        used = sorted(meta.find_undeclared_variables(jinja.parse(self.default)))
        if unknown := [name for name in used if name not in earlier]:
            self.refuse(f"has a default that uses {', '.join(unknown)}, not an earlier question")
        aliases = "".join(f"{{% set {name} = cookiecutter.{name} %}}" for name in used)
        return aliases + self.default

    def refuse(self, reason):
        raise ValueError(
            f"copier.yml question {self.name!r} {reason}, which cookiecutter.json cannot express; "
            "extend hooks/cookiecutter_door.py (cookiecutter_json) to map it."
        )


def load_copier_config():
    return yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text(encoding="utf-8"))


def cookiecutter_json_text():
    """cookiecutter.json as this module writes it (the order of its keys is the order of asking)."""
    content = json.dumps(cookiecutter_json(load_copier_config()), indent=2, ensure_ascii=False)
    return content + "\n"


# --- The post-generation hook ---------------------------------------------------------------------


def release_ref():
    """The release tag at HEAD (cookiecutter's `--checkout v0.1.0`), or None for Copier's default:
    the newest release tag, as `copier copy` takes it."""
    described = subprocess.run(
        ["git", "describe", "--tags", "--exact-match", "--match=v[0-9]*", "HEAD"],  # noqa: S607
        cwd=TEMPLATE_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return described.stdout.strip() or None


def render_project(context, project):
    """Render the project Copier makes from cookiecutter's answers into `project`.

    `context` is cookiecutter's answers (`{{ cookiecutter }}`, with its private `_` entries);
    `project` is the folder cookiecutter made, holding only the placeholder. A refused answer
    exits with Copier's message; cookiecutter then removes the folder.
    """
    (project / PLACEHOLDER).unlink()
    answers = {name: value for name, value in context.items() if not name.startswith("_")}
    try:
        copier.run_copy(
            str(TEMPLATE_ROOT), str(project), data=answers, defaults=True, vcs_ref=release_ref()
        )
    except (ValueError, copier.errors.CopierError) as error:
        sys.exit(str(error))


if __name__ == "__main__":
    COOKIECUTTER_JSON.write_text(cookiecutter_json_text(), encoding="utf-8")
