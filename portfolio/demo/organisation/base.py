"""What every part of the demo organisation builder shares: the anchor dates, the seeded generators, the rows so far."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from portfolio.core.models import StrategicObjective, User
from products.models import Feature, Product
from programs.models import Portfolio, Program, Project, Resource

CENT = Decimal("0.01")


def quarter_start(day: datetime.date, offset: int = 0) -> datetime.date:
    index = (day.month - 1) // 3 + offset
    return datetime.date(day.year + index // 4, index % 4 * 3 + 1, 1)


def month_start(day: datetime.date, offset: int = 0) -> datetime.date:
    index = day.month - 1 + offset
    return datetime.date(day.year + index // 12, index % 12 + 1, 1)


def round_to(value: Decimal, step: int) -> Decimal:
    return (Decimal(round(value / step)) * step).quantize(CENT)


def money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(CENT)


class BuilderBase:
    """The state the area builders share: each fills its part of the rows and reads the parts built before it."""

    def __init__(self, *, password: str, seed: int, anchor: datetime.date):
        self.password = password
        self.seed = seed
        self.anchor = anchor
        self.quarters = [
            (quarter_start(anchor, n), quarter_start(anchor, n + 1) - datetime.timedelta(days=1)) for n in range(4)
        ]
        self.users: dict[str, User] = {}
        self.objectives: list[StrategicObjective] = []
        self.products: dict[str, Product] = {}
        self.features: dict[str, dict[str, Feature]] = {}
        self.portfolios: dict[str, Portfolio] = {}
        self.programs: dict[str, Program] = {}
        self.projects: dict[str, Project] = {}
        self.project_specs: dict[str, tuple] = {}
        self.resources: dict[str, Resource] = {}
        self.created_users: list[str] = []

    def rng(self, *parts) -> random.Random:
        """A generator of its own for each part, so adding rows to one part never changes another."""
        return random.Random(":".join(str(part) for part in (self.seed, *parts)))

    def weeks(self, count: int) -> datetime.date:
        return self.anchor + datetime.timedelta(weeks=count)

    def days(self, count: int) -> datetime.date:
        return self.anchor + datetime.timedelta(days=count)

    def moment(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
