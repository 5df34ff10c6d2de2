import datetime

import factory
from django.utils import timezone

from portfolio.reports.models import ReportDelivery, ReportSubscription, StakeholderReport
from tests.core.factories import UserFactory


class ReportSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSubscription

    recipient = factory.SubFactory(UserFactory)
    frequency = ReportSubscription.Frequency.WEEKLY
    weekday = 0
    hour = 8


class StakeholderReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderReport

    period_key = factory.Sequence(lambda n: f"2026-W{(n % 52) + 1:02d}")
    period_start = datetime.date(2026, 11, 16)
    period_end = datetime.date(2026, 11, 22)
    generated_at = factory.LazyFunction(timezone.now)


class ReportDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportDelivery

    subscription = factory.SubFactory(ReportSubscriptionFactory)
    report = factory.SubFactory(StakeholderReportFactory)
    period_key = factory.SelfAttribute("report.period_key")
    recipient_email = factory.SelfAttribute("subscription.recipient.email")
