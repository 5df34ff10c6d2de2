"""Deliver, in this process, the stakeholder reports due now (or one subscription's current period)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portfolio.reports import selectors, services
from portfolio.reports.models import ReportSubscription
from portfolio.reports.periods import local_date, period_of, schedule_of, slot_at_or_before
from portfolio.reports.rendering import PdfUnavailable


class Command(BaseCommand):
    help = (
        "Plan and send the stakeholder reports due now, in this process (no worker needed); "
        "--subscription N sends that subscription's current period at once, due or not (still once per period)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--subscription", type=int, help="Send this subscription's current period now.")
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; change nothing.")

    def handle(self, *args, subscription=None, dry_run=False, **options):
        now = timezone.now()
        try:
            if dry_run:
                return self._dry_run(subscription, now)
            if subscription is not None:
                target = ReportSubscription.objects.filter(pk=subscription).first()
                if target is None:
                    raise CommandError(f"No report subscription {subscription}.")
                delivery, created = services.subscription_send_now(subscription=target, now=now, queue=False)
                ids = [delivery.pk] if created or delivery.status == delivery.Status.PENDING else []
                if not created:
                    self.stdout.write(f"Subscription {subscription} already has its {delivery.period_key} report.")
            else:
                ids = services.reports_plan(now=now, queue=False)
                ids += [pk for pk in selectors.deliveries_ready(now=now) if pk not in ids]
        except PdfUnavailable as error:
            raise CommandError(str(error)) from None
        counts: dict[str, int] = {}
        for pk in ids:
            outcome, _delay = services.delivery_send(delivery_id=pk)
            counts[outcome] = counts.get(outcome, 0) + 1
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "nothing to send"
        self.stdout.write(f"Stakeholder reports: {summary}.")

    def _dry_run(self, subscription, now):
        if subscription is not None:
            rows = list(selectors.subscriptions_for_dry_run(ids=[subscription]))
            if not rows:
                raise CommandError(f"No report subscription {subscription}.")
        else:
            rows = list(selectors.subscriptions_for_dry_run(ids=services.due_subscription_ids(now=now)))
        if not rows:
            self.stdout.write("Nothing is due.")
        for row in rows:
            moment = now if subscription is not None else slot_at_or_before(**schedule_of(row), moment=now)
            period = period_of(frequency=row.frequency, day=local_date(moment))
            sent = period.key in row.sent_periods
            what = "already sent" if sent else "would send"
            self.stdout.write(
                f"{what}: subscription {row.pk}, {row.scope_label}, {period.key}, to {row.recipient.email}"
            )
