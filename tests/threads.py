"""Running one piece of work from many threads at the same moment (the races of SPEC §4 and §5).

Each thread has its own database connection (Django's are per thread), closed when it ends.
"""

import threading
from collections.abc import Callable

from django.db import connections

WAIT = 30  # seconds: a bound on how long a thread waits for the others at the start line


def run_threads(count: int, target: Callable[[int], object]) -> tuple[list, list[Exception]]:
    """Run target(index) in count threads released together; return (results, errors), in no order."""
    barrier = threading.Barrier(count, timeout=WAIT)
    results, errors = [], []

    def worker(index):
        try:
            barrier.wait()
            results.append(target(index))
        except Exception as error:  # collected: the test asserts on them
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
