"""The client address (core.client): the proxy logic behind the audit log and
the per-address rate limits (R-THROTTLE-1). An unparseable hop reported by a trusted proxy
counts as that proxy's address, never as "no address" (which would share one budget)."""

import pytest

from core import throttle
from core.client import client_ip


@pytest.fixture
def proxies(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8", "not-a-network"]
    return settings


def ip(rf, remote="127.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(rf.get("/", **extra))


def test_without_trusted_proxies_the_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXIES = []
    assert ip(rf, "127.0.0.1", "203.0.113.7") == "127.0.0.1"
    assert ip(rf, "198.51.100.9", "203.0.113.7") == "198.51.100.9"


def test_a_connection_without_an_address_has_none(rf, proxies):
    assert ip(rf, "", "203.0.113.7") is None
    assert ip(rf, "unix-socket") is None


def test_an_untrusted_peer_cannot_choose_its_address(rf, proxies):
    assert ip(rf, "198.51.100.9", "203.0.113.7") == "198.51.100.9"


@pytest.mark.parametrize(
    "forwarded, expected",
    [
        ("203.0.113.7", "203.0.113.7"),  # nginx in front
        ("203.0.113.7, 10.1.2.3", "203.0.113.7"),  # two trusted proxies (a CIDR range)
        ("1.1.1.1, 203.0.113.7", "203.0.113.7"),  # a client-supplied left part is not believed
        ("203.0.113.7:51000", "203.0.113.7"),  # IPv4 with a port
        ("[2001:DB8::1]:443", "2001:db8::1"),  # bracketed IPv6 with a port, canonical form
        ("2001:0db8:0000::0001", "2001:db8::1"),
        ("203.0.113.7,, ", "203.0.113.7"),  # empty hops are skipped
    ],
)
def test_the_first_untrusted_hop_from_the_right_is_the_client(rf, proxies, forwarded, expected):
    assert ip(rf, "127.0.0.1", forwarded) == expected


@pytest.mark.parametrize(
    "remote, forwarded, expected",
    [
        ("127.0.0.1", "garbage", "127.0.0.1"),  # the proxy itself wrote garbage: its address
        ("127.0.0.1", "unknown", "127.0.0.1"),
        ("127.0.0.1", "203.0.113.7, garbage", "127.0.0.1"),  # never skipped to a client-chosen hop
        ("127.0.0.1", "garbage, 10.9.9.9", "10.9.9.9"),  # garbage reported by a second proxy
        ("127.0.0.1", "", "127.0.0.1"),  # no header
        ("127.0.0.1", "10.9.9.9", "10.9.9.9"),  # only proxies: the farthest one
    ],
)
def test_an_unparseable_hop_counts_as_the_proxy_that_reported_it(rf, proxies, remote, forwarded, expected):
    assert ip(rf, remote, forwarded) == expected


@pytest.mark.django_db
def test_per_address_limits_hold_behind_a_proxy_sending_garbage(rf, proxies):
    """Failures behind a trusted proxy that forwards garbage are counted on the proxy's address:
    the address limit still closes (it was switched off by a null address before)."""
    limiter = throttle.Throttle.default()
    limit = proxies.THROTTLE_POLICIES["address_failures"]["limit"]
    for n in range(limit):
        address = ip(rf, "127.0.0.1", f"garbage-{n}")
        assert address == "127.0.0.1"
        limiter.failed(account=f"compte{n}@exemple.fr", address=address)
    assert not limiter.allows(account="nouveau@exemple.fr", address=ip(rf, "127.0.0.1", "encore-du-bruit"))


# --- X-Forwarded-Proto, believed from our proxies only (core.middleware.ForwardedProtoMiddleware)


@pytest.mark.parametrize(
    "peer, https",
    [("10.0.0.1", True), ("127.0.0.1", False), ("10.0.0.2", False)],
    ids=["from-the-proxy", "a-local-process", "another-host"],
)
def test_spec_4_https_is_believed_from_a_trusted_proxy_only(client, settings, peer, https):
    """Django's SECURE_PROXY_SSL_HEADER alone reads X-Forwarded-Proto from any peer: a process
    reaching a node directly could make it answer as over TLS (HSTS, CSRF's checks)."""
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    page = client.get("/aide", REMOTE_ADDR=peer, HTTP_X_FORWARDED_PROTO="https")
    assert page.status_code == 200
    assert ("Strict-Transport-Security" in page) is https
