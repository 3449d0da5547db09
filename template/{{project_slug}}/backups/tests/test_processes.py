"""pg_dump and pg_restore die with the command: SIGTERM raises, and the child's group is killed."""

import os
import signal
import subprocess

import pytest

from ..errors import BackupError
from ..processes import process_run, sigterm_raises


def test_sigterm_while_a_child_runs_kills_it_and_raises(tmp_path):
    """The child plays a scheduler: it sends the command SIGTERM, then would run for a minute."""
    pid_file = tmp_path / "child.pid"
    child = f"echo $$ > {pid_file}; kill -TERM {os.getpid()}; exec sleep 60"
    handler = signal.getsignal(signal.SIGTERM)

    with sigterm_raises(), pytest.raises(BackupError, match="interrupted by SIGTERM"):
        process_run(["sh", "-c", child], env=os.environ)

    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)
    assert signal.getsignal(signal.SIGTERM) == handler  # restored afterwards


def test_sigterm_while_a_child_starts_kills_it_once_it_has_started(monkeypatch):
    """A SIGTERM in the middle of starting the child is held until the child can be killed."""
    popen, children = subprocess.Popen, []

    def popen_interrupted_while_starting(*args, **kwargs):
        children.append(popen(*args, **kwargs))
        os.kill(os.getpid(), signal.SIGTERM)  # before process_run has the child's pid
        return children[-1]

    monkeypatch.setattr(subprocess, "Popen", popen_interrupted_while_starting)

    with sigterm_raises(), pytest.raises(BackupError, match="interrupted by SIGTERM"):
        process_run(["sleep", "60"], env=os.environ)

    with pytest.raises(ProcessLookupError):
        os.kill(children[0].pid, 0)


def test_a_child_reports_its_status_and_output():
    assert process_run(["sh", "-c", "echo out; echo err >&2; exit 3"], env=os.environ) == (
        3,
        "out\n",
        "err\n",
    )
