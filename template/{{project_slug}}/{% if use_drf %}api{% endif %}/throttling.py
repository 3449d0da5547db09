"""The API's throttles, counting signed-out clients by the address core.net.client_ip trusts.

DRF's own throttles read X-Forwarded-For with REST_FRAMEWORK["NUM_PROXIES"]; these use the one
trusted header (CLIENT_IP_HEADER) that the logs, the audit trail and the lockout also use.

Their counts live in the cache, which is optional: while Redis is down or hangs, the throttles
let requests through and log a warning, rather than fail every API request.
"""

import logging
import time

from redis import RedisError
from rest_framework import throttling

from ..core.net import client_ip

logger = logging.getLogger(__name__)

# After a cache failure the throttles stand aside for this many seconds before trying again, so
# that an outage slows one request in each period (by REDIS_TIMEOUT) rather than every request.
OUTAGE_PAUSE_SECONDS = 10


class FailOpenMixin:
    paused_until = 0.0  # time.monotonic() until which throttling is off; shared by every throttle

    def allow_request(self, request, view):
        if time.monotonic() < FailOpenMixin.paused_until:
            return True
        try:
            return super().allow_request(request, view)
        except RedisError as error:
            FailOpenMixin.paused_until = time.monotonic() + OUTAGE_PAUSE_SECONDS
            logger.warning(
                "API throttling is off for %s s: the cache is unavailable (%s)",
                OUTAGE_PAUSE_SECONDS,
                error,
            )
            return True


class ClientIPMixin:
    def get_ident(self, request):
        return client_ip(request)


class AnonRateThrottle(FailOpenMixin, ClientIPMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FailOpenMixin, ClientIPMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(FailOpenMixin, ClientIPMixin, throttling.ScopedRateThrottle):
    pass
