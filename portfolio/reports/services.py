"""Writes of the reports app: subscriptions, the planner that freezes reports and creates deliveries, and the
delivery of one email with its claim, retries and backoff.

Exactly once: a report is unique per scope and period, a delivery per subscription and period (database
constraints); a delivery is sent only by whoever claimed it with a conditional UPDATE that changed one row.
"""

import datetime
import logging
import random
import smtplib
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from portfolio.core.permissions import can
from portfolio.reports import rendering, snapshot
from portfolio.reports.models import REPORT_SCOPES, ReportDelivery, ReportSubscription, StakeholderReport
from portfolio.reports.periods import Period, local_date, period_of, schedule_of, slot_after, slot_at_or_before

logger = logging.getLogger(__name__)

SUBSCRIPTION_FIELDS = ("recipient", *REPORT_SCOPES, "frequency", "weekday", "day_of_month", "hour", "active")
SCHEDULE_FIELDS = ("frequency", "weekday", "day_of_month", "hour")
Status = ReportDelivery.Status
OTHERS_ONLY_TO_WHAT_YOU_MANAGE = "You may subscribe others only to what you manage."


def _require(user, perm: str, obj) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied(f"You may not do this ({perm}).")


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(data) - set(SUBSCRIPTION_FIELDS))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be set here."))
    return dict(data)


def _tidy_schedule(subscription: ReportSubscription) -> None:
    """Keep only the day field of the chosen frequency (a weekly report has no day of the month)."""
    if subscription.frequency == ReportSubscription.Frequency.WEEKLY:
        subscription.day_of_month = None
    elif subscription.frequency == ReportSubscription.Frequency.MONTHLY:
        subscription.weekday = None


def _next_due(subscription: ReportSubscription, now: datetime.datetime) -> datetime.datetime:
    return slot_after(**schedule_of(subscription), moment=now)


def _check_may_hold(user, subscription: ReportSubscription) -> None:
    """Refuse a subscription the user may not make: for someone else, or on a scope they do not manage."""
    if not can(user, "reports.add_reportsubscription", subscription):
        field = "recipient" if subscription.recipient_id != user.pk else "portfolio"
        raise ValidationError({field: OTHERS_ONLY_TO_WHAT_YOU_MANAGE})


@transaction.atomic
def subscription_create(*, user, data: dict[str, Any], now: datetime.datetime | None = None) -> ReportSubscription:
    """Subscribe ``data["recipient"]`` (the user by default) to a scope's weekly or monthly report."""
    _require(user, "reports.add_reportsubscription", None)
    data = _fields(data)
    data["recipient"] = data.get("recipient") or user
    subscription = ReportSubscription(**data, created_by=user)
    _tidy_schedule(subscription)
    _check_may_hold(user, subscription)
    subscription.full_clean()
    subscription.next_due_at = _next_due(subscription, now or timezone.now())
    subscription.save()
    return subscription


@transaction.atomic
def subscription_update(
    *, user, subscription: ReportSubscription, data: dict[str, Any], now: datetime.datetime | None = None
) -> ReportSubscription:
    """Change the scope, schedule or state of a subscription; a new schedule starts from its next slot."""
    _require(user, "reports.change_reportsubscription", subscription)
    data = _fields(data)
    for field, value in data.items():
        setattr(subscription, field, value)
    _tidy_schedule(subscription)
    _check_may_hold(user, subscription)
    subscription.full_clean()
    if any(field in data for field in (*SCHEDULE_FIELDS, "active")):
        subscription.next_due_at = _next_due(subscription, now or timezone.now())
    subscription.save()
    return subscription


@transaction.atomic
def subscription_delete(*, user, subscription: ReportSubscription) -> None:
    """Remove the subscription (its past deliveries go with it; the reports stay in the archive)."""
    _require(user, "reports.delete_reportsubscription", subscription)
    subscription.delete()


@transaction.atomic
def subscription_unsubscribe(*, subscription_id: int) -> ReportSubscription | None:
    """Stop the subscription behind a signed unsubscribe link (no sign-in); None if it no longer exists."""
    subscription = ReportSubscription.objects.select_for_update().filter(pk=subscription_id).first()
    if subscription is not None and subscription.active:
        subscription.active = False
        subscription.save(update_fields=["active", "updated_at"])
    return subscription


# --- Reports: one frozen snapshot per scope and period -------------------------------------------------------


def _scope_fields(subscription: ReportSubscription) -> dict:
    return {name: getattr(subscription, name) for name in REPORT_SCOPES}


def report_for_period(*, scope_fields: dict, period: Period, now: datetime.datetime) -> StakeholderReport:
    """The scope's report of ``period``: the one stored, else a new snapshot (rendered to HTML, text and PDF)."""
    ids = {f"{name}_id": (value.pk if value is not None else None) for name, value in scope_fields.items()}
    existing = StakeholderReport.objects.filter(**ids, period_key=period.key).defer("pdf").first()
    if existing is not None:
        return existing
    scope = next((value for value in scope_fields.values() if value is not None), None)
    report = StakeholderReport(**scope_fields, period_key=period.key, period_start=period.start)
    report.period_end = period.end
    report.generated_at = now
    scope_key = f"{scope._meta.model_name}:{scope.pk}" if scope is not None else "organisation"
    previous = snapshot.previous_report(scope_key=scope_key, period=period)
    report.data = snapshot.build_snapshot(
        scope=scope,
        scope_key=scope_key,
        scope_label=str(scope) if scope is not None else "the whole organisation",
        period=period,
        now=now,
        previous=previous,
    )
    _subject, report.html, report.text = rendering.render_bodies(report.data)
    report.pdf = rendering.render_pdf(report.html)
    report.full_clean(exclude=["scope_key"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: another planner may store the same report first
            report.save()
    except IntegrityError:
        return StakeholderReport.objects.defer("pdf").get(**ids, period_key=period.key)
    return report


def _delivery_for(subscription: ReportSubscription, report: StakeholderReport) -> tuple[ReportDelivery, bool]:
    delivery = ReportDelivery(
        subscription=subscription,
        report=report,
        period_key=report.period_key,
        recipient_email=subscription.recipient.email,
    )
    try:
        with transaction.atomic():
            delivery.save()
    except IntegrityError:
        return ReportDelivery.objects.get(subscription=subscription, period_key=report.period_key), False
    return delivery, True


def _queue_after_commit(delivery_ids: list[int]) -> None:
    from portfolio.reports import tasks  # the tasks wrap these services

    def queue():
        for pk in delivery_ids:
            tasks.deliver_report.delay(pk)

    if delivery_ids:
        transaction.on_commit(queue)


def due_subscription_ids(*, now: datetime.datetime) -> list[int]:
    """What is due now: active subscriptions whose next slot has come (one query on the next-due index)."""
    return list(
        ReportSubscription.objects.filter(active=True, next_due_at__lte=now)
        .order_by("next_due_at", "pk")
        .values_list("pk", flat=True)
    )


def subscription_plan(*, subscription_id: int, now: datetime.datetime, queue: bool = True) -> ReportDelivery | None:
    """Plan one due subscription: its report for the period of its latest slot, a delivery, its next slot.

    A slot missed while beat was down is caught up once: the latest slot only, then the next one after now.
    A second planner skips the row this one holds (SKIP LOCKED) or finds it no longer due.
    """
    with transaction.atomic():
        subscription = (
            ReportSubscription.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", *REPORT_SCOPES)
            .filter(pk=subscription_id, active=True, next_due_at__lte=now)
            .first()
        )
        if subscription is None:
            return None
        slot = slot_at_or_before(**schedule_of(subscription), moment=now)
        period = period_of(frequency=subscription.frequency, day=local_date(slot))
        report = report_for_period(scope_fields=_scope_fields(subscription), period=period, now=now)
        delivery, created = _delivery_for(subscription, report)
        subscription.next_due_at = _next_due(subscription, now)
        subscription.save(update_fields=["next_due_at", "updated_at"])
        if created and queue:
            _queue_after_commit([delivery.pk])
        return delivery if created else None


def reports_plan(*, now: datetime.datetime | None = None, queue: bool = True) -> list[int]:
    """Plan every due subscription (each in its own transaction); return the deliveries created."""
    now = now or timezone.now()
    created = []
    for pk in due_subscription_ids(now=now):
        delivery = subscription_plan(subscription_id=pk, now=now, queue=queue)
        if delivery is not None:
            created.append(delivery.pk)
    return created


@transaction.atomic
def subscription_send_now(
    *,
    subscription: ReportSubscription,
    now: datetime.datetime | None = None,
    period: Period | None = None,
    queue: bool = True,
) -> tuple[ReportDelivery, bool]:
    """The subscription's delivery for the period holding now (or ``period``), due or not; (delivery, whether it
    is new). Still once per period: a period already delivered gives its delivery back."""
    now = now or timezone.now()
    subscription = (
        ReportSubscription.objects.select_for_update(of=("self",))
        .select_related("recipient", *REPORT_SCOPES)
        .get(pk=subscription.pk)
    )
    period = period or period_of(frequency=subscription.frequency, day=local_date(now))
    report = report_for_period(scope_fields=_scope_fields(subscription), period=period, now=now)
    delivery, created = _delivery_for(subscription, report)
    if created and queue:
        _queue_after_commit([delivery.pk])
    return delivery, created


# --- Delivery: claim, send, record -----------------------------------------------------------------------


def backoff_seconds(attempt: int) -> float:
    """Seconds before the next try after failed try ``attempt`` (1-based): exponential, ± 25 % jitter."""
    return settings.REPORT_RETRY_BASE_SECONDS * 2 ** (attempt - 1) * random.uniform(0.75, 1.25)


def _claimable(now: datetime.datetime) -> Q:
    stale = now - datetime.timedelta(seconds=settings.REPORT_CLAIM_TIMEOUT_SECONDS)
    ready = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return (Q(status=Status.PENDING) & ready) | Q(status=Status.SENDING, claimed_at__lt=stale)


def delivery_claim(*, delivery_id: int, now: datetime.datetime) -> bool:
    """Take the delivery for sending: a conditional UPDATE; go on only if it changed exactly one row."""
    claimed = ReportDelivery.objects.filter(
        _claimable(now), pk=delivery_id, attempts__lt=settings.REPORT_MAX_ATTEMPTS
    ).update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
    return claimed == 1


SEND_ERRORS = (smtplib.SMTPException, OSError)


def delivery_send(*, delivery_id: int, now: datetime.datetime | None = None) -> tuple[str, float | None]:
    """Claim, send and record one delivery: ``("sent" | "retry" | "failed" | "skipped", seconds to wait)``.

    The send happens outside any transaction: the claim is committed first, so a worker that dies mid-send
    leaves the row "sending" with its claim time, and it is taken back once that claim is stale.
    """
    now = now or timezone.now()
    if not delivery_claim(delivery_id=delivery_id, now=now):
        return "skipped", None
    delivery = ReportDelivery.objects.select_related("report", "subscription").get(pk=delivery_id)
    mine = ReportDelivery.objects.filter(pk=delivery_id, status=Status.SENDING, claimed_at=now)
    if not delivery.subscription.active:
        mine.update(status=Status.FAILED, last_error="Unsubscribed before it was sent.", updated_at=timezone.now())
        return "failed", None
    identifier = rendering.message_id(delivery)
    try:
        message = rendering.delivery_message(
            delivery=delivery,
            report=delivery.report,
            subscription=delivery.subscription,
            connection=get_connection(fail_silently=False),
        )
        message.send()
    except SEND_ERRORS as error:
        text = f"{type(error).__name__}: {error}"[:2000]
        if delivery.attempts >= settings.REPORT_MAX_ATTEMPTS:
            mine.update(status=Status.FAILED, last_error=text, next_attempt_at=None, updated_at=timezone.now())
            logger.warning("Report delivery %s failed after %s attempts: %s", delivery_id, delivery.attempts, text)
            return "failed", None
        delay = backoff_seconds(delivery.attempts)
        retry_at = timezone.now() + datetime.timedelta(seconds=delay)
        mine.update(status=Status.PENDING, last_error=text, next_attempt_at=retry_at, updated_at=timezone.now())
        return "retry", delay
    sent = mine.update(
        status=Status.SENT, sent_at=timezone.now(), message_id=identifier, last_error="", updated_at=timezone.now()
    )
    if not sent:
        logger.warning("Report delivery %s was sent but taken back by another sender meanwhile", delivery_id)
    return "sent", None


def deliveries_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Deliveries to queue again: pending and ready for a while (their task was lost), or left "sending" past
    the claim timeout (their worker died); those out of attempts are marked failed instead."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.REPORT_CLAIM_TIMEOUT_SECONDS)
    with transaction.atomic():
        ReportDelivery.objects.filter(
            status=Status.SENDING, claimed_at__lt=stale, attempts__gte=settings.REPORT_MAX_ATTEMPTS
        ).update(status=Status.FAILED, last_error="The sender stopped while sending.", updated_at=now)
    lost_pending = Q(status=Status.PENDING) & (
        Q(next_attempt_at__lt=stale) | Q(next_attempt_at__isnull=True, updated_at__lt=stale)
    )
    dead_sending = Q(status=Status.SENDING, claimed_at__lt=stale)
    return list(ReportDelivery.objects.filter(lost_pending | dead_sending).order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def delivery_resend(*, user, delivery: ReportDelivery) -> ReportDelivery:
    """Give a failed delivery a fresh set of attempts (administrators); its last error stays until it is sent."""
    _require(user, "reports.change_reportdelivery", delivery)
    if delivery.status != Status.FAILED:
        raise ValidationError({"status": "Only a failed delivery can be sent again."})
    ReportDelivery.objects.filter(pk=delivery.pk, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, next_attempt_at=None, claimed_at=None, updated_at=timezone.now()
    )
    _queue_after_commit([delivery.pk])
    delivery.refresh_from_db()
    return delivery
