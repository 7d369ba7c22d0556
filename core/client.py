"""The client's address, for the audit log and the per-address rate limits.

The audit log keeps the whole address (``client_ip``). The per-address limits count a
client by ``address_key``: an IPv6 client by its network (/64 by default), since one
subscriber line gets a whole /64 and can rotate through its 2^64 addresses at will.
"""

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
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # "::ffff:203.0.113.7" (a dual-stack socket's view of an IPv4 peer) is that IPv4 address:
    # one client, one name, and TRUSTED_PROXIES written in IPv4 still match it.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


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


def address_key(ip: str | None) -> str | None:
    """Return the name under which the per-address limits count ip.

    An IPv4 address counts alone; an IPv6 address by its network of THROTTLE_IPV6_PREFIX
    bits ("2001:db8:1:2::/64"): rotating addresses inside one's own prefix must not buy a
    fresh budget. An IPv4-mapped address counts as its IPv4. Idempotent (a network given
    back gives itself), so a caller that already reduced the address changes nothing. Text
    that holds no address is returned as it is (None stays None): the throttle then counts
    it under that name rather than not at all.
    """
    if ip is None:
        return None
    try:
        network = ipaddress.ip_network(ip.strip(), strict=False)
    except ValueError:
        return ip
    address = network.network_address
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None and network.prefixlen == 128:
        return str(mapped)
    if address.version == 4:
        return str(network.network_address) if network.prefixlen == 32 else str(network)
    prefix = min(network.prefixlen, settings.THROTTLE_IPV6_PREFIX)
    return str(network.supernet(new_prefix=prefix))


def client_bucket(request) -> str | None:
    """Return the name under which the per-address limits count this request's client."""
    return address_key(client_ip(request))
