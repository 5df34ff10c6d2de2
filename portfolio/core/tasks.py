from celery import shared_task
from django.core import management


@shared_task
def ping() -> str:
    """Answer "pong": proves a worker is consuming from the broker."""
    return "pong"


@shared_task
def clear_expired_sessions() -> None:
    """Delete expired login sessions (scheduled by beat)."""
    management.call_command("clearsessions")
