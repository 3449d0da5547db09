"""The client's IP address, as the platform's proxy reports it.

Only the header named by CLIENT_IP_HEADER is trusted (settings: IPWARE_META_PRECEDENCE_ORDER),
because only the platform's proxy can be relied on to set it and to drop what clients send.
"""

from ipware import get_client_ip


def client_ip(request):
    """The client's address; the TCP peer's when the trusted header is missing or malformed."""
    ip, _routable = get_client_ip(request)
    return ip or request.META.get("REMOTE_ADDR")
