"""Shared fixtures: a cast of users (one per role plus an outsider) and service guards."""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from portfolio.core import roles

IN_CI = bool(os.environ.get("CI"))


def service_reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str, reachable: bool, reason: str) -> None:
    """Skip on a bare machine, fail in CI: CI promises the service is there."""
    if reachable:
        return
    if IN_CI:
        pytest.fail(f"{name} is required in CI but unreachable: {reason}")
    pytest.skip(f"{name} unavailable: {reason}")


def pytest_collection_modifyitems(config, items):
    is_postgres = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        # In CI these run whatever the database, so a missing PostgreSQL fails them.
        if item.get_closest_marker("postgres") and not is_postgres and not IN_CI:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL"))


@pytest.fixture(scope="session", autouse=True)
def _plain_http_server():
    """The live server speaks plain HTTP, so production's HTTPS-only settings must be off for the session.

    Session scope, because the live server builds its middleware once, before per-test settings apply.
    """
    overrides = {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }
    previous = {name: getattr(django_settings, name, None) for name in overrides}
    for name, value in overrides.items():
        setattr(django_settings, name, value)
    yield
    for name, value in previous.items():
        setattr(django_settings, name, value)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Production settings redirect to HTTPS; the test client speaks plain HTTP.
    settings.SECURE_SSL_REDIRECT = False
    # Serve static files from the source folders, with no collectstatic step before tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    # Full-strength hashing costs most of a second per user; tests make hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL") or ""
    require_service("Redis", bool(url) and service_reachable(url, 6379), "set REDIS_URL to a running Redis")
    return url


def _make_user(django_user_model, username, role=None, **extra):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.com", password="pw-" + username, **extra
    )
    if role:
        # get_or_create: a transactional test's flush removes the groups the data migration made.
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@pytest.fixture
def product_manager(db, django_user_model):
    return _make_user(django_user_model, "pm", roles.PRODUCT_MANAGERS, first_name="Priya", last_name="Shah")


@pytest.fixture
def program_manager(db, django_user_model):
    return _make_user(django_user_model, "pgm", roles.PROGRAM_MANAGERS, first_name="Marco", last_name="Rossi")


@pytest.fixture
def leader(db, django_user_model):
    return _make_user(django_user_model, "leader", roles.LEADERSHIP, first_name="Lena", last_name="Berg")


@pytest.fixture
def member(db, django_user_model):
    return _make_user(django_user_model, "member", roles.TEAM_MEMBERS)


@pytest.fixture
def outsider(db, django_user_model):
    """Signed in, but with no role and no ownership of anything."""
    return _make_user(django_user_model, "outsider")


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(username="root", email="root@example.com", password="pw-root")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as(api_client):
    """Return an API client signed in as the given user."""

    def _as(user):
        api_client.force_authenticate(user)
        return api_client

    return _as


def pytest_terminal_summary(terminalreporter):
    """Show what each browser crawl visited (tests/e2e/test_crawl.py), also from xdist workers and in CI logs.

    Here, not in tests/e2e/conftest.py: xdist's controller, which writes the summary, loads only this conftest.
    """
    lines = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, value in getattr(report, "user_properties", ())
        if name == "crawl"
    ]
    if lines:
        terminalreporter.section("browser crawl")
        for line in lines:
            terminalreporter.write_line(line)
