"""pg_dump and pg_restore die with the command, and SIGTERM lets the command clean up first.

A child runs in its own process group, which is killed when the command is interrupted before
the child ends; SIGTERM (what `kill`, `docker stop` and job schedulers send) raises a BackupError
instead of ending the process at once, so that the scratch directory is removed and a partial
upload deleted like after any other failure.
"""

import os
import signal
import subprocess
import threading
from contextlib import contextmanager

from .errors import BackupError

# A SIGTERM that arrives while a child is being started waits until the child has a process id,
# so that it can be killed with its group: raised in the middle of Popen, it would orphan it.
_starting = {"now": False, "terminated": False}


def process_run(command, *, env):
    """Run `command`; returns (exit status, stdout, stderr). The child is killed if this
    process is interrupted (SIGTERM, Ctrl-C) while it runs."""
    _starting.update(now=True, terminated=False)
    try:
        process = subprocess.Popen(  # noqa: S603 (a fixed program and arguments, no shell)
            [str(part) for part in command],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
    finally:
        _starting["now"] = False
    with process:
        try:
            if _starting["terminated"]:
                _raise_terminated(signal.SIGTERM, None)
            stdout, stderr = process.communicate()
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    return process.returncode, stdout, stderr


def _raise_terminated(signum, frame):
    if _starting["now"]:
        _starting["terminated"] = True
        return
    raise BackupError("interrupted by SIGTERM")


@contextmanager
def sigterm_raises():
    """While the block runs, SIGTERM raises a BackupError (in the main thread only, where
    Python delivers signals)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
