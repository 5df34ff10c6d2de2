"""Settings come from the environment, with embedded defaults that need nothing installed."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "broker": settings.CELERY_BROKER_URL,
    "broker_options": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    "result_backend": settings.CELERY_RESULT_BACKEND,
    "email_backend": settings.EMAIL_BACKEND,
    "email_host": getattr(settings, "EMAIL_HOST", None),
    "email_port": getattr(settings, "EMAIL_PORT", None),
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "time_zone": settings.TIME_ZONE,
    "cache": settings.CACHES["default"]["BACKEND"],
}))
"""
SETTING_NAMES = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "TIME_ZONE",
    "EMAIL_URL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "VAR_DIR",
    "SQLITE_PATH",
)


def run_settings(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    clean.update({"DJANGO_SETTINGS_MODULE": "portfolio.settings", "VAR_DIR": str(tmp_path / "var"), **env})
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_embedded_defaults_need_nothing_installed(tmp_path):
    result = run_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    var = tmp_path / "var"
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["db_name"] == str(var / "portfolio.sqlite3")
    assert values["broker"] == "filesystem://"
    assert values["broker_options"]["data_folder_in"] == str(var / "celery" / "broker")
    assert values["result_backend"] == "django-db"
    assert values["email_backend"] == "django.core.mail.backends.filebased.EmailBackend"
    assert values["debug"] is False
    assert values["time_zone"] == "UTC"
    # kombu does not create the broker folders, so settings must have.
    assert (var / "celery" / "broker").is_dir()
    assert (var / "celery" / "processed").is_dir()
    assert (var / "mail").is_dir()
    # A secret key is generated once per installation, never taken from the code.
    assert (var / "secret_key").read_text()


def test_production_settings_come_from_the_environment(tmp_path):
    result = run_settings(
        tmp_path,
        DATABASE_URL="postgres://app:pw@db.internal:5432/portfolio",
        REDIS_URL="redis://cache.internal:6379/2",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="portfolio.example.com,www.example.com",
        EMAIL_URL="smtp://mailer.internal:2525",
        TIME_ZONE="Europe/Berlin",
        DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["db_name"] == "portfolio"
    assert values["broker"] == "redis://cache.internal:6379/2"
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["email_host"], values["email_port"]) == ("mailer.internal", 2525)
    assert values["allowed_hosts"] == ["portfolio.example.com", "www.example.com"]
    assert values["time_zone"] == "Europe/Berlin"
    assert values["debug"] is True


def test_missing_production_settings_fail_at_start_with_a_clear_message(tmp_path):
    result = run_settings(tmp_path, DATABASE_URL="postgres://app:pw@db.internal:5432/portfolio")
    assert result.returncode != 0
    assert "production mode and also needs: SECRET_KEY, ALLOWED_HOSTS, REDIS_URL" in result.stderr


def test_debug_is_off_unless_asked(tmp_path):
    for value, expected in (("", False), ("0", False), ("false", False), ("1", True), ("yes", True)):
        result = run_settings(tmp_path, DEBUG=value)
        assert json.loads(result.stdout)["debug"] is expected, value


STARTUP = """
import django
django.setup()
from django.core.management import call_command
from portfolio.celery import app
from portfolio.core.tasks import ping
call_command("check")
ping.delay()  # publishing declares the exchange, which the file-system broker writes down
app.control.broadcast("ping", reply=False)  # and the control (broadcast) exchange
"""


def test_embedded_start_up_and_sending_a_task_write_nothing_outside_var(tmp_path):
    """kombu's file-system broker keeps its control exchange in a relative folder unless told otherwise."""
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    clean = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    clean.update(
        {"DJANGO_SETTINGS_MODULE": "portfolio.settings", "VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(ROOT)}
    )
    before = set(ROOT.iterdir())
    result = subprocess.run(
        [sys.executable, "-c", STARTUP], cwd=workdir, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert list(workdir.iterdir()) == []
    assert set(ROOT.iterdir()) - before == set()
    assert list((tmp_path / "var" / "celery" / "control").glob("*.exchange"))
