"""`make cluster`: README's many-node layout ("Deploy") on one machine, and the tests' harness.

What it starts, each in its own process group so that one can be killed alone:
- NODES app nodes (2 by default): the product's gunicorn (bin/gunicorn.conf.py), each on its
  own port, all on one PostgreSQL (DATABASE_URL) and one Redis (REDIS_URL);
- Debian's nginx in front, with deploy/nginx.conf itself: its upstream lists the nodes (round
  robin, nginx's default), TLS with the certificate path (/certificat) as deployed. nginx
  reaches the nodes from PROXY_ADDRESS, the nodes' only TRUSTED_PROXIES;
- one mail worker, one letters worker and the periodic jobs, once for the whole cluster.
Ctrl-C (or SIGTERM) stops everything it started.

`.venv/bin/python deploy/cluster.py` (`make cluster`) migrates, loads the demo data and serves
https://localhost:8443/ until Ctrl-C; tests/cluster/ drives the same Cluster class.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
DEPLOY_CONF = ROOT / "deploy" / "nginx.conf"
# The address nginx connects to the nodes from (proxy_bind): the nodes believe X-Forwarded-For
# and X-Forwarded-Proto from it only. A client on 127.0.0.1 talking to a node directly is
# not a proxy.
PROXY_ADDRESS = "127.0.0.2"
# The lines of deploy/nginx.conf the cluster adapts; any other line is used as deployed.
UPSTREAM_LINE = "    server 127.0.0.1:8000;  # ADAPT: the app nodes (gunicorn)\n"


def find_nginx() -> str | None:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_site(*, node_ports: list[int], port: int, pki: Path) -> str:
    """Return deploy/nginx.conf with the cluster's upstream, port and files; fail if a line moved."""
    text = DEPLOY_CONF.read_text()
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n" for p in node_ports)
    for old, new in (
        (UPSTREAM_LINE, servers),
        ("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;"),
        ("/etc/ssl/pro.crt", str(pki / "server.pem")),
        ("/etc/ssl/pro.key", str(pki / "server-key.pem")),
        ("/etc/ssl/client-ca.pem", str(pki / "ca.pem")),
    ):
        if old not in text:
            raise RuntimeError(f"deploy/nginx.conf ne contient plus {old!r}")
        text = text.replace(old, new)
    return text


def nginx_main(folder: Path) -> str:
    """The main nginx file of an unprivileged nginx kept in folder, in the foreground."""
    return f"""daemon off;
master_process off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {folder}/nginx-access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    proxy_bind {PROXY_ADDRESS};
    include {folder}/site.conf;
}}
"""


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    port: int | None = None

    def signal(self, number: int) -> None:
        try:
            os.killpg(self.popen.pid, number)
        except ProcessLookupError:
            pass


@dataclass
class Cluster:
    """N app nodes behind nginx, with the workers; `with Cluster(...) as cluster:` starts and stops it.

    environment: the nodes' and workers' environment (DATABASE_URL, REDIS_URL, SECRET_KEY,
    EMAIL_URL…), on top of a clean copy of os.environ; pki: a folder holding ca.pem,
    server.pem and server-key.pem (the site's certificate for "localhost" and the CA of client
    certificates); workers=False starts the nodes and nginx only.
    """

    folder: Path
    pki: Path
    environment: dict[str, str]
    nodes: int = 2
    port: int = 0
    workers: bool = True
    web_workers: int = 2
    extra_trusted: tuple[str, ...] = ()
    processes: list[Process] = field(default_factory=list)

    # --- what tests and the command read -------------------------------------------------
    @property
    def url(self) -> str:
        return f"https://localhost:{self.port}"

    @property
    def node_ports(self) -> list[int]:
        return [p.port for p in self.processes if p.name.startswith("node")]

    def node(self, index: int) -> Process:
        return next(p for p in self.processes if p.name == f"node{index}")

    def node_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.node(index).port}"

    def base_environment(self) -> dict[str, str]:
        clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "FORWARDED_ALLOW_IPS"}}
        trusted = ",".join((PROXY_ADDRESS, *self.extra_trusted))
        return {
            **clean,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "TRUSTED_PROXIES": trusted,
            "CSRF_TRUSTED_ORIGINS": self.url,
            "CLIENT_CA_FILE": str(self.pki / "ca.pem"),
            "VAR_DIR": str(self.folder / "var"),
            "LETTER_SPOOL_DIR": str(self.folder / "letters"),
            "WEB_WORKERS": str(self.web_workers),
            **self.environment,
        }

    # --- starting and stopping ------------------------------------------------------------
    def start(self) -> Cluster:
        if find_nginx() is None:
            raise RuntimeError("nginx absent (apt-get install nginx-light)")
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "var").mkdir(exist_ok=True)
        if not self.port:
            self.port = free_port()
        try:
            for index in range(self.nodes):
                self.start_node(index)
            for process in self.processes:
                self.wait_listening(process)
            self.start_nginx()
            if self.workers:
                for command in ("mail_worker", "letter_worker", "periodic"):
                    self.spawn(command, [str(PYTHON), "manage.py", command])
        except BaseException:
            self.stop()
            raise
        return self

    def spawn(self, name: str, command: list[str], *, port: int | None = None, **environment) -> Process:
        log = open(self.folder / f"{name}.log", "ab")
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.base_environment(), **environment},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: kill -9 of a node takes its workers too
        )
        log.close()
        process = Process(name, popen, port)
        self.processes.append(process)
        return process

    def start_node(self, index: int) -> Process:
        port = free_port()
        while port in self.node_ports or port == self.port:
            port = free_port()
        return self.spawn(
            f"node{index}",
            [str(GUNICORN), "-c", "bin/gunicorn.conf.py", "config.wsgi:application"],
            port=port,
            PORT=str(port),
        )

    def start_nginx(self) -> Process:
        (self.folder / "site.conf").write_text(nginx_site(node_ports=self.node_ports, port=self.port, pki=self.pki))
        (self.folder / "nginx.conf").write_text(nginx_main(self.folder))
        nginx = self.spawn("nginx", [find_nginx(), "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")])
        nginx.port = self.port
        self.wait_listening(nginx)
        return nginx

    def wait_listening(self, process: Process, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if process.popen.poll() is not None:
                log = (self.folder / f"{process.name}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{process.name} s'est arrêté au démarrage :\n{log}")
            try:
                socket.create_connection(("127.0.0.1", process.port), timeout=0.5).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{process.name} n'écoute pas sur le port {process.port}") from None
                time.sleep(0.05)  # waiting for a real server to listen, not for the product's clock

    def kill(self, name: str, number: int = signal.SIGKILL) -> None:
        """Send a signal to one part's whole group (kill -9 of a node: arbiter and workers)."""
        process = next(p for p in self.processes if p.name == name)
        process.signal(number)
        process.popen.wait(timeout=30)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes:
            try:
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.signal(signal.SIGKILL)
                process.popen.wait(timeout=10)
        self.processes.clear()

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- `make cluster` ------------------------------------------------------------------------
def manage(environment: dict[str, str], *arguments: str) -> None:
    subprocess.run([str(PYTHON), "manage.py", *arguments], cwd=ROOT, env=environment, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plusieurs nœuds derrière nginx, sur PostgreSQL et Redis.")
    parser.add_argument("--nodes", type=int, default=int(os.environ.get("NODES") or 2))
    parser.add_argument("--port", type=int, default=int(os.environ.get("CLUSTER_PORT") or 8443))
    arguments = parser.parse_args(argv)
    if arguments.nodes < 1:
        parser.error("--nodes : au moins un nœud")
    database = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/test"
    redis = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    folder = Path(os.environ.get("CLUSTER_DIR") or ROOT / "var" / "cluster")
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "secret_key"
    if not key_file.exists():  # one key for every node, kept between runs (sessions survive)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    environment = {
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "SECRET_KEY": key_file.read_text().strip(),
        "SITE_DOMAIN": f"localhost:{arguments.port}",
    }
    sink = None
    if not os.environ.get("EMAIL_URL"):
        # No mail server named: a local one that keeps every mail in var/cluster/mail (Maildir).
        smtp_port = free_port()
        environment["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
        sink = subprocess.Popen(
            [str(PYTHON), "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}",
             "-c", "aiosmtpd.handlers.Mailbox", str(folder / "mail")],
            cwd=ROOT,
            start_new_session=True,
        )
    cluster = Cluster(folder=folder, pki=ROOT / "var" / "demo", environment=environment, nodes=arguments.nodes,
                      port=arguments.port)
    every = {**cluster.base_environment()}
    stopping = False

    def stop(number, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        manage(every, "migrate", "--noinput", "-v0")  # once per release, before the nodes
        manage(every, "load_demo")
        manage(every, "collectstatic", "--noinput", "-v0")
        cluster.start()
        print(f"Espace professionnel, {arguments.nodes} nœud(s) derrière nginx : {cluster.url}/")
        for process in cluster.processes:
            where = f" (port {process.port})" if process.port else ""
            print(f"  {process.name}{where} : journal {folder / (process.name + '.log')}")
        if sink is not None:
            print(f"  courriels : {folder / 'mail'} (Maildir)")
        print(f"  courriers : {folder / 'letters'}")
        print("Ctrl-C arrête tout.")
        while not stopping:
            for process in cluster.processes:
                if process.popen.poll() is not None:
                    print(f"{process.name} s'est arrêté (code {process.popen.returncode}) : arrêt de tout",
                          file=sys.stderr)
                    stopping = True
                    break
            if not stopping:
                time.sleep(0.5)  # a signal ends the wait at once (its handler sets stopping)
    except subprocess.CalledProcessError as error:
        print(f"échec de {' '.join(error.cmd[1:])}", file=sys.stderr)
        return 1
    finally:
        cluster.stop()
        if sink is not None:
            os.killpg(sink.pid, signal.SIGTERM)
            sink.wait(timeout=10)
        print("Tout est arrêté.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
