"""HTTP load bench: the real gunicorn on one core, a load client on the other (issue 18 §3).

Run: make bench-http  (or .venv/bin/python bench/http_bench.py [--quick] [--workers W]); `make
bench` runs it too. About 1.5 minutes (--quick: about 15 s, the smoke test's).

Shape, fair on a 2-core machine:
- the server is the product's gunicorn (`gunicorn -c bin/gunicorn.conf.py config.wsgi`, its
  workers and threads), DEBUG=0, started under `taskset -c 0`; this process, the client,
  pins itself to core 1 (os.sched_setaffinity). Server CPU is read from /proc/<worker>/stat
  (utime + stime) around each phase, so "CPU ms per request" is the server's alone;
- a fresh database: a SQLite file in a temporary directory (default), or with
  BENCH_STACK=services the PostgreSQL of DATABASE_URL and the Redis of REDIS_URL (sessions
  and throttle counters there). Point them at a database and a Redis index of your own:
  the bench EMPTIES them (flush, FLUSHDB);
- the client connects from 127.0.0.2, the server's only TRUSTED_PROXIES entry: it plays our
  nginx and says who the visitor is in X-Forwarded-For, each journey from its own TEST-NET
  address (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24: 762 of them), and each login on its
  own space (>= 300), so no per-address or per-account limit trips: the bench measures the
  work of a login, not the throttle's refusals;
- every journey is what a browser does, cookies, CSRF token and captcha included (the
  captcha is solved with antirobot.testing.solve under the server's SECRET_KEY, as a person
  reads it; no test mode): login (page, captcha image, POST, home); the creation wizard up to
  "Confirmer" and the page saying the code is sent; activation with the codes those wizards
  emailed (read from the outbox, as the person would read the email); the home with 1
  dossier and with 1,000; the security history; the recap PDF.

It prints, in one run: logins per second on the server's one core for ours, for a stock
Django LoginView served the same way (bench/urls.py, same gunicorn, same core) and the raw
Argon2id verifications per second on that core (the ceiling: each login checks one
password); the login latency p50/p95/p99 at 1, 4 and 16 clients; requests per second, p50
and p95 of every page; server CPU ms per request; a worker's RSS at start and after 10,000
requests. Figures only; no test asserts them (tests/parts/test_http_bench.py checks the lines).

Why our own client and not Locust: Locust is not installed (and the lock would gain gevent,
whose monkey-patching we would then trust with our timings), and each request here needs
control Locust makes awkward: the source address (127.0.0.2, the trusted proxy), the
X-Forwarded-For of each journey, the captcha solved from the page's key, the CSRF token of
each form. Threads and httpx do all of that in a few lines; the client's own core use is
printed with every phase, so one can see it never was the bottleneck.
"""

import argparse
import atexit
import html
import itertools
import os
import queue
import re
import secrets
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
SERVER_CORE, CLIENT_CORE = 0, 1
PROXY = "127.0.0.2"  # the client's source address: the server's one trusted proxy
STACK = os.environ.get("BENCH_STACK", "sqlite")
FOLDER = Path(tempfile.mkdtemp(prefix="espace-http-bench-"))
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)


def server_environment() -> dict:
    """The environment of the served product and of this process's Django (one DB, one key)."""
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    if STACK == "sqlite":
        environment.update(DATABASE_URL="", REDIS_URL="", SQLITE_PATH=str(FOLDER / "bench.sqlite3"))
    elif STACK != "services":
        raise SystemExit(f"BENCH_STACK doit valoir sqlite ou services, pas {STACK!r}")
    elif not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        raise SystemExit("BENCH_STACK=services demande DATABASE_URL et REDIS_URL (le banc les vide).")
    environment.update(
        DJANGO_SETTINGS_MODULE="bench.http_settings",
        SECRET_KEY="http-bench-" + secrets.token_urlsafe(40),
        DEBUG="0",
        CAPTCHA_TEST_MODE="0",
        SECURE_COOKIES="0",
        ALLOWED_HOSTS="127.0.0.1",
        TRUSTED_PROXIES=PROXY,
        VAR_DIR=str(FOLDER),
        EMAIL_URL="",  # nothing is sent: no mail worker runs, the outbox only fills
    )
    return environment


ENVIRONMENT = server_environment()
os.environ.update(ENVIRONMENT)

import django  # noqa: E402

django.setup()
import logging  # noqa: E402

import httpx  # noqa: E402

logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request otherwise
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import get_hasher  # noqa: E402
from django.core.management import call_command  # noqa: E402
from bench.database import fresh_database  # noqa: E402
from django.db import connection  # noqa: E402

from accounts.models import Space  # noqa: E402
from antirobot.testing import solve  # noqa: E402
from core.models import AuditEvent  # noqa: E402
from bench.login_bench import make_spaces  # noqa: E402
from tests.accounts.journey import PROFILE, last_code  # noqa: E402
from tests.factories import STRONG_PASSWORD  # noqa: E402
from tests.habilitations.holdings import many_dossiers  # noqa: E402

SAMPLE = ROOT / "registre" / "data" / "sirene_sample.csv"
SAMPLE_ESTABLISHMENTS = ROOT / "registre" / "data" / "sirene_sample_etablissements.csv"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_RE = re.compile(r'name="captcha_key" value="([^"]+)"')
IMAGE_RE = re.compile(r'class="antirobot__image" src="([^"]+)"')
TICK = os.sysconf("SC_CLK_TCK")

# Counts of the full run and of --quick (the smoke test's).
FULL = {
    "logins": {1: 60, 4: 150, 16: 330},
    "rounds": 3,
    "ceiling_seconds": 2,
    "wizards": 80,
    "pages": 400,
    "pdfs": 60,
    "dossiers": 1000,
    "rss_after": 10_000,
}
QUICK = {
    "logins": {1: 3, 4: 8, 16: 16},
    "rounds": 1,
    "ceiling_seconds": 1,
    "wizards": 6,
    "pages": 30,
    "pdfs": 4,
    "dossiers": 1000,
    "rss_after": 1_000,
}
PAGE_CLIENTS = 4


def documentation_addresses():
    """Every host address of the three TEST-NET blocks (RFC 5737), round and round."""
    blocks = ("192.0.2", "198.51.100", "203.0.113")
    return itertools.cycle([f"{block}.{host}" for block in blocks for host in range(1, 255)])


ADDRESSES = documentation_addresses()
ADDRESS_LOCK = threading.Lock()
USED_ADDRESSES = set()  # every address a visitor of the bench was given
SERVED = {"requests": 0}  # every request sent to the server, the unmeasured ones included
SEEN = {"addresses": 0}  # distinct client addresses in the product's audit log


def next_address() -> str:
    with ADDRESS_LOCK:
        address = next(ADDRESSES)
        USED_ADDRESSES.add(address)
        return address


# --- The server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def cpu_seconds(self) -> float:
        """utime + stime of every worker (the arbiter only watches them)."""
        total = 0
        for pid in self.workers():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        return total / TICK

    def rss_mib(self) -> float:
        """The largest VmRSS of a worker, in MiB."""
        sizes = []
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return max(sizes)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def serve(workers: int) -> Server:
    port = free_port()
    log = open(FOLDER / "gunicorn.log", "wb")  # noqa: SIM115 (kept open for the server's life)
    process = subprocess.Popen(
        ["taskset", "-c", str(SERVER_CORE), str(GUNICORN), "-c", "bin/gunicorn.conf.py", "config.wsgi:application"],
        cwd=ROOT,
        env={**ENVIRONMENT, "PORT": str(port), "WEB_WORKERS": str(workers)},
        stdout=log,
        stderr=log,
    )
    server = Server(process, port)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:  # its log goes with the temporary folder: quote its end
            tail = (FOLDER / "gunicorn.log").read_text(errors="replace")[-3000:]
            raise SystemExit(f"gunicorn s'est arrêté :\n{tail}")
        try:
            if httpx.get(f"{server.base}/sante", timeout=5).status_code == 200 and len(server.workers()) == workers:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise SystemExit("gunicorn n'a pas démarré en 60 s")
        time.sleep(0.1)  # waiting for the server to listen, not for a result


# --- The browser ------------------------------------------------------------------------------


# One TLS context for every browser: httpx would build one per client (milliseconds of the
# client's core each time), though the bench speaks plain HTTP to 127.0.0.1.
TLS = ssl.create_default_context()


class Refused(Exception):
    """A page did not answer what a browser expects: the bench stops, figures would lie."""


@dataclass
class Browser:
    """One visitor: a cookie jar, one keep-alive connection, one client address; it times each request."""

    base: str
    address: str = field(default_factory=next_address)
    timings: list = field(default_factory=list)

    def __post_init__(self):
        transport = httpx.HTTPTransport(local_address=PROXY, verify=TLS)
        self.http = httpx.Client(
            base_url=self.base, transport=transport, headers={"X-Forwarded-For": self.address}, timeout=120
        )

    def request(self, label: str, method: str, path: str, expect: int, **options) -> httpx.Response:
        start = time.perf_counter()
        response = self.http.request(method, path, **options)
        response.read()
        with ADDRESS_LOCK:
            SERVED["requests"] += 1
        self.timings.append((label, time.perf_counter() - start))
        if response.status_code != expect:
            raise Refused(f"{method} {path}: {response.status_code} au lieu de {expect}\n{response.text[:800]}")
        return response

    def get(self, label: str, path: str, expect: int = 200) -> httpx.Response:
        return self.request(label, "GET", path, expect)

    def post(self, label: str, path: str, page: httpx.Response, fields: dict, expect: int = 302) -> httpx.Response:
        """POST a form of page, with the CSRF token the page carries."""
        token = CSRF_RE.search(page.text).group(1)
        return self.request(label, "POST", path, expect, data={"csrfmiddlewaretoken": token, **fields})

    def captcha(self, label: str, page: httpx.Response) -> dict:
        """Fetch the page's captcha image as a browser does, and read it as a person would."""
        self.get(label, html.unescape(IMAGE_RE.search(page.text).group(1)))
        key = html.unescape(KEY_RE.search(page.text).group(1))
        return {"captcha_key": key, "captcha": solve(key)}

    def close(self) -> None:
        self.http.close()


# --- Journeys: each takes a fresh or prepared browser and one item ----------------------------


def our_login(browser: Browser, space: Space) -> None:
    page = browser.get("connexion : GET / (page)", "/")
    answer = browser.captcha("connexion : GET image du captcha", page)
    fields = {"email": space.login_email, "password": STRONG_PASSWORD, **answer}
    response = browser.post("connexion : POST /", "/", page, fields)
    if response.headers["location"] != "/espace":
        raise Refused(f"connexion : redirigée vers {response.headers['location']}")
    browser.get("connexion : GET /espace (accueil)", "/espace")


def our_bare_login(browser: Browser, space: Space) -> None:
    """Our login on the stock view's requests only (page, POST): like for like, without the
    image a browser fetches and the home it lands on."""
    page = browser.get("connexion* : GET / (page)", "/")
    key = html.unescape(KEY_RE.search(page.text).group(1))
    fields = {"email": space.login_email, "password": STRONG_PASSWORD, "captcha_key": key, "captcha": solve(key)}
    browser.post("connexion* : POST /", "/", page, fields)


def stock_login(browser: Browser, space: Space) -> None:
    page = browser.get("stock : GET /stock-login", "/stock-login")
    fields = {"username": space.subscriber_number, "password": STRONG_PASSWORD}
    # Its session lacks the keys our session rules ask (accounts.sessions): /espace would send it
    # back to the login page, so the stock journey ends at its 302; our_bare_login makes the same two.
    browser.post("stock : POST /stock-login", "/stock-login", page, fields)


def wizard(browser: Browser, email: str) -> None:
    """J1 as a person does it, up to "Confirmer" and "code envoyé" (the code goes to the outbox)."""
    browser.get("création : GET /creation", "/creation")
    page = browser.get("création : GET conditions générales", "/creation/conditions-generales?mode=expert")
    accepted = {"accept": "on", "mode": "expert"}
    browser.post("création : POST conditions générales", "/creation/conditions-generales", page, accepted)
    page = browser.get("création : GET identifiants", "/creation/identifiants")
    credentials = {"email": email, "email_confirm": email}
    credentials.update(password=STRONG_PASSWORD, password_confirm=STRONG_PASSWORD)
    browser.post("création : POST identifiants (courriel)", "/creation/identifiants", page, credentials)
    page = browser.get("création : GET formulaire", "/creation/formulaire")
    browser.post("création : POST formulaire", "/creation/formulaire", page, {**PROFILE, "action": "submit"})
    page = browser.get("création : GET récapitulatif", "/creation/inscription")
    browser.post("création : POST Confirmer", "/creation/inscription", page, {"action": "confirm"})
    browser.get("création : GET code envoyé", "/creation/code-envoye")


def activation(browser: Browser, item: tuple[str, str]) -> None:
    """J2 with the code the wizard emailed: the code page, its captcha, the email step, the confirmation."""
    email, code = item
    page = browser.get("activation : GET /activation", "/activation")
    answer = browser.captcha("activation : GET image du captcha", page)
    page = browser.post("activation : POST code", "/activation", page, {"code": code, **answer}, expect=200)
    if 'action="/activation/identifiants"' not in page.text:
        raise Refused("activation : le code n'a pas mené à l'étape du courriel")
    fields = {"code": code, "email": email, "action": "continue"}
    response = browser.post("activation : POST courriel", "/activation/identifiants", page, fields)
    browser.get("activation : GET confirmation", response.headers["location"])


def page_of(label: str, path: str, expect: int = 200):
    def visit(browser: Browser, _) -> None:
        browser.get(label, path, expect)

    return visit


# --- Phases -----------------------------------------------------------------------------------


@dataclass
class Phase:
    label: str
    clients: int
    items: int
    requests: int
    wall: float
    server_cpu: float
    client_cpu: float
    journeys: list  # seconds per journey
    pages: dict  # label -> list of seconds

    ratios: list = field(default_factory=list)  # per round: rate / that round's ceiling

    @property
    def rate(self) -> float:
        return self.items / self.wall

    @property
    def cpu_rate(self) -> float:
        """Journeys per second of server CPU: the core's capacity, whoever else shared it."""
        return self.items / self.server_cpu


def pooled(rounds: list[Phase], ceilings: list[float]) -> Phase:
    """One phase of interleaved rounds: counts and timings summed, each round's ratio to its ceiling kept."""
    pages = {}
    for phase in rounds:
        for label, seconds in phase.pages.items():
            pages.setdefault(label, []).extend(seconds)
    return Phase(
        rounds[0].label,
        rounds[0].clients,
        sum(p.items for p in rounds),
        sum(p.requests for p in rounds),
        sum(p.wall for p in rounds),
        sum(p.server_cpu for p in rounds),
        sum(p.client_cpu for p in rounds),
        [s for p in rounds for s in p.journeys],
        pages,
        [p.rate / c for p, c in zip(rounds, ceilings, strict=True)],
    )


def run_phase(server: Server, label: str, journey, items: list, clients: int, browsers=None) -> Phase:
    """Run journey over items with clients threads, each on a fresh browser, or on one of browsers
    (prepared, logged in) when given."""
    pool = queue.Queue()
    for browser in browsers or []:
        pool.put(browser)
    spent = []

    def one(item):
        browser = pool.get() if browsers else Browser(server.base)
        start = time.perf_counter()
        try:
            journey(browser, item)
        finally:
            spent.append(time.perf_counter() - start)
            (pool.put(browser) if browsers else browser.close())
        return browser

    for browser in browsers or []:
        browser.timings.clear()
    cpu, client_cpu, wall = server.cpu_seconds(), time.process_time(), time.perf_counter()
    with ThreadPoolExecutor(clients) as executor:
        used = list(executor.map(one, items))
    wall, client_cpu, cpu = time.perf_counter() - wall, time.process_time() - client_cpu, server.cpu_seconds() - cpu
    pages = {}
    for browser in {id(b): b for b in used}.values():
        for page, seconds in browser.timings:
            pages.setdefault(page, []).append(seconds)
    requests = sum(len(seconds) for seconds in pages.values())
    return Phase(label, clients, len(items), requests, wall, cpu, client_cpu, spent, pages)


def quantile(values: list, q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f}"


# --- Preparation (this process's Django, the same database as the server) ---------------------


def prepare_database() -> None:
    fresh_database()
    # The companies the wizard's SIREN names (PROFILE: 732 829 320), as `make run` loads them.
    call_command("import_sirene", str(SAMPLE), str(SAMPLE_ESTABLISHMENTS), verbosity=0)


def logged_in(server: Server, spaces: list[Space], choose: str | None = None) -> list[Browser]:
    """A browser per space, logged in over HTTP (unmeasured); choose: the dossier to make current."""
    browsers = []
    for space in spaces:
        browser = Browser(server.base)
        our_login(browser, space)
        if choose:
            page = browser.get("choisir", "/espace/dossiers")
            browser.post("choisir", "/espace/dossiers/choisir", page, {"siren": choose})
        browsers.append(browser)
    return browsers


def ceiling(seconds: float) -> tuple[float, float]:
    """Raw Argon2id verifications per second on the server's core, in a process of their own there."""
    program = (
        "import sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from accounts.hashers import Argon2idHasher\n"
        "hasher = Argon2idHasher()\n"
        f"password = {STRONG_PASSWORD!r}\n"
        "encoded = hasher.encode(password, hasher.salt())\n"
        "count, wall, cpu = 0, time.perf_counter(), time.process_time()\n"
        f"while time.perf_counter() - wall < {seconds}:\n"
        "    assert hasher.verify(password, encoded)\n"
        "    count += 1\n"
        "print(count, time.perf_counter() - wall, time.process_time() - cpu)\n"
    )
    out = subprocess.run(
        ["taskset", "-c", str(SERVER_CORE), str(PYTHON), "-c", program],
        env=ENVIRONMENT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    count, wall, cpu = int(out[0]), float(out[1]), float(out[2])
    return count / wall, cpu / count


# --- Report -----------------------------------------------------------------------------------


@dataclass
class Results:
    ceilings: list  # (verifications per second, CPU seconds each), one per round
    ours: list[Phase]  # one per concurrency, its rounds pooled
    bare: list[Phase]  # ours on the stock view's requests
    stock: list[Phase]
    journeys: list[Phase]  # the wizard, activation
    pages: list[Phase]  # one page each
    cheap: Phase
    rss_start: float
    rss_end: float
    served_by_journeys: int


def check_addresses_seen() -> None:
    """Stop unless the product recorded the visitors' forwarded addresses, never the proxy's: else
    every request would count against one address, and the bench would measure the wrong path."""
    seen = set(AuditEvent.objects.exclude(ip=None).values_list("ip", flat=True).distinct())
    if not seen or not seen <= USED_ADDRESSES:
        raise Refused(f"adresses enregistrées hors des visiteurs du banc : {sorted(seen - USED_ADDRESSES)[:5]}")
    SEEN["addresses"] = len(seen)


def measure(server: Server, counts: dict, spaces: dict, rss_start: float, workers: int) -> Results:
    # Warm-up, unmeasured: imports, templates, the PDF's fonts, connections.
    warm = iter(spaces["warm"])
    run_phase(server, "chauffe", our_login, [next(warm)], 1)
    run_phase(server, "chauffe", stock_login, [next(warm)], 1)
    one = logged_in(server, [next(warm)])
    for path in ("/espace/historique", "/espace/recapitulatif.pdf", "/espace/dossiers"):
        run_phase(server, "chauffe", page_of("chauffe", path), [0], 1, one)

    # Logins: at each concurrency, rounds of the ceiling, ours and the stock view interleaved
    # (other processes may take the server's core for a while: each round is read against its
    # own ceiling); each login on its own space, the stock view logging in the same ones.
    logins = iter(spaces["logins"])
    ours, bare, stock, ceilings = [], [], [], []
    for clients, count in counts["logins"].items():
        rounds = {"ceiling": [], "ours": [], "bare": [], "stock": []}
        for _ in range(counts["rounds"]):
            batch = [next(logins) for _ in range(count // counts["rounds"])]
            rounds["ceiling"].append(ceiling(counts["ceiling_seconds"]))
            rounds["ours"].append(run_phase(server, "ours", our_login, batch, clients))
            rounds["bare"].append(run_phase(server, "ours*", our_bare_login, batch, clients))
            rounds["stock"].append(run_phase(server, "stock", stock_login, batch, clients))
        rates = [rate for rate, _ in rounds["ceiling"]]
        ceilings.extend(rounds["ceiling"])
        ours.append(pooled(rounds["ours"], rates))
        bare.append(pooled(rounds["bare"], rates))
        stock.append(pooled(rounds["stock"], rates))

    # The wizard, then activation with the codes it emailed.
    emails = [f"banc-creation-{n}@exemple.fr" for n in range(counts["wizards"])]
    wizards = run_phase(server, "création", wizard, emails, PAGE_CLIENTS)
    codes = [(email, last_code(email)) for email in emails]
    activations = run_phase(server, "activation", activation, codes, PAGE_CLIENTS)

    # Pages of logged-in spaces, PAGE_CLIENTS browsers at once.
    singles = logged_in(server, spaces["homes"])
    riches = logged_in(server, [spaces["rich"]] * PAGE_CLIENTS, choose=spaces["rich_siren"])
    n = counts["dossiers"]
    visits = [
        ("accueil, 1 dossier : GET /espace", "/espace", counts["pages"], singles),
        (f"accueil, {n} dossiers : GET /espace", "/espace", counts["pages"], riches),
        (f"liste, {n} dossiers : GET /espace/dossiers", "/espace/dossiers", counts["pages"], riches),
        ("historique de sécurité : GET /espace/historique", "/espace/historique", counts["pages"], singles),
        ("récapitulatif : GET /espace/recapitulatif.pdf", "/espace/recapitulatif.pdf", counts["pdfs"], singles),
    ]
    pages = [
        run_phase(server, label, page_of(label, path), range(count), PAGE_CLIENTS, browsers)
        for label, path, count, browsers in visits
    ]

    # A cheap page until each worker has served rss_after requests (the unmeasured ones included).
    served_by_journeys = SERVED["requests"]
    remaining = range(max(0, counts["rss_after"] * workers - SERVED["requests"]))
    label = "santé : GET /sante"
    cheap = run_phase(server, label, page_of(label, "/sante"), remaining, PAGE_CLIENTS, singles)
    rss_end = server.rss_mib()
    journeys = [wizards, activations]
    check_addresses_seen()
    return Results(ceilings, ours, bare, stock, journeys, pages, cheap, rss_start, rss_end, served_by_journeys)


def print_report(results: Results, counts: dict, workers: int) -> None:
    hasher = get_hasher()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    store = "Redis" if settings.REDIS_URL else "la base"
    print(
        f"Banc HTTP : gunicorn {workers} worker(s) x 2 threads sur le cœur {SERVER_CORE}, client sur le cœur "
        f"{CLIENT_CORE} ; base {engine}, sessions et compteurs dans {store} ; "
        f"Argon2id m={hasher.memory_cost} Kio t={hasher.time_cost} p={hasher.parallelism}"
    )
    print(
        f"Charge de la machine (1, 5, 15 min) à la fin : {' '.join(f'{v:.2f}' for v in os.getloadavg())} ; "
        f"{sum(counts['logins'].values())} espaces distincts connectés (chacun une fois par ours et par stock), "
        f"{len(USED_ADDRESSES)} adresses TEST-NET distinctes, {SEEN['addresses']} vues par le produit"
    )

    rate_ceiling = statistics.median(rate for rate, _ in results.ceilings)
    cpu_ceiling = statistics.median(cpu for _, cpu in results.ceilings)
    print(
        "Connexions par seconde sur un cœur serveur (mesurées : la meilleure concurrence, médiane des tours ; "
        "par seconde de CPU du worker : sa capacité, quoi que fassent les autres processus) :"
    )
    print(f"  {'':40s} {'mesurées':>8s} {'/plafond':>8s} {'par s CPU':>10s} {'/plafond':>8s}")
    label = "plafond : vérifications Argon2id brutes"
    print(f"  {label:40s} {rate_ceiling:8.1f} {1:8.0%} {1 / cpu_ceiling:10.1f} {1:8.0%}")
    rows = (
        ("LoginView de Django (stock)", results.stock),
        ("Espace professionnel", results.ours),
        ("Espace professionnel, page et POST", results.bare),
    )
    for label, phases in rows:
        best = max(phases, key=lambda phase: phase.rate)
        print(
            f"  {label:40s} {best.rate:8.1f} {statistics.median(best.ratios):8.0%}"
            f" {best.cpu_rate:10.1f} {best.cpu_rate * cpu_ceiling:8.0%}"
        )

    print(
        "Connexion (ours : page, image du captcha, POST, accueil, comme un navigateur ; "
        "ours* et stock : page et POST), latence en ms :"
    )
    header = ("nombre", "connex./s", "p50", "p95", "p99", "CPU ms/c.", "/plafond", "client")
    print(f"  {'':21s} " + " ".join(f"{h:>{w}s}" for h, w in zip(header, (5, 10, 7, 7, 7, 9, 8, 7), strict=True)))
    for label, phases in (("ours", results.ours), ("ours*", results.bare), ("stock", results.stock)):
        for phase in phases:
            latencies = " ".join(ms(quantile(phase.journeys, q)) for q in (0.50, 0.95, 0.99))
            print(
                f"  {label:9s} {phase.clients:3d} clients {phase.items:5d} {phase.rate:10.1f} {latencies}"
                f" {phase.server_cpu / phase.items * 1000:9.1f} {statistics.median(phase.ratios):8.0%}"
                f" {phase.client_cpu / phase.wall:7.0%}"
            )

    print(
        f"Parcours ({PAGE_CLIENTS} clients) : parcours/s, latence du parcours p50 et p95 en ms, "
        "CPU serveur ms par parcours :"
    )
    for phase in results.journeys:
        print(
            f"  {phase.label:12s} {phase.items:5d} {phase.rate:8.1f} {ms(quantile(phase.journeys, 0.5))}"
            f" {ms(quantile(phase.journeys, 0.95))} {phase.server_cpu / phase.items * 1000:7.1f}"
        )

    print(
        f"Pages ({PAGE_CLIENTS} clients ; connexions : la phase à 16 clients) : requêtes/s, latence p50 et p95 en ms, "
        "CPU serveur ms par requête (d'un parcours : la moyenne de ses requêtes) :"
    )
    print(f"  {'page':52s} {'nombre':>6s} {'req/s':>7s} {'p50':>7s} {'p95':>7s} {'CPU ms':>7s}")
    logins = [results.ours[-1], results.bare[-1], results.stock[-1]]
    for phase in [*logins, *results.journeys, *results.pages, results.cheap]:
        cpu_per_request = phase.server_cpu / phase.requests * 1000 if phase.requests else 0.0
        for label, seconds in phase.pages.items():
            p50, p95 = ms(quantile(seconds, 0.5)), ms(quantile(seconds, 0.95))
            rate = len(seconds) / phase.wall
            print(f"  {label:52s} {len(seconds):6d} {rate:7.1f} {p50} {p95} {cpu_per_request:7.1f}")
    print(
        f"Mémoire d'un worker (VmRSS) : {results.rss_start:.0f} Mio au démarrage, {results.rss_end:.0f} Mio après "
        f"{SERVED['requests']} requêtes ({results.served_by_journeys} des parcours, {results.cheap.requests} de /sante)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="petits nombres (le test de fumée)")
    parser.add_argument("--workers", type=int, default=1, help="workers gunicorn sur le cœur du serveur (1)")
    args = parser.parse_args()
    counts = QUICK if args.quick else FULL
    if not shutil.which("taskset") or len(os.sched_getaffinity(0)) < 2:
        raise SystemExit("Le banc demande taskset et deux cœurs : le serveur sur l'un, le client sur l'autre.")
    os.sched_setaffinity(0, {CLIENT_CORE})
    started = time.perf_counter()

    prepare_database()
    logins = max(300, sum(counts["logins"].values()))
    made = make_spaces(logins + 3 + PAGE_CLIENTS + 1)
    spaces = {"logins": made[:logins], "warm": made[logins : logins + 3]}
    spaces.update(homes=made[logins + 3 : -1], rich=made[-1])
    for space in spaces["homes"]:
        many_dossiers(space, 1, first=space.pk * 10)
    spaces["rich_siren"] = many_dossiers(spaces["rich"], counts["dossiers"], first=10_000_000)[0].siren
    if connection.vendor == "postgresql":
        # The statistics autovacuum would gather within a minute of these bulk inserts: without
        # them the planner guesses, and the bench would measure a plan production never runs.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    server = serve(args.workers)
    try:
        results = measure(server, counts, spaces, server.rss_mib(), args.workers)
    finally:
        server.stop()
    print_report(results, counts, args.workers)
    print(f"Durée du banc : {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
