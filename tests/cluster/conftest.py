"""The cluster of `make cluster` (deploy/cluster.py) around the PostgreSQL test database.

Two real gunicorn nodes of the product, Debian's nginx in front (deploy/nginx.conf, TLS), the
test's PostgreSQL database and a Redis database of their own, a real SMTP server; the mail and
letters workers when a test asks for them. The tests are transactional: the nodes see the rows
the test writes, and the test sees theirs.

A test reaches a node directly as nginx would (from the proxy's address, with X-Forwarded-For
and X-Forwarded-Proto), to choose which node serves each request, or goes through nginx itself.
"""

import os
import re
import ssl
import threading
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from django.conf import settings
from django.db import connection

from antirobot.testing import captcha_post_data
from deploy.cluster import PROXY_ADDRESS, Cluster, find_nginx
from tests.accounts.certs import site_pki
from tests.conftest import need, redis_url
from tests.smtp_server import running_smtp_server

# A load balancer before nginx (as in front of a national service): its address is trusted
# too, so that a test's client may say which address it comes from (TEST-NET values).
FRONT_ADDRESS = "127.0.0.4"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def node_database_url() -> str:
    """The URL of the very database the test uses (pytest-django's test_… database)."""
    data = connection.settings_dict
    user = data["USER"] or "postgres"
    password = f":{data['PASSWORD']}" if data["PASSWORD"] else ""
    return f"postgres://{user}{password}@{data['HOST'] or '127.0.0.1'}:{data['PORT'] or 5432}/{data['NAME']}"


def node_redis_url() -> str:
    """A Redis database of the cluster's own, one per xdist worker (the counters of
    127.0.0.1 must not add up across workers)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw-1")
    index = 12 - int(worker.removeprefix("gw") or 0) if worker != "gw-1" else 13
    parts = urlsplit(redis_url())
    return urlunsplit(parts._replace(path=f"/{index}"))


@pytest.fixture(scope="module")
def cluster_pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster-pki")
    site_pki(folder, "AC de test de la grappe")
    return folder


@pytest.fixture(scope="module")
def cluster_smtp():
    with running_smtp_server() as server:
        yield server


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


@pytest.fixture(scope="module")
def cluster(request, django_db_setup, django_db_blocker, tmp_path_factory, cluster_pki, cluster_smtp):
    """Two nodes behind nginx; the workers only for modules that set CLUSTER_WORKERS = True."""
    need(bool(settings.DATABASES["default"]["ENGINE"].endswith("postgresql")), "PostgreSQL absent (DATABASE_URL)")
    need(bool(redis_url()), "Redis absent (REDIS_URL)")
    need(find_nginx() is not None, "nginx absent (apt-get install nginx-light)")
    with django_db_blocker.unblock():
        database = node_database_url()
    redis = node_redis_url()
    flush_redis(redis)
    environment = {
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "SECRET_KEY": settings.SECRET_KEY,  # the test solves the nodes' captchas
        "EMAIL_URL": f"smtp://127.0.0.1:{cluster_smtp.port}",
        "SITE_DOMAIN": "localhost",
        **getattr(request.module, "CLUSTER_ENVIRONMENT", {}),
    }
    folder = tmp_path_factory.mktemp("cluster")
    workers = getattr(request.module, "CLUSTER_WORKERS", False)
    with Cluster(folder=folder, pki=cluster_pki, environment=environment, workers=workers,
                 extra_trusted=(FRONT_ADDRESS,)) as running:
        running.redis_url = redis
        yield running


@pytest.fixture(autouse=True)
def fresh_cluster_state(request):
    """Each test starts with no counters or sessions of the previous one (the catalogue a
    previous flush took is loaded again by tests/conftest.py's guide_catalogue)."""
    if "cluster" in request.fixturenames:
        flush_redis(request.getfixturevalue("cluster").redis_url)
    yield


class Browser:
    """One person's browser: its own cookies, through nginx or straight to one node.

    To a node, the request comes from PROXY_ADDRESS with the headers nginx sets, so the node
    sees what it sees behind nginx (https, the client's address); cookies are kept here (the
    nodes mark them Secure, which a cookie jar keeps off plain http).
    """

    def __init__(self, cluster: Cluster, address: str = "192.0.2.10"):
        self.cluster = cluster
        self.address = address
        self.cookies: dict[str, str] = {}
        context = ssl.create_default_context(cafile=str(cluster.pki / "ca.pem"))
        self.via_nginx = httpx.Client(
            base_url=cluster.url,
            transport=httpx.HTTPTransport(local_address=FRONT_ADDRESS, verify=context),
            timeout=60,
        )
        self.direct = httpx.Client(transport=httpx.HTTPTransport(local_address=PROXY_ADDRESS), timeout=60)

    def request(self, method: str, path: str, *, node: int | None = None, data: dict | None = None) -> httpx.Response:
        headers = {"X-Forwarded-For": self.address, "Origin": self.cluster.url, "Referer": self.cluster.url + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if node is None:
            response = self.via_nginx.request(method, path, data=data, headers=headers)
        else:
            headers["X-Forwarded-Proto"] = "https"
            response = self.direct.request(method, self.cluster.node_url(node) + path, data=data, headers=headers)
        self.via_nginx.cookies.clear()
        self.direct.cookies.clear()
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> httpx.Response:
        return self.request("POST", path, data=data, **kwargs)

    def form(self, page: httpx.Response, captcha: bool = False, **fields) -> dict:
        """The fields to post back on page: its CSRF token, its captcha solved when asked."""
        data = {"csrfmiddlewaretoken": CSRF_RE.search(page.text).group(1), **fields}
        if captcha:
            data.update(captcha_post_data(page))
        return data

    def log_in(self, email: str, password: str, *, node: int | None = None, page_node: int | None = None):
        page = self.get("/", node=node if page_node is None else page_node)
        return self.post("/", self.form(page, captcha=True, email=email, password=password), node=node)

    def close(self) -> None:
        self.via_nginx.close()
        self.direct.close()


@pytest.fixture
def browser(cluster):
    made = []

    def open_browser(address: str = "192.0.2.10") -> Browser:
        opened = Browser(cluster, address)
        made.append(opened)
        return opened  # not made[-1]: threads open browsers at once (another's may be last)

    yield open_browser
    for one in made:
        one.close()


def log_file(cluster: Cluster, name: str) -> str:
    path = Path(cluster.folder) / f"{name}.log"
    return path.read_text(errors="replace") if path.exists() else ""


def start_one_by_one(functions) -> list[threading.Thread]:
    """Start a thread per function, each once the previous one runs, and return them.

    Under coverage, Python 3.11 threads started at the same instant may fail to install the
    trace function and die before running (a CI run saw one): starting them one by one avoids
    it, and a thread that still does not run fails the test instead of leaving it short.
    """
    threads = []
    for function in functions:
        running = threading.Event()

        def body(function=function, running=running):
            running.set()
            function()

        thread = threading.Thread(target=body)
        thread.start()
        assert running.wait(30), "un fil d'exécution du test n'a pas démarré"
        threads.append(thread)
    return threads
