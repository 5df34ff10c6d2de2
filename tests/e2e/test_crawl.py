"""Every page each demo login can reach by following links is sound: see tests/e2e/crawler.py for the checks.

New pages are covered as soon as a link leads to them. ``pytest -s`` prints the pages and URL shapes each
user's crawl visited; a plain run (and CI, through xdist) shows them in the "browser crawl" summary (tests/conftest.py).
"""

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.urls import reverse
from pytest_django.live_server_helper import LiveServer

from portfolio.demo.organisation import seed_organisation
from tests.e2e.crawler import Crawl

# Not transactional: the tests share one seeded database and only read it (see demo_server).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PASSWORD = "crawl-demo"
# A team member reads what leadership reads, with fewer links (no subscriptions of its own to manage): its
# crawl would visit the same pages again, and the access matrix already covers what it may and may not do.
# Leadership reads on the go: its crawl runs in a phone's window, where no page may scroll sideways either.
PHONE = {"viewport": {"width": 390, "height": 844}}
LOGINS = [
    "admin",
    "product.manager",
    "program.manager",
    pytest.param("leader", marks=pytest.mark.browser_context_args(**PHONE), id="leader-on-a-phone"),
]


@pytest.fixture(scope="module")
def demo_server(django_db_setup, django_db_blocker):
    """A live server over the demo organisation, seeded once for this module's tests and flushed after them.

    pytest-django's ``live_server`` makes each test transactional, and each such test ends by flushing the
    database (3-5 s on PostgreSQL, and seeding again takes about 1 s). The crawl only reads, so its tests
    share one committed demo organisation, seeded outside any test transaction so the server's threads see
    it on PostgreSQL too, and flushed after the last test as a transactional test would.
    """
    with django_db_blocker.unblock():
        try:
            # The fast hasher tests/conftest.py gives every test, so the sign-ins check against it.
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                seed_organisation(password=PASSWORD, seed=42)
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            yield server
            server._live_server_modified_settings.disable()
            # Not server.stop(): it also ends the sharing of an in-memory SQLite connection with the server's
            # threads, and a thread still closing one of the browser's keep-alive connections would then raise.
            server.thread.terminate()
        finally:
            for alias in connections:
                call_command("flush", database=alias, interactive=False, verbosity=0)


@pytest.mark.parametrize("username", LOGINS)
def test_every_page_a_demo_login_reaches_is_sound(page, demo_server, username, record_property):
    server = demo_server
    # Two pages per URL shape: every shape is still visited, in a suite that must stay within its time budget.
    crawl = Crawl(page=page, base_url=server.url, max_pages=150, per_shape=2)

    crawl.current = reverse("login")
    page.goto(server.url + crawl.current)
    crawl.check_document()
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/")
    crawl.settle()

    crawl.run("/")

    summary = f"{username}: {len(crawl.visited)} pages, {len(crawl.shapes)} URL shapes"
    record_property("crawl", summary)
    print(f"\n{summary}")
    problems = crawl.problem_lines()
    if problems:
        pytest.fail(
            f"The crawl as {username} found {len(problems)} problem(s):\n" + "\n".join(f"  {p}" for p in problems),
            pytrace=False,
        )
