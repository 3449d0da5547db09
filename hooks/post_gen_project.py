"""cookiecutter runs this in the new project folder after its questions: Copier renders the project.

cookiecutter renders this file with Jinja before running it (CopierFilters, listed in
cookiecutter.json, gives it `shipyard_template`); the code is in hooks/cookiecutter_door.py.
Jinja's `tojson` escapes every single quote, so its JSON fits in r'''...''' as it is.
"""

import json
import sys
from pathlib import Path

TEMPLATE = json.loads(r'''{{ shipyard_template | tojson }}''')  # fmt: skip
ANSWERS = json.loads(r'''{{ cookiecutter | tojson }}''')  # fmt: skip

sys.path.insert(0, TEMPLATE)
from hooks.cookiecutter_door import render_project  # noqa: E402

render_project(ANSWERS, Path.cwd())
