"""The reporting of the demo organisation: weekly project status reports and leadership's report subscriptions."""

import datetime

from simple_history.utils import bulk_create_with_history

from portfolio.demo.content.programs import STATUS_SUMMARIES
from portfolio.demo.organisation.base import BuilderBase
from portfolio.reports.models import ReportSubscription
from programs.models import StatusReport

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
            ReportSubscription.objects.bulk_create(ReportSubscription(recipient=user, **row) for row in rows)
