"""Suite tier: a served project whose database or cache hangs fails fast and stays up.

The project runs under gunicorn with production settings on loopback (tests/serving.py); its
PostgreSQL or Redis sits behind a proxy that can be made to hang: it goes on accepting and reading,
and never answers again, as a frozen server or a lost network path does.
"""

import contextlib
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from concurrent import futures

import pytest

from .serving import POSTGRES, fresh_database, served
from .variants import DEFAULT, LARGEST

pytestmark = pytest.mark.suite

# Each variant's tests on one xdist worker: two servers of one project would both write its
# staticfiles/ at once.
SERVED_VARIANTS = pytest.mark.parametrize(
    "variant",
    [
        pytest.param(v, id=v.id, marks=pytest.mark.xdist_group(v.id))
        for v in dict.fromkeys([DEFAULT, LARGEST])
    ],
)


class HangingProxy:
    """A loopback TCP proxy to `upstream_port` until `hang()`; then a black hole.

    Once hanging, it reads whatever any connection sends, old or new, and forwards and answers
    nothing. `close()` resets every connection, freeing the clients still waiting.
    """

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.hanging = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets = [self.listener]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        with contextlib.suppress(OSError):
            while True:
                client, _ = self.listener.accept()
                self.sockets.append(client)
                if self.hanging.is_set():
                    self.pump(client, None)
                    continue
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
                self.sockets.append(upstream)
                self.pump(client, upstream)
                self.pump(upstream, client)

    def pump(self, source, target):
        """Copy `source` to `target` in a thread of its own; drop everything once hanging."""

        def copy():
            with contextlib.suppress(OSError):
                while data := source.recv(65536):
                    if target is not None and not self.hanging.is_set():
                        target.sendall(data)

        threading.Thread(target=copy, daemon=True).start()

    def hang(self):
        self.hanging.set()

    def close(self):
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


@contextlib.contextmanager
def hanging_proxy(upstream_port):
    proxy = HangingProxy(upstream_port)
    try:
        yield proxy
    finally:
        proxy.close()


def timed_get(url):
    """(status, seconds, body) of a GET; no answer within 10 s counts as status None."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    except TimeoutError:
        status, body = None, b""
    return status, time.monotonic() - started, body


def wait_until_ready(server, timeout=30):
    """Return once /health/ready/ answers 200: the first probes after start load the migrations."""
    deadline = time.monotonic() + timeout
    while timed_get(server.url("/health/ready/"))[0] != 200:
        assert time.monotonic() < deadline, f"/health/ready/ not 200 within {timeout} s"
        time.sleep(0.2)


def probe_storm(server, rounds=3, probes=3):
    """Rounds of `probes` concurrent readiness probes, each with a liveness probe and the home
    page alongside: {path: [(status, seconds, body), ...]}."""
    paths = ["/health/ready/"] * probes + ["/health/live/", "/"]
    seen = {path: [] for path in paths}
    with futures.ThreadPoolExecutor(max_workers=len(paths)) as pool:
        for _ in range(rounds):
            answers = pool.map(timed_get, [server.url(path) for path in paths])
            for path, answer in zip(paths, answers, strict=True):
                seen[path].append(answer)
    return seen


def warm_up(server):
    """Have both workers serve every path once: a worker's first page loads the URL conf."""
    probe_storm(server, rounds=2)


def assert_fails_fast_and_stays_up(first, seen, failing_check):
    status, seconds, body = first
    assert status == 503
    assert json.loads(body)["checks"][failing_check]["status"] == "error"
    assert seconds < 1
    for status, seconds, body in seen["/health/ready/"]:
        assert status == 503
        assert json.loads(body)["checks"][failing_check]["status"] == "error"
        # Two sync workers answer three probes at once: the third waits for one of them.
        assert seconds < 2
    for path in ("/health/live/", "/"):
        assert [status for status, _, _ in seen[path]] == [200] * len(seen[path])
        assert max(seconds for _, seconds, _ in seen[path]) < 2, path


@SERVED_VARIANTS
def test_a_hung_database_fails_readiness_fast_and_takes_nothing_else_down(renders, variant):
    project = renders.synced(variant)
    with fresh_database(project, "shipyard_faults") as database, hanging_proxy(5432) as proxy:
        url = f"{POSTGRES.replace('5432', str(proxy.port))}/{database}"
        with served(project, DATABASE_URL=url) as server:
            wait_until_ready(server)
            warm_up(server)
            proxy.hang()

            first = timed_get(server.url("/health/ready/"))
            seen = probe_storm(server)
            # Free the threads still waiting on the database before gunicorn stops.
            proxy.close()

    assert_fails_fast_and_stays_up(first, seen, "database")


@SERVED_VARIANTS
def test_a_hung_cache_fails_readiness_fast_and_takes_nothing_else_down(renders, variant):
    project = renders.synced(variant)
    with hanging_proxy(6379) as proxy:
        proxy.hang()
        with served(project, REDIS_URL=f"redis://127.0.0.1:{proxy.port}/0") as server:
            warm_up(server)
            first = timed_get(server.url("/health/ready/"))
            seen = probe_storm(server)

    assert_fails_fast_and_stays_up(first, seen, "cache")
