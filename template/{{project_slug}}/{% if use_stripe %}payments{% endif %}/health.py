"""The readiness check of payments: Stripe's configuration, read from the settings alone.

It never calls Stripe: a readiness probe must not depend on a third party's uptime, nor spend
its rate limit.
"""

import dataclasses

from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from .selectors import configuration_problems


@dataclasses.dataclass
class StripeConfiguration(HealthCheck):
    def run(self):
        problems = configuration_problems()
        if problems:
            raise ServiceUnavailable("; ".join(problems))
