"""Issue 13 item 5: the per-address limits (R-THROTTLE-1) count an IPv6 client by its /64 and
an IPv4-mapped address as its IPv4, so that rotating addresses inside one's own prefix buys
no fresh budget. The audit log keeps the whole address.

Before, every per-address key was the full address: 30 "email already used" answers per
address and hour at J1 step 2, 50 login failures per address per 10 minutes, each times the
2^64 addresses of one access line."""

import pytest

from antirobot.testing import captcha_post_data
from core.client import address_key, client_bucket, client_ip
from core.models import AuditEvent
from core.throttle import Throttle
from tests.accounts import journey
from tests.factories import STRONG_PASSWORD, SpaceFactory
from accounts.events import Kind as Event

pytestmark = pytest.mark.django_db

LINE = "2001:db8:a:b:"  # one subscriber's /64: 2001:db8:a:b::/64
OTHER_LINE = "2001:db8:a:c:"  # the neighbour's


def limit(settings, name, value):
    settings.THROTTLE_POLICIES = {
        **settings.THROTTLE_POLICIES,
        name: {**settings.THROTTLE_POLICIES[name], "limit": value},
    }


@pytest.mark.parametrize(
    "ip, key",
    [
        ("2001:db8:a:b::1", "2001:db8:a:b::/64"),
        ("2001:db8:a:b:ffff:ffff:ffff:ffff", "2001:db8:a:b::/64"),
        ("2001:DB8:A:B:0:0:0:7", "2001:db8:a:b::/64"),
        ("2001:db8:a:b::/64", "2001:db8:a:b::/64"),  # idempotent
        ("::ffff:203.0.113.7", "203.0.113.7"),  # IPv4-mapped: the IPv4 address
        ("203.0.113.7", "203.0.113.7"),  # IPv4 alone
        ("203.0.113.0/24", "203.0.113.0/24"),  # a network given back gives itself
        ("garbage", "garbage"),  # no address: counted under that name, never dropped
        (None, None),
    ],
)
def test_r_throttle_1_address_key_counts_ipv6_by_its_64(ip, key):
    assert address_key(ip) == key


def test_r_throttle_1_ipv6_prefix_is_configurable(settings):
    settings.THROTTLE_IPV6_PREFIX = 48
    assert address_key("2001:db8:a:b::1") == address_key("2001:db8:a:ffff::1") == "2001:db8:a::/48"
    assert address_key("2001:db8:b::1") == "2001:db8:b::/48"


def test_a_mapped_address_is_its_ipv4_for_the_audit_and_the_proxies_too(rf, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(rf.get("/", REMOTE_ADDR="::ffff:198.51.100.9")) == "198.51.100.9"
    # A dual-stack socket reports the local nginx as ::ffff:127.0.0.1: still our proxy.
    via_proxy = rf.get("/", REMOTE_ADDR="::ffff:127.0.0.1", HTTP_X_FORWARDED_FOR="2001:db8:a:b::99")
    assert client_ip(via_proxy) == "2001:db8:a:b::99"  # the whole address, for the audit log
    assert client_bucket(via_proxy) == "2001:db8:a:b::/64"


def test_r_throttle_1_ceilings_per_address_share_the_64_and_others_do_not(settings):
    limit(settings, "email_checks_per_address", 2)
    limit(settings, "reset_requests_per_email", 1)
    throttle = Throttle.default()
    assert throttle.within_limit("email_checks_per_address", key=LINE + ":1")
    assert throttle.within_limit("email_checks_per_address", key=LINE + ":2")
    assert not throttle.within_limit("email_checks_per_address", key=LINE + ":3")
    assert throttle.within_limit("email_checks_per_address", key=OTHER_LINE + ":1")
    # A ceiling per email is counted by the email as typed, not reduced as an address.
    assert throttle.within_limit("reset_requests_per_email", key="a@exemple.fr")
    assert throttle.within_limit("reset_requests_per_email", key="b@exemple.fr")


def probe(client, email, address):
    """J1 step 2 from address: the wizard restarted, then the email and password posted."""
    journey.start(client)
    data = {"email": email, "email_confirm": email, "password": STRONG_PASSWORD, "password_confirm": STRONG_PASSWORD}
    return client.post("/creation/identifiants", data, REMOTE_ADDR=address)


def test_r_throttle_1_j1_step_2_email_checks_share_one_budget_per_64(client, settings):
    limit(settings, "email_checks_per_address", 3)
    answers = [probe(client, f"sonde{host}@exemple.fr", f"{LINE}:{host}").status_code for host in range(1, 5)]
    assert answers == [302, 302, 302, 400]  # four addresses of one /64: one budget of three
    refused = probe(client, "sonde9@exemple.fr", f"{LINE}:9")
    assert refused.status_code == 400 and "Trop de demandes" in refused.content.decode()
    # Another /64 has its own budget; the audit log names the whole address.
    assert probe(client, "voisin@exemple.fr", f"{OTHER_LINE}:1").status_code == 302
    event = AuditEvent.objects.filter(kind=Event.REGISTRATION_REFUSED).order_by("-id").first()
    assert event.ip == f"{LINE}:9" and event.detail["reason"] == "throttled"


def test_r_throttle_1_j1_step_2_mapped_ipv4_and_ipv4_share_one_budget(client, settings):
    limit(settings, "email_checks_per_address", 2)
    assert probe(client, "m1@exemple.fr", "203.0.113.7").status_code == 302
    assert probe(client, "m2@exemple.fr", "::ffff:203.0.113.7").status_code == 302
    assert probe(client, "m3@exemple.fr", "::ffff:cb00:7107").status_code == 400  # the same, in hex


def failed_login(client, email, address):
    page = client.get("/", REMOTE_ADDR=address)
    data = {"email": email, "password": "pas le bon mot de passe", **captcha_post_data(page)}
    return client.post("/", data, REMOTE_ADDR=address)


def good_login(client, email, address):
    page = client.get("/", REMOTE_ADDR=address)
    data = {"email": email, "password": STRONG_PASSWORD, **captcha_post_data(page)}
    return client.post("/", data, REMOTE_ADDR=address)


def test_r_throttle_1_login_failures_per_address_are_counted_per_64(client, settings):
    limit(settings, "address_failures", 3)
    space = SpaceFactory()
    for host in range(1, 4):  # three failures, each on another account and another address
        assert failed_login(client, f"inconnu{host}@exemple.fr", f"{LINE}:{host}").status_code == 400
    # The /64 is spent: the right password from a fourth address of it is not even checked.
    refused = good_login(client, space.login_email, f"{LINE}:4")
    assert refused.status_code == 400
    assert AuditEvent.objects.filter(kind=Event.LOGIN_THROTTLED, ip=f"{LINE}:4").exists()
    # The neighbour's /64 is not: it logs in.
    assert good_login(client, space.login_email, f"{OTHER_LINE}:4").status_code == 302
    assert int(client.session["_auth_user_id"]) == space.pk


def test_r_throttle_1_every_ceiling_keyed_by_an_address_is_named_per_address(settings):
    """The throttle reduces the key of a ceiling named *_per_address: a ceiling counted by
    the client's address under another name would count each IPv6 address alone."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    calls = []
    for path in root.glob("*/**/*.py"):
        if path.parts[len(root.parts)] in {"tests", ".venv", "bench", "var"}:
            continue
        tree = ast.parse(path.read_text(), str(path))
        constants = {  # a policy named by a module constant (antirobot's POLICY)
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "within_limit":
                first = node.args[0]
                name = first.value if isinstance(first, ast.Constant) else constants.get(getattr(first, "id", ""), "?")
                key = next(ast.unparse(k.value) for k in node.keywords if k.arg == "key")
                calls.append((path.name, name, key))
    assert len(calls) >= 8, calls  # the walk found the call sites
    for source, name, key in calls:
        if "client_ip" in key or "address" in key:
            assert name.endswith("_per_address"), (source, name, key)
    for name in settings.THROTTLE_POLICIES:
        assert name == "address_failures" or "address" not in name or name.endswith("_per_address"), name
