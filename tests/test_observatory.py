"""Suite tier: the MDN HTTP Observatory grades the served project A+ (a score of 100 or more).

The project runs as in tests/test_served.py, but over HTTPS: gunicorn terminates TLS with a
certificate made for localhost, which the scanner trusts through NODE_EXTRA_CA_CERTS. HSTS is
sent and graded only over HTTPS. tests/tools/observatory.mjs runs the scan of the npm package
@mdn/mdn-http-observatory against https://localhost:PORT (its CLI knows no port).
"""

import json

import pytest

from .rendering import project_environment, run
from .serving import make_certificate, served
from .variants import DEFAULT

pytestmark = [pytest.mark.suite, pytest.mark.xdist_group(DEFAULT.id)]


def test_the_observatory_grades_the_served_project_a_plus(renders, node_tools, tmp_path):
    tls = make_certificate(tmp_path)
    with served(renders.synced(DEFAULT), tls=tls) as server:
        host = server.base_url.removeprefix("https://")
        scan = run(
            ["node", node_tools / "observatory.mjs", host],
            node_tools,
            env=project_environment(NODE_EXTRA_CA_CERTS=str(tls[0])),
        )

    result = json.loads(scan.stdout)
    failed = {name: test["result"] for name, test in result["tests"].items() if not test["pass"]}
    print(f"MDN HTTP Observatory: {result['scan']['grade']}, score {result['scan']['score']}")
    assert failed == {}
    assert result["scan"]["grade"] == "A+"
    assert result["scan"]["score"] >= 100
    # Graded over HTTPS with a trusted certificate: HSTS counted, not skipped.
    assert result["tests"]["strict-transport-security"]["result"] == (
        "hsts-implemented-max-age-at-least-six-months"
    )
