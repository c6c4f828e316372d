"""The client's network address, behind a proxy or not (axes' lock-outs, the objection limit, the reset throttle).

``REMOTE_ADDR`` is the address that connected. Only when it is a proxy named in ``TRUSTED_PROXIES`` (addresses or
networks, e.g. ``10.0.0.5`` or ``172.18.0.0/16``) is the ``X-Forwarded-For`` header read: from its right, the first
address that is not itself a trusted proxy is the client's. Anyone else can write that header, so it is ignored
otherwise; and a header that is not a list of addresses counts for nothing.
"""

import ipaddress
from functools import cache

from django.conf import settings


@cache
def _trusted(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not _is_trusted(remote):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote
        if not _is_trusted(hop):
            return hop
    return remote
