"""The shell commands that documentation shows, found and run as written.

Every fenced block in a shell language (```bash, ```sh, ```shell, ```console) is a command block,
and the test suite runs it exactly as written, unless the line before its fence (blank lines
aside) is a marker comment:

    <!-- not-run: the reason, e.g. "deploys to a real DigitalOcean account" -->
        the block is not run; the reason is required and shown to the reader of the source.
    <!-- serves: /health/live/ -->
        the block starts a server on 127.0.0.1:8000 that runs until the page's other blocks are
        done; the next block runs once http://127.0.0.1:8000/health/live/ answers.

A page's blocks run in order, each in `bash -euo pipefail`, as if typed into one terminal: a
block starts in the directory where the previous one ended, with the variables it exported.
A block may hold placeholders for what a person would paste from elsewhere, written
`<UPPER_CASE>` (e.g. `<VERIFICATION_TOKEN>`); the test that runs the page says how each is
filled in (a value, or a function of what the page's servers printed, which raises
AssertionError until they have printed it).
"""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

SHELL_LANGUAGES = {"bash", "sh", "shell", "console"}
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,})(?P<language>[\w+-]*)\s*$")
MARKER = re.compile(r"^\s*<!--\s*(?P<kind>not-run|serves):\s*(?P<value>.*?)\s*-->\s*$")
PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9_]*>")
SERVER = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class Block:
    source: str  # "docs/updating.md:26", for messages
    code: str
    not_run: str | None = None  # the reason, when marked not-run
    serves: str | None = None  # the path that answers once the server is up

    @property
    def placeholders(self):
        return sorted(set(PLACEHOLDER.findall(self.code)))


def command_blocks(text, name):
    """The shell command blocks of a Markdown text, in order, with their markers."""
    blocks = []
    lines = text.splitlines()
    number = 0
    while number < len(lines):
        opening = FENCE.match(lines[number])
        if not opening:
            number += 1
            continue
        indent, fence = len(opening["indent"]), opening["fence"]
        end = number + 1
        while end < len(lines) and lines[end].strip() != fence:
            end += 1
        if opening["language"] in SHELL_LANGUAGES:
            code = "\n".join(line[indent:] for line in lines[number + 1 : end]) + "\n"
            marker = _marker_before(lines, number)
            blocks.append(
                Block(
                    source=f"{name}:{number + 1}",
                    code=code,
                    not_run=marker["value"] if marker and marker["kind"] == "not-run" else None,
                    serves=marker["value"] if marker and marker["kind"] == "serves" else None,
                )
            )
        number = end + 1
    return blocks


def _marker_before(lines, fence_line):
    previous = fence_line - 1
    while previous >= 0 and not lines[previous].strip():
        previous -= 1
    return MARKER.match(lines[previous]) if previous >= 0 else None


def unmarked_problems(blocks):
    """Blocks marked not-run without a reason."""
    return [f"{block.source}: not-run needs a reason" for block in blocks if block.not_run == ""]


Placeholders = Mapping[str, "str | Callable[[str], str]"]


def run_page(blocks, cwd, *, env, placeholders: Placeholders | None = None, timeout=900):
    """Run a page's blocks in order in `cwd`; fail with the block and its output on any error.

    `placeholders` fills `<NAME>` in a block: with a string, or with a function that receives
    everything the page's servers have printed so far (a console email, say).
    """
    placeholders = placeholders or {}
    servers = []
    state = Path(tempfile.mkdtemp(prefix="shell-state-")) / "state.sh"
    # Pages that serve on port 8000 take turns, whichever test process runs them.
    port_lock = FileLock(str(Path(tempfile.gettempdir()) / "shipyard-port-8000.lock"))
    if any(block.serves is not None and block.not_run is None for block in blocks):
        port_lock.acquire()
    try:
        for block in blocks:
            if block.not_run is not None:
                continue
            code = _fill(block, placeholders, servers)
            if state.exists():
                code = f"source {state}\n{code}"
            if block.serves is not None:
                servers.append(_Server.start(block, code, cwd, env))
                continue
            # Where the block ended and what it exported, for the next block.
            keep_state = f'\n{{ printf "cd %q\\n" "$PWD"; export -p; }} > {state}\n'
            result = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", code + keep_state],
                cwd=cwd,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            if result.returncode != 0:
                raise AssertionError(
                    f"{block.source} exited {result.returncode}:\n{code}\n"
                    f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
                )
    finally:
        for server in servers:
            server.stop()
        if port_lock.is_locked:
            port_lock.release()
        shutil.rmtree(state.parent, ignore_errors=True)


def _fill(block, placeholders, servers):
    code = block.code
    for name in block.placeholders:
        if name not in placeholders:
            raise AssertionError(f"{block.source}: the test gives no value for {name}")
        value = placeholders[name]
        if callable(value):
            value = _awaited(value, servers)
        code = code.replace(name, value)
    return code


def _awaited(read, servers, timeout=15):
    """`read(output)` once the servers have printed what it looks for (an email goes out just
    after the answer that caused it): it raises AssertionError until then."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return read("".join(server.output() for server in servers))
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@dataclass
class _Server:
    block: Block
    process: subprocess.Popen
    log: Path

    @classmethod
    def start(cls, block, code, cwd, env):
        log = Path(tempfile.mkstemp(prefix="served-", suffix=".log")[1])
        with log.open("w") as output:
            process = subprocess.Popen(
                ["bash", "-euo", "pipefail", "-c", code],
                cwd=cwd,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # one process group: stop() ends the server's children too
            )
        server = cls(block, process, log)
        server.wait_until_it_answers()
        return server

    def wait_until_it_answers(self, timeout=120):
        url = SERVER + self.block.serves
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"{self.block.source} exited {self.process.returncode} before {url} "
                    f"answered:\n{self.output()}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback)
                    return
            except urllib.error.HTTPError:
                return  # it answered, if not with 200
            except OSError:
                time.sleep(0.25)
        raise AssertionError(f"{self.block.source}: {url} did not answer in {timeout} s")

    def output(self):
        return self.log.read_text(errors="replace")

    def stop(self):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.unlink(missing_ok=True)


def last_link_token(page):
    """A function of the servers' output: the token of the last emailed link to `page`."""

    def token(output):
        tokens = re.findall(rf"/{page}\?token=(\S+)", output)
        assert tokens, f"no email with a /{page} link in the server's output:\n{output}"
        return tokens[-1]

    return token


def run_docs_page(project, name, **kwargs):
    """Run the blocks of the page `name` of a project, in the project."""
    run_page(command_blocks((project / name).read_text(), name), project, **kwargs)
