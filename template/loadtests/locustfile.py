"""Load test: what a visitor and the platform's probes do, for `locust`.

Against staging (docs/operations.md explains the numbers to watch):

    uv run --group loadtest locust -f loadtests/locustfile.py --host https://staging.example.com \
        --headless --users 50 --spawn-rate 10 --run-time 2m

Set LOADTEST_ADMIN_URL to the deployment's ADMIN_URL (default admin/).
"""

import os

from locust import HttpUser, between, task

ADMIN_URL = os.environ.get("LOADTEST_ADMIN_URL", "admin/")


class Visitor(HttpUser):
    wait_time = between(0.5, 2)

    @task(10)
    def home(self):
        self.client.get("/")

    @task(2)
    def missing_page(self):
        with self.client.get("/no-such-page/", catch_response=True) as response:
            if response.status_code == 404:
                response.success()
            else:
                response.failure(f"expected the 404 page, got {response.status_code}")

    @task(1)
    def admin_sign_in_page(self):
        self.client.get(f"/{ADMIN_URL}login/", name="/<admin>/login/")


class PlatformProbe(HttpUser):
    """The load balancer's liveness and readiness probes, every few seconds."""

    wait_time = between(1, 3)

    @task
    def live(self):
        self.client.get("/health/live/")

    @task
    def ready(self):
        self.client.get("/health/ready/")
