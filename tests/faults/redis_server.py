"""A Redis server of one test's own, on a free port (issue 18 §4): killed, paused and started
again at will, where the machine's Redis on 6379, which other runs share, is never touched."""

import copy
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from tests.conftest import answers_ping, need, settings_under_redis
from tests.smtp_server import free_port


class OwnRedis:
    """redis-server on 127.0.0.1:<port>, no persistence: what it holds dies with it."""

    def __init__(self, folder: Path):
        need(shutil.which("redis-server") is not None, "redis-server absent (apt-get install redis-server)")
        self.folder = folder
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--daemonize", "no", "--dir", str(self.folder)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not answers_ping("127.0.0.1", self.port):
            assert self.process.poll() is None, "redis-server s'est arrêté"
            assert time.monotonic() < deadline, "redis-server n'a pas démarré"
            time.sleep(0.05)  # waiting for the server to listen, not for a result

    def kill(self) -> None:
        """kill -9: the server is gone, its port closed, its keys lost."""
        self.process.kill()
        self.process.wait(timeout=10)

    def pause(self) -> None:
        """SIGSTOP: the port still accepts connections (the kernel's backlog) but nothing answers."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.resume()
            self.kill()


def use_redis(settings, url: str) -> None:
    """Put sessions, cache and rate-limit counters in the Redis of url, as config.settings does
    when REDIS_URL is url (its socket timeouts included)."""
    from core import throttle

    chosen = settings_under_redis(url)
    settings.REDIS_URL = url
    settings.CACHES = copy.deepcopy(chosen["CACHES"])
    settings.SESSION_ENGINE = chosen["SESSION_ENGINE"]
    throttle.default_store.cache_clear()


def closed_port_url() -> str:
    """Return the URL of a Redis that is not there: a free port, so nothing listens on it."""
    return f"redis://127.0.0.1:{free_port()}/0"
