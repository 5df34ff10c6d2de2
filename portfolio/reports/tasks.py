"""Celery tasks of the reports app: thin wrappers around ``portfolio.reports.services`` taking ids."""

import logging

from celery import shared_task
from django.conf import settings

from portfolio.reports import services
from portfolio.reports.rendering import PdfUnavailable

logger = logging.getLogger(__name__)
LIMITS = {
    "time_limit": settings.REPORT_TASK_TIME_LIMIT,
    "soft_time_limit": settings.REPORT_TASK_TIME_LIMIT - 30,
    "acks_late": True,
    "reject_on_worker_lost": True,
}


@shared_task(**LIMITS)
def plan_reports() -> dict:
    """Beat's entry: plan what is due now (queued after each commit), then queue again what was left behind."""
    try:
        planned = services.reports_plan()
    except PdfUnavailable as error:
        logger.error("%s", error)
        planned = []
    swept = services.deliveries_sweep()
    for pk in swept:
        deliver_report.delay(pk)
    return {"planned": len(planned), "swept": len(swept)}


@shared_task(**LIMITS)
def deliver_report(delivery_id: int) -> str:
    """Send one delivery; after an SMTP failure queue the next try at its backoff time."""
    outcome, delay = services.delivery_send(delivery_id=delivery_id)
    if outcome == "retry":
        deliver_report.apply_async(args=[delivery_id], countdown=delay)
    return outcome


@shared_task(**LIMITS)
def send_subscription_now(subscription_id: int) -> int | None:
    """Deliver the subscription's current period at once (still once per period)."""
    from portfolio.reports.models import ReportSubscription

    subscription = ReportSubscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return None
    delivery, _created = services.subscription_send_now(subscription=subscription)
    return delivery.pk
