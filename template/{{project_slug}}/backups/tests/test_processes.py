"""pg_dump and pg_restore die with the command: SIGTERM raises, and the child's group is killed."""

import os
import signal

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


def test_a_child_reports_its_status_and_output():
    assert process_run(["sh", "-c", "echo out; echo err >&2; exit 3"], env=os.environ) == (
        3,
        "out\n",
        "err\n",
    )
