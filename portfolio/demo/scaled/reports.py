"""The benchmark organisation's report subscriptions, weekly and monthly, on every kind of scope."""

from portfolio.demo.scaled.base import BuilderBase
from portfolio.reports.models import ReportSubscription


class ReportsBuilder(BuilderBase):
    def subscriptions(self) -> None:
        shape, rng = self.shape, self.rng("subscriptions")
        base = self.load.first_pk(ReportSubscription)
        recipients = self.lead_ids + self.pgm_ids + self.pm_ids + self.member_ids
        rows = []
        for i in range(shape.subscriptions):
            roll = rng.random()
            portfolio = rng.choice(self.portfolio_ids) if 0.1 <= roll < 0.4 else None
            program = rng.choice(self.program_ids) if 0.4 <= roll < 0.7 else None
            product = rng.choice(self.product_ids) if roll >= 0.7 else None
            weekly = rng.random() < 0.7
            rows.append(
                (
                    base + i,
                    recipients[i % len(recipients)],
                    portfolio,
                    program,
                    product,
                    "weekly" if weekly else "monthly",
                    rng.randrange(5) if weekly else None,
                    None if weekly else rng.randint(1, 28),
                    rng.randint(6, 10),
                    rng.random() < 0.95,
                )
            )
        columns = ("id", "recipient_id", "portfolio_id", "program_id", "product_id", "frequency", "weekday")
        self.load.write(ReportSubscription, columns + ("day_of_month", "hour", "active"), rows)
