"""Sign-in lockout, session limits, password length, security headers and the deploy check."""

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse
from rest_framework.throttling import ScopedRateThrottle

from portfolio.core.api.views import TokenView

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LOCKED = "Too many failed sign-in attempts. Try again in 15 minutes."
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


# -----------------------------------------------------------------------------
# Sign-in lockout (django-axes), on the login page and at the token endpoint
# -----------------------------------------------------------------------------
TOKEN_THROTTLES = TokenView.throttle_classes


@pytest.fixture(autouse=True)
def _token_throttle_out_of_the_way(monkeypatch):
    """These tests sign in more often than the token throttle allows; the lockout is what they are about.

    Off rather than raised: a raised rate still records every request in the cache, which on Redis is
    shared with the other test processes, whose token tests would then be throttled.
    """
    monkeypatch.setattr(TokenView, "throttle_classes", [])


class Page:
    """Sign in on the login page; a refused password answers the form again (200)."""

    refused = 200

    @staticmethod
    def sign_in(client, username, password, **extra):
        return client.post(reverse("login"), {"username": username, "password": password}, **extra)

    @staticmethod
    def signed_in(response):
        return response.status_code == 302


class Api:
    """Exchange a password for a token; a refused password is a 400."""

    refused = 400

    @staticmethod
    def sign_in(client, username, password, **extra):
        data = {"username": username, "password": password}
        return client.post(reverse("auth-token"), data, content_type="application/json", **extra)

    @staticmethod
    def signed_in(response):
        return response.status_code == 200 and "token" in response.json()


@pytest.fixture(params=[Page, Api], ids=["login page", "token endpoint"])
def way(request):
    return request.param


def fail(way, client, times, username="pm", **extra):
    return [way.sign_in(client, username, "wrong", **extra).status_code for _ in range(times)]


def assert_locked_out(response, way):
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    if way is Api:
        assert response.json() == {"detail": LOCKED, "errors": {}}
    else:
        assert LOCKED in response.content.decode()
        assert "Sign-in locked" in response.content.decode()


def test_the_tenth_failed_sign_in_locks_out_with_a_message_saying_when_to_retry(client, product_manager, way):
    assert fail(way, client, 9) == [way.refused] * 9

    assert_locked_out(way.sign_in(client, "pm", "wrong"), way)
    # Locked out means the right password is refused too, without being checked.
    right_password = way.sign_in(client, "pm", "pw-pm")
    assert_locked_out(right_password, way)
    assert client.get("/").status_code == 302


def throttled_afresh(address: str) -> dict[str, str]:
    """Request headers from an address of its own, with no throttle history (Redis keeps it between runs)."""
    cache.delete(ScopedRateThrottle.cache_format % {"scope": "auth", "ident": address})
    return {"REMOTE_ADDR": address}


def test_the_token_throttle_leaves_room_for_the_lockout(client, product_manager, monkeypatch):
    """With the real throttle (20 a minute per address), the tenth failure meets the lockout, not the throttle."""
    monkeypatch.setattr(TokenView, "throttle_classes", TOKEN_THROTTLES)
    address = throttled_afresh("198.51.100.20")

    assert fail(Api, client, 9, **address) == [400] * 9
    assert_locked_out(Api.sign_in(client, "pm", "wrong", **address), Api)
    assert_locked_out(Api.sign_in(client, "pm", "pw-pm", **address), Api)


def test_a_forged_forwarded_for_header_does_not_get_a_fresh_throttle_allowance(client, monkeypatch):
    monkeypatch.setattr(TokenView, "throttle_classes", TOKEN_THROTTLES)
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/minute"})
    address = throttled_afresh("198.51.100.30")

    codes = [
        Api.sign_in(client, "nobody", "guess", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}", **address).status_code
        for n in range(4)
    ]
    assert codes == [400, 400, 400, 429]


def test_failures_on_the_page_and_at_the_api_add_up(client, product_manager):
    fail(Page, client, 5)
    fail(Api, client, 4)

    assert_locked_out(Api.sign_in(client, "pm", "wrong"), Api)
    assert_locked_out(Page.sign_in(client, "pm", "pw-pm"), Page)


def test_a_successful_sign_in_before_the_tenth_failure_resets_the_count(client, product_manager, way):
    fail(way, client, 9)
    assert way.signed_in(way.sign_in(client, "pm", "pw-pm"))
    client.logout()

    assert fail(way, client, 9) == [way.refused] * 9
    assert way.signed_in(way.sign_in(client, "pm", "pw-pm"))


def test_the_lock_holds_one_username_from_one_address_only(client, product_manager, member, way):
    fail(way, client, 10)

    assert way.signed_in(way.sign_in(client, "member", "pw-member")), "another username, same address"
    client.logout()
    other_address = way.sign_in(client, "pm", "pw-pm", REMOTE_ADDR="192.0.2.7")
    assert way.signed_in(other_address), "same username, another address"


def test_a_forwarded_for_header_does_not_change_the_address(client, product_manager):
    fail(Page, client, 10)

    assert_locked_out(Page.sign_in(client, "pm", "pw-pm", HTTP_X_FORWARDED_FOR="192.0.2.7"), Page)


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_saw(client, product_manager, settings, way):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forges the first entries; the proxy appends the address it was reached from.
    fail(way, client, 5, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5")
    fail(way, client, 4, HTTP_X_FORWARDED_FOR="10.1.1.1, 203.0.113.5")
    assert_locked_out(way.sign_in(client, "pm", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.5"), way)

    # Another client behind the same proxy (same REMOTE_ADDR) is not locked.
    assert way.signed_in(way.sign_in(client, "pm", "pw-pm", HTTP_X_FORWARDED_FOR="198.51.100.8"))


def test_the_lockout_ends_fifteen_minutes_after_the_last_failure(client, product_manager, way):
    with time_machine.travel(START, tick=False) as traveller:
        fail(way, client, 10)
        traveller.shift(datetime.timedelta(minutes=14))
        assert_locked_out(way.sign_in(client, "pm", "pw-pm"), way)

        # That refused attempt started the cool-off again, as the message promised.
        traveller.shift(datetime.timedelta(minutes=14))
        assert_locked_out(way.sign_in(client, "pm", "pw-pm"), way)
        traveller.shift(datetime.timedelta(minutes=15, seconds=1))
        assert way.signed_in(way.sign_in(client, "pm", "pw-pm"))


def test_a_superuser_sees_the_lockout_in_the_admin(client, product_manager, superuser):
    fail(Page, client, 10)
    attempt = AccessAttempt.objects.get(username="pm")
    assert attempt.failures_since_start == 10

    client.force_login(superuser)
    index = client.get(reverse("admin:index"))
    assert b"Access attempts" in index.content
    changelist = client.get(reverse("admin:axes_accessattempt_changelist"), {"locked_out": "yes"})
    assert changelist.status_code == 200
    html = changelist.content.decode()
    assert ">pm<" in html and "Locked Out" in html
    assert client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk])).status_code == 200


def test_staff_who_are_not_superusers_do_not_reach_the_lockouts(client, product_manager, django_user_model):
    fail(Page, client, 10)
    staff = django_user_model.objects.create_user(username="staff", email="staff@example.com", is_staff=True)
    client.force_login(staff)

    assert b"Access attempts" not in client.get(reverse("admin:index")).content
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


# -----------------------------------------------------------------------------
# Sessions: 30 minutes idle, 12 hours at most
# -----------------------------------------------------------------------------
def test_a_session_ends_after_thirty_idle_minutes(client, member):
    with time_machine.travel(START, tick=False) as traveller:
        assert Page.signed_in(Page.sign_in(client, "member", "pw-member"))
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get("/").status_code == 200, "each request moves the idle limit on"
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get("/").status_code == 200

        traveller.shift(datetime.timedelta(minutes=30, seconds=1))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_session_ends_twelve_hours_after_sign_in_however_active(client, member):
    with time_machine.travel(START, tick=False) as traveller:
        assert Page.signed_in(Page.sign_in(client, "member", "pw-member"))
        for _ in range(12 * 60 // 20 - 1):
            traveller.shift(datetime.timedelta(minutes=20))
            assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=19, seconds=59))
        assert client.get("/").status_code == 200, "11:59:59 after signing in"

        traveller.shift(datetime.timedelta(seconds=1))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/"
        login = client.get(response["Location"])
        assert "Your session has ended. Sign in again to go on." in login.content.decode()
        assert client.get("/").status_code == 302, "signed out, not just redirected once"

        assert Page.signed_in(Page.sign_in(client, "member", "pw-member"))
        assert client.get("/").status_code == 200, "signing in again starts a new 12 hours"


def test_a_session_past_its_twelve_hours_is_refused_by_the_api_too(client, member, settings):
    settings.SESSION_IDLE_TIMEOUT = settings.SESSION_COOKIE_AGE = 24 * 60 * 60
    with time_machine.travel(START, tick=False) as traveller:
        Page.sign_in(client, "member", "pw-member")
        assert client.get("/api/v1/me/").status_code == 200
        traveller.shift(datetime.timedelta(hours=12))
        assert client.get("/api/v1/me/").status_code in (401, 403)


def test_a_token_request_gets_no_session(client, member):
    token = Api.sign_in(client, "member", "pw-member").json()["token"]

    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_session_limits_are_settings(settings):
    assert settings.SESSION_IDLE_TIMEOUT == settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 60 * 60


# -----------------------------------------------------------------------------
# Passwords
# -----------------------------------------------------------------------------
def test_a_new_password_needs_twelve_characters(client, member):
    client.force_login(member)
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-member", "new_password1": "Short-pw-26", "new_password2": "Short-pw-26"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password("pw-member")


# -----------------------------------------------------------------------------
# Headers
# -----------------------------------------------------------------------------
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy_of(response) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


def assert_security_headers(response):
    assert policy_of(response) == POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_and_api_responses_carry_the_security_headers(client, member):
    assert_security_headers(client.get(reverse("login")))
    assert_security_headers(client.post(reverse("auth-token"), {}, content_type="application/json"))
    client.force_login(member)
    assert_security_headers(client.get("/"))
    assert_security_headers(client.get("/api/v1/me/"))


def test_the_swagger_page_loads_its_init_script_as_a_file(client, member):
    client.force_login(member)
    html = client.get(reverse("api-docs")).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script"
    assert "<style" not in html

    script_url = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1).replace("&amp;", "&")
    script = client.get(script_url)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content
    # Its "online validator" badge would be an image from validator.swagger.io on any real host name.
    assert b'"validatorUrl": null' in script.content


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)


def test_no_template_has_inline_script_style_or_handler():
    """The CSP refuses them; the browser test sees the pages, this sees every template, used or not yet."""
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        # Emails need inline CSS (mail clients drop style sheets); no page serves them under the site's
        # policy (the report archive frames them, sandboxed, with a policy of their own).
        if path.parent != ROOT / "templates" / "email"
        for match in INLINE.finditer(path.read_text())
        # Comments that explain what was moved out.
        if not _in_comment(path.read_text(), match.start())
    ]
    assert offenders == []


def _in_comment(text: str, position: int) -> bool:
    before = text[:position]
    return before.rfind("{% comment %}") > before.rfind("{% endcomment %}") or before.rfind("{#") > before.rfind("#}")


# -----------------------------------------------------------------------------
# manage.py check --deploy under production settings, nothing silenced
# -----------------------------------------------------------------------------
PRODUCTION_ENV = {
    "DATABASE_URL": "postgres://app:pw@db.internal:5432/portfolio",
    "REDIS_URL": "redis://cache.internal:6379/2",
    "SECRET_KEY": "deploy-check-" + "k3y-" * 12,
    "ALLOWED_HOSTS": "portfolio.example.com",
}


# Taken out of the test run's environment: its own settings, and the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE
# (which check --deploy rightly refuses).
OUTSIDE_SETTINGS = (
    "DATABASE_",
    "REDIS_",
    "SECRET_",
    "ALLOWED_",
    "SECURE_",
    "SESSION_",
    "LOGIN_",
    "DEBUG",
    "DJANGO_ALLOW",
)


def run_in_production(tmp_path, *args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(OUTSIDE_SETTINGS)}
    clean.update({"DJANGO_SETTINGS_MODULE": "portfolio.settings", "VAR_DIR": str(tmp_path / "var")})
    clean.update(PRODUCTION_ENV | env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_deploy_check_is_clean_under_production_settings_with_nothing_silenced(tmp_path):
    result = run_in_production(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.slow
def test_turning_hsts_preload_off_is_a_deliberate_warning(tmp_path):
    result = run_in_production(
        tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING", SECURE_HSTS_PRELOAD="false"
    )
    assert result.returncode != 0
    assert "security.W021" in result.stderr + result.stdout


PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in (
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SILENCED_SYSTEM_CHECKS",
)}))
"""


def test_production_turns_on_hsts_with_preload_and_secure_cookies(tmp_path):
    result = run_in_production(tmp_path, "-c", PROBE)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SILENCED_SYSTEM_CHECKS": [],
    }
