"""The API's throttles, counting signed-out clients by the address core.net.client_ip trusts.

DRF's own throttles read X-Forwarded-For with REST_FRAMEWORK["NUM_PROXIES"]; these use the one
trusted header (CLIENT_IP_HEADER) that the logs, the audit trail and the lockout also use.
"""

from rest_framework import throttling

from ..core.net import client_ip


class ClientIPMixin:
    def get_ident(self, request):
        return client_ip(request)


class AnonRateThrottle(ClientIPMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientIPMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientIPMixin, throttling.ScopedRateThrottle):
    pass
