"""The client's address, for the audit log and the per-address rate limits."""

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy, strict=False))
        except ValueError:  # a typo in TRUSTED_PROXIES trusts nothing more
            continue
    return tuple(networks)


def _parse(text: str) -> Address | None:
    """Return the address in text ("203.0.113.7", "2001:db8::1", "[2001:db8::1]:443",
    "203.0.113.7:51000"), or None when it holds none ("unknown", garbage)."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: Address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def direct_peer_is_trusted(request) -> bool:
    """Return whether the connection comes straight from one of TRUSTED_PROXIES (our nginx):
    only then may a header the proxy sets (X-Forwarded-For, the client certificate) be believed."""
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    return remote is not None and _trusted(remote)


def client_ip(request) -> str | None:
    """Return the client's address: X-Forwarded-For is believed only from TRUSTED_PROXIES.

    Walk the forwarded chain from the right and return the first hop that is not one of
    our proxies, so that a client cannot choose its own address by sending the header.
    A hop that holds no address (garbage, "unknown") stops the walk at the trusted proxy
    that reported it: that proxy's own address is counted, so the per-address limits never
    fall back to "no address". None only when the connection itself has no address.
    """
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    if not _trusted(remote):
        return str(remote)
    reporter = remote
    for text in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not text.strip():
            continue
        hop = _parse(text)
        if hop is None:
            return str(reporter)
        if not _trusted(hop):
            return str(hop)
        reporter = hop
    return str(reporter)
