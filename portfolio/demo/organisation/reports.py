"""The reporting of the demo organisation: weekly project status reports and leadership's report subscriptions."""

import datetime

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from portfolio.demo.content.programs import STATUS_SUMMARIES
from portfolio.demo.organisation.base import BuilderBase
from portfolio.reports import services as report_services
from portfolio.reports.models import ReportSubscription, StakeholderReport
from portfolio.reports.periods import WEEKLY, local_date, period_of
from programs import services as program_services
from programs.models import Milestone, StatusReport
from risks import services as risk_services
from risks.models import Risk

ACCOMPLISHMENTS = [
    "Finished the sprint goal; demoed to two design partners.",
    "Closed 14 stories and 3 bugs; performance tests green.",
    "Signed off the design for the next milestone.",
]
NEXT_STEPS = [
    "Start the beta with the first design partners.",
    "Finish integration tests and prepare the security review.",
    "Plan the launch with marketing and support.",
]
BLOCKERS = [
    "Waiting on the platform team for the new region.",
    "Two engineers out sick this week.",
    "Decision needed on scope for the enterprise bundle.",
]


class ReportsBuilder(BuilderBase):
    def build_status_reports(self) -> None:
        last_friday = self.days(-((self.anchor.weekday() - 4) % 7 or 7))
        for name, project in self.projects.items():
            if project.status not in ("active", "on-hold") or project.status_reports.exists():
                continue
            health = self.project_specs[name][6]
            colour, _, cause = health.partition("-")
            rng = self.rng("status", name)
            rows = []
            for weeks_back in (2, 1, 0):
                period_end = last_friday - datetime.timedelta(weeks=weeks_back)
                overall = colour if weeks_back == 0 else ("amber" if colour == "red" and weeks_back == 1 else "green")
                if colour == "amber" and weeks_back == 1:
                    overall = rng.choice(["green", "amber"])
                rows.append(
                    StatusReport(
                        project=project,
                        period_end=period_end,
                        overall=overall,
                        schedule=overall if cause in ("milestone", "risk") else "green",
                        budget=overall if cause == "budget" else "green",
                        scope=rng.choice(["green", "green", "amber"]) if overall != "green" else "green",
                        summary=rng.choice(STATUS_SUMMARIES[overall]),
                        accomplishments=rng.choice(ACCOMPLISHMENTS),
                        next_steps=rng.choice(NEXT_STEPS),
                        blockers="" if overall == "green" else rng.choice(BLOCKERS),
                        author=project.manager,
                        status="published",
                        published_at=self.moment(period_end, 16, rng.choice([0, 15, 30, 45])),
                    )
                )
            bulk_create_with_history(rows, StatusReport)

    def build_subscriptions(self) -> None:
        core, growth = self.portfolios["Core Platform"], self.portfolios["Growth & New Markets"]
        plans = {
            "leader": [
                {"frequency": "weekly", "weekday": 0, "hour": 8},
                {"frequency": "weekly", "weekday": 0, "hour": 8, "portfolio": core},
                {"frequency": "monthly", "day_of_month": 1, "hour": 8, "portfolio": core},
                {"frequency": "monthly", "day_of_month": 1, "hour": 8, "portfolio": growth},
            ],
            "tomasz.nowak": [
                {"frequency": "weekly", "weekday": 0, "hour": 7, "portfolio": core},
                {"frequency": "monthly", "day_of_month": 2, "hour": 9},
            ],
            "helen.achebe": [
                {"frequency": "weekly", "weekday": 4, "hour": 16, "portfolio": growth},
                {"frequency": "monthly", "day_of_month": 1, "hour": 9},
            ],
        }
        for username, rows in plans.items():
            user = self.users[username]
            if user.report_subscriptions.exists():
                continue
            for row in rows:
                report_services.subscription_create(user=user, data=row)
        self.build_steering_committee(core)

    def build_steering_committee(self, core) -> None:
        """The Core Platform's owner subscribes its steering committee (the program managers) to its weekly report."""
        owner = core.owner
        for program in core.programs.select_related("manager").order_by("name"):
            member = program.manager
            if member == owner or ReportSubscription.objects.filter(recipient=member, portfolio=core).exists():
                continue
            report_services.subscription_create(
                user=owner,
                data={"recipient": member, "portfolio": core, "frequency": "weekly", "weekday": 0, "hour": 8},
            )

    def build_sent_reports(self) -> None:
        """Two weekly Core Platform reports in the archive: last week's, then this week's after a milestone was
        hit and a risk closed, so the second shows what changed since the first."""
        if StakeholderReport.objects.exists():
            return
        core = self.portfolios["Core Platform"]
        subscription = ReportSubscription.objects.get(recipient=self.users["leader"], portfolio=core, frequency=WEEKLY)
        now = timezone.now()
        last_week = period_of(frequency=WEEKLY, day=local_date(now) - datetime.timedelta(days=7))
        first, _ = report_services.subscription_send_now(
            subscription=subscription, now=now, period=last_week, queue=False
        )
        report_services.delivery_send(delivery_id=first.pk, now=now)
        milestone = (
            # One not yet due, hit early: the demo's late milestones stay late.
            Milestone.objects.filter(project__program__portfolio=core, completed_on__isnull=True, is_key=True)
            .filter(due_date__gte=local_date(now))
            .select_related("project__program")
            .order_by("due_date", "id")
            .first()
        )
        if milestone is not None:
            program_services.milestone_complete(
                user=milestone.project.program.manager, milestone=milestone, version=milestone.version
            )
        risk = (
            # A medium one: the demo's critical and high risks stay as the health of their projects shows them.
            Risk.objects.filter(project__program__portfolio=core, status__in=("open", "mitigating"), score__lte=9)
            .select_related("project__program")
            .order_by("-score", "id")
            .first()
        )
        if risk is not None:
            risk_services.risk_close(
                user=risk.project.program.manager,
                risk=risk,
                version=risk.version,
                closing_note="Mitigation done: the fallback supplier is signed.",
            )
        second, _ = report_services.subscription_send_now(subscription=subscription, queue=False)
        report_services.delivery_send(delivery_id=second.pk)
