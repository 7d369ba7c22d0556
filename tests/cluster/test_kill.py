"""Issue 18 §2: a node killed with `kill -9` while both serve.

Clients post "Mot de passe oublié" (J5: a request, its email and its audit row in one
transaction) during the run: some straight to node 1, some through nginx (round robin over
both). Node 0 is killed, arbiter and workers at once, while requests are in flight. Then:
- not one request served by node 1 failed, before or after the kill;
- through nginx only the requests node 0 held when it died may fail, and every later one
  is served (nginx passes a refused connection on to node 1);
- no half-written row: every reset request has its email and its audit row, and every
  email its request — PostgreSQL rolled back what node 0 had not committed.
This module has a cluster of its own (module scope): the killed node is not restarted.
"""

import threading

import pytest

from accounts.events import Kind as Event
from codes.models import PendingRequest
from core.models import AuditEvent
from mailer.models import OutboxEmail
from tests.cluster.conftest import start_one_by_one
from tests.factories import SpaceFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PER_CLIENT = 12
RECORD: dict[str, int] = {}


def ask_reset(person, email: str, node: int | None) -> int:
    page = person.get("/mot-de-passe-oublie", node=node)
    if page.status_code != 200:
        return page.status_code
    return person.post("/mot-de-passe-oublie", person.form(page, captcha=True, email=email), node=node).status_code


def test_kill_9_a_node_mid_run_the_other_serves_nothing_half_written(cluster, browser):
    clients = [("node1", 1), ("node1", 1), ("nginx", None), ("nginx", None), ("nginx", None)]
    emails = {
        (index, n): SpaceFactory(login_email=f"survie{index}.{n}@exemple.fr").login_email
        for index in range(len(clients))
        for n in range(PER_CLIENT)
    }
    people = [browser(f"198.51.100.{index + 1}") for index in range(len(clients))]
    results: dict[tuple[int, int], tuple[bool, int | str]] = {}
    done = threading.Semaphore(0)
    killed_at: list[int] = []

    def run(index: int):
        _, node = clients[index]
        for n in range(PER_CLIENT):
            people[index].address = f"192.0.2.{index * PER_CLIENT + n + 1}"  # under the per-address cap
            started_after_kill = bool(killed_at)
            try:
                status = ask_reset(people[index], emails[index, n], node)
            except Exception as error:  # a connection cut by the kill (httpx), counted below
                status = type(error).__name__
            results[index, n] = (started_after_kill, status)
            done.release()

    threads = start_one_by_one([lambda index=index: run(index) for index in range(len(clients))])
    for _ in range(len(clients) * 3):  # a third of the run served by both nodes
        done.acquire(timeout=60)
    cluster.kill("node0")  # SIGKILL to the whole group: arbiter and workers, mid-request
    killed_at.append(1)
    for thread in threads:
        thread.join(120)

    assert len(results) == len(clients) * PER_CLIENT  # every client ran all its requests
    direct = [status for (index, _), (_, status) in results.items() if clients[index][0] == "node1"]
    through = {key: value for key, value in results.items() if clients[key[0]][0] == "nginx"}
    assert direct == [302] * (2 * PER_CLIENT), direct  # the survivor failed no request
    failed = [key for key, (_, status) in through.items() if status != 302]
    # Only what node 0 held when it died: at most one request per nginx client, each the one
    # it was sending at the kill (the next one of that client succeeds).
    assert len(failed) <= 3, through
    for index, n in failed:
        assert n + 1 == PER_CLIENT or through[index, n + 1][1] == 302
    after = [status for (late, status) in through.values() if late]
    assert after and set(after) == {302}  # sent once node 0 was gone: nginx passes all to node 1
    RECORD.update(requests=len(results), failed_through_nginx=len(failed), through_nginx_after_kill=len(after))

    # Nothing half-written: request, email and audit row, all or none, for every address.
    requested = set(PendingRequest.objects.values_list("email", flat=True))
    mailed = set(OutboxEmail.objects.values_list("to", flat=True))
    audited = set(AuditEvent.objects.filter(kind=Event.RESET_REQUESTED).values_list("email", flat=True))
    assert requested == mailed
    assert requested <= audited and len(requested) >= len(results) - len(failed)
    served = {emails[key] for key, (_, status) in results.items() if status == 302}
    assert served <= requested  # every request answered 302 is in the database
    # And the survivor still serves, through nginx.
    late = browser("203.0.113.99")
    assert [late.get("/", node=None).status_code for _ in range(6)] == [200] * 6
    print(f"\n[grappe] kill -9 : {RECORD}")
