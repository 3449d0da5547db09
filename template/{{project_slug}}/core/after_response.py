"""Work that runs after the response has gone out: the seam where a job queue will plug in.

A service that has slow, non-essential work to do (an email through a mail server) hands it to
run_after_response(). While Django serves a request, the work waits in a list of that request's
own, and runs once the WSGI server has sent the whole response and closes it (Django's
request_finished signal). The client gets its answer as fast whether or not there was an email
to send, so timing cannot tell who has an account. Outside a request (the shell, management
commands), the work runs at once.

The worker process is still busy while it sends: with Celery, run_after_response() becomes a
task's .delay() and nothing else changes. A failure is logged and never reaches the client.
"""

import contextvars
import logging

from django.core.signals import request_finished, request_started

logger = logging.getLogger(__name__)

# The current request's pending work; None while no request is being served.
_pending = contextvars.ContextVar("after_response_pending", default=None)


def run_after_response(function, *args, **kwargs):
    """Call function(*args, **kwargs) once the current response is sent, or now if none is."""
    pending = _pending.get()
    if pending is None:
        _run(function, args, kwargs)
    else:
        pending.append((function, args, kwargs))


def _run(function, args, kwargs):
    try:
        function(*args, **kwargs)
    except Exception:
        logger.exception("Work after the response failed: %s", function.__qualname__)


def _request_started(**signal):
    _pending.set([])


def _request_finished(**signal):
    pending = _pending.get() or []
    _pending.set(None)
    for function, args, kwargs in pending:
        _run(function, args, kwargs)


def connect():
    """Called once by the app's ready(): follow Django's request start and finish signals."""
    request_started.connect(_request_started, dispatch_uid="core.after_response.started")
    request_finished.connect(_request_finished, dispatch_uid="core.after_response.finished")
