"""Where the time of our login goes, step by step, beside the Argon2id check.

Run: .venv/bin/python bench/login_profile.py [--logins N] [--cprofile]
(not part of `make bench`: it explains the figures, it does not produce them)

The steps are timed by thin wrappers (CPU time of this process, so that other processes on
a shared machine weigh less), not by a profiler whose own overhead would swell the Python
steps against the C Argon2 call. --cprofile adds the top cumulative entries of cProfile.
A step whose function has moved is reported as absent rather than failing.
"""

import argparse
import collections
import cProfile
import functools
import importlib
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import login_bench as bench  # noqa: E402  (sets Django up, on the same settings)

# (module, attribute path, label): a step of the login, in the order a login runs them.
STEPS = [
    ("accounts.views.login", "render", "GET: render the login page"),
    ("antirobot.services", "new_challenge", "GET:   new captcha (signed key, bound to the browser)"),
    ("accounts.views.login", "LoginForm.is_valid", "POST: form validation"),
    ("antirobot.services", "check", "POST:   captcha check (address ceiling, INSERT used nonce)"),
    ("accounts.flows.login", "log_in", "POST: log_in"),
    ("core.throttle", "Throttle.allows", "POST:   throttle: admit"),
    ("accounts.selectors", "password_space", "POST:   space lookup (prepared query)"),
    ("django.db.models.query", "QuerySet.first", "POST:   QuerySet.first() calls (ORM lookups)"),
    ("accounts.flows.login", "check_password", "POST:   Argon2id check_password"),
    ("core.throttle", "Throttle.succeeded", "POST:   throttle: success"),
    ("accounts.services.passwords", "is_expired", "POST:   expiry stage"),
    ("accounts.flows.login", "login", "POST:   django.contrib.auth.login"),
    ("core.audit", "record", "POST:   audit event (INSERT)"),
    ("django.contrib.sessions.middleware", "SessionMiddleware.process_response", "POST: session save"),
    ("csp.middleware", "CSPMiddleware.process_response", "GET+POST: CSP header"),
]


def instrument(spent: dict) -> list[str]:
    """Wrap each step with a CPU-time accumulator; return the labels of absent steps."""
    absent = []
    for module_name, path, label in STEPS:
        owner = importlib.import_module(module_name)
        *parents, name = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent, None)
        function = getattr(owner, name, None) if owner is not None else None
        if function is None:
            absent.append(label)
            continue

        def wrapper(*args, _function=function, _label=label, **kwargs):
            started = time.process_time()
            try:
                return _function(*args, **kwargs)
            finally:
                spent[_label] += time.process_time() - started

        setattr(owner, name, functools.wraps(function)(wrapper))
    return absent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=200)
    parser.add_argument("--cprofile", action="store_true", help="also print cProfile's top cumulative entries")
    args = parser.parse_args()
    bench.prepare_database()
    spaces = bench.make_spaces(args.logins + 20)
    for space in spaces[:20]:  # warm-up, uninstrumented
        bench.ours(space)
    spent = collections.defaultdict(float)
    absent = instrument(spent)
    started, cpu = time.perf_counter(), time.process_time()
    for space in spaces[20:]:
        bench.ours(space)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(bench.describe())
    print(f"{args.logins} logins: {wall / args.logins * 1000:.2f} ms wall, {cpu / args.logins * 1000:.2f} ms CPU per login")
    print("CPU ms per login, by step (indented steps are inside the one above):")
    for _, _, label in STEPS:
        if label in spent:
            print(f"  {spent[label] / args.logins * 1000:7.2f}  {label}")
    for label in absent:
        print(f"      --  {label} (not found in this code)")
    if args.cprofile:
        profile = cProfile.Profile()
        profile.enable()
        for space in bench.make_spaces(50):
            bench.ours(space)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
