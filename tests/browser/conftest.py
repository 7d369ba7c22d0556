"""Browser tests: Debian's chromium driven by Playwright (sync API) against pytest-django's live server.

Never `playwright install`: the tests use /usr/bin/chromium, skip when it is absent and fail
instead under REQUIRE_SERVICES=1 (CI).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.helpers import Watch
from tests.conftest import need

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# A phone: its width, and the meta viewport honoured as a mobile browser does.
MOBILE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}

# Playwright's sync API runs an asyncio loop in the test thread, so Django believes every ORM
# call the test makes (delivering the outbox, creating a company) comes from async code. Those
# calls are plain synchronous ones in a thread of their own: safe. Only for this directory.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so that the page fixture knows a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _whole_stack(application):
    """No static handler in front: /static/ goes through the middleware, so whitenoise serves it."""
    return application


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, except that static files are served as in production.

    pytest-django puts Django's StaticFilesHandler in front of the application, which answers
    /static/ itself; here whitenoise does (WHITENOISE_USE_FINDERS in the test settings), with
    the project's headers, as under gunicorn.
    """
    from django.test.testcases import LiveServerThread
    from pytest_django.live_server_helper import LiveServer

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    unused = server.thread
    server.thread = LiveServerThread(
        unused.host, _whole_stack, connections_override=unused.connections_override, port=unused.port
    )
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    need(Path(CHROMIUM).exists(), "chromium absent (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _open_page(request, chromium, live_server, tmp_path, device):
    context = chromium.new_context(
        **device,
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = Watch(page)
    page.watch = watch
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed and not page.is_closed():
            # What the person saw when it broke, next to the test's tmp_path.
            try:
                page.screenshot(path=tmp_path / "failure.png", full_page=True)
                (tmp_path / "failure.html").write_text(page.content(), encoding="utf-8")
                print(f"\nÉchec à {page.url} — capture : {tmp_path / 'failure.png'}")
                print(watch.describe())
            except (PlaywrightError, OSError) as error:  # a crashed page must not hide the test's failure
                print(f"\nCapture impossible : {error}")
        context.close()


@pytest.fixture
def page(request, chromium, live_server, transactional_db, tmp_path):
    """A fresh desktop browser context on the live server; console, errors and CSP are watched."""
    yield from _open_page(request, chromium, live_server, tmp_path, DESKTOP)


@pytest.fixture
def mobile_page(request, chromium, live_server, transactional_db, tmp_path):
    """The same at a phone's width (375 × 812)."""
    yield from _open_page(request, chromium, live_server, tmp_path, MOBILE)
