"""Reachability checks for /healthz."""

import logging

from django.core.cache import cache
from django.db import connection

from portfolio.celery import app as celery_app

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)


def check_cache() -> None:
    cache.set("healthz", "ok", 5)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return the value just written")


CHECKS = {"database": check_database, "broker": check_broker, "cache": check_cache}


def run_checks() -> dict[str, str]:
    """Run every check; each maps to "ok" or "error"."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down"
            # The details go to the log, not to the anonymous caller.
            logger.warning("health check %s failed: %s: %s", name, exc.__class__.__name__, exc)
            results[name] = "error"
        else:
            results[name] = "ok"
    return results
