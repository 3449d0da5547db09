"""Password reset and email resend answer as fast whether or not an email goes out.

Served by a real (threaded WSGI) server, with a mail server that takes 300 ms a message: if the
email were sent before the answer, an existing account would answer 300 ms later than a made-up
address, and timing would tell who has an account.
"""

import json
import statistics
import time
from urllib.request import Request, urlopen

import pytest
from django.urls import reverse

from ...users.tests.factories import UserFactory
from .. import views
from .slow_smtp import slow_smtp_server

pytestmark = pytest.mark.django_db(transaction=True)

SMTP_DELAY = 0.3  # seconds the mail server takes per message
REQUESTS = 15  # each way
BOUND = 0.05  # seconds the medians may differ by


@pytest.fixture
def slow_mail(settings):
    with slow_smtp_server(delay=SMTP_DELAY) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield server


@pytest.fixture
def unthrottled(monkeypatch):
    """Throttling is tested on its own (test_throttling.py); here it would answer 429."""
    for view in (views.PasswordResetView, views.EmailResendView):
        monkeypatch.setattr(view, "throttle_classes", [])


def seconds_to_answer(url, email):
    """The time to a complete answer (202) to a post of `email` to `url`."""
    body = json.dumps({"email": email}).encode()
    request = Request(url, body, {"Content-Type": "application/json"})  # noqa: S310
    started = time.perf_counter()
    with urlopen(request, timeout=10) as response:  # noqa: S310 (the test's own server)
        response.read()
        assert response.status == 202
    return time.perf_counter() - started


def medians(url, *emails):
    """The median time to answer each address, over REQUESTS posts of each, taken in turn so
    that whatever else the machine does weighs on both alike."""
    timings = {email: [] for email in emails}
    for _ in range(REQUESTS):
        for email in emails:
            timings[email].append(seconds_to_answer(url, email))
    return [statistics.median(timings[email]) for email in emails]


def wait_for(messages, count, *, timeout=30):
    deadline = time.monotonic() + timeout
    while len(messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return len(messages)


@pytest.mark.parametrize(
    ("name", "account"),
    [
        ("api:password-reset", {"email_verified": True}),
        ("api:email-resend", {"email_verified": False}),
    ],
)
def test_an_existing_account_answers_as_fast_as_a_made_up_address(
    live_server, slow_mail, unthrottled, name, account, capsys
):
    user = UserFactory(**account)
    url = f"{live_server.url}{reverse(name)}"

    existing, unknown = medians(url, user.email, "nobody-here@example.com")

    with capsys.disabled():
        print(f"\n{name}: median {existing * 1000:.1f} ms existing, {unknown * 1000:.1f} ms not")
    assert abs(existing - unknown) < BOUND
    # The emails did go out, after the answers.
    assert wait_for(slow_mail.messages, REQUESTS) == REQUESTS
