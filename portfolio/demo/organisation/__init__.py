"""Build the believable demo organisation (``manage.py seed_demo``).

Deterministic: every random choice comes from ``random.Random`` seeded with the seed and the name of what
is being built, so one part never shifts another. Idempotent: named things (people, objectives, products,
programs, projects, resources…) are found by their natural key before anything is created, and the rows
that belong to one of them (features of a product, milestones of a project, risks of a scope…) are
created only when it has none yet. A second run therefore adds nothing, on the same day or later.

Dates hang on an anchor (today by default): late milestones are due before it, status reports end on the
Fridays before it, the roadmap spans the quarter holding it and the three after.

One module per area builds its rows (``people``, ``products``, ``programs``, ``resources``, ``reports``,
``risks``) on the shared state in ``base``; the words come from ``portfolio.demo.content``.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone

from portfolio.core.models import KeyResult, StrategicObjective, User
from portfolio.demo.organisation.dashboards import DashboardsBuilder
from portfolio.demo.organisation.people import PeopleBuilder
from portfolio.demo.organisation.products import ProductsBuilder
from portfolio.demo.organisation.programs import ProgramsBuilder
from portfolio.demo.organisation.reports import ReportsBuilder
from portfolio.demo.organisation.resources import ResourcesBuilder
from portfolio.demo.organisation.risks import RisksBuilder
from portfolio.reports.models import ReportSubscription
from products.models import (
    Competitor,
    Feature,
    Feedback,
    MarketInsight,
    MetricReading,
    Product,
    ProductMember,
    ProductMetric,
    Release,
    Theme,
)
from programs.models import (
    Allocation,
    CostEntry,
    Dependency,
    Milestone,
    Portfolio,
    Program,
    Project,
    ProjectObjective,
    Resource,
    ResourceRequest,
    StatusReport,
)
from risks.models import MitigationAction, Risk

__all__ = ["SEEDED_MODELS", "SeedResult", "demo_data_exists", "model_counts", "seed_organisation"]

# Every model the demo fills, in the order the summary lists them.
SEEDED_MODELS: list[type[models.Model]] = [
    User,
    StrategicObjective,
    KeyResult,
    Portfolio,
    Program,
    Project,
    ProjectObjective,
    Milestone,
    Dependency,
    Product,
    ProductMember,
    Theme,
    Release,
    Feature,
    Feedback,
    Competitor,
    MarketInsight,
    ProductMetric,
    MetricReading,
    Resource,
    Allocation,
    ResourceRequest,
    CostEntry,
    StatusReport,
    Risk,
    MitigationAction,
    ReportSubscription,
]


@dataclass
class SeedResult:
    """What the seed did: row counts per model and the demo logins."""

    counts: dict[str, int]
    logins: list[tuple[str, str, str]]  # username, full name, role
    password: str
    created_users: list[str] = field(default_factory=list)


def seed_organisation(*, password: str, seed: int = 42, today: datetime.date | None = None) -> SeedResult:
    """Create whatever is missing of the demo organisation, in one transaction, and report the counts."""
    builder = _Builder(password=password, seed=seed, anchor=today or timezone.localdate())
    with transaction.atomic():
        builder.build()
    return SeedResult(
        counts=model_counts(),
        logins=builder.logins(),
        password=password,
        created_users=builder.created_users,
    )


def model_counts() -> dict[str, int]:
    """Return the number of rows of every model the demo fills, by verbose plural name."""
    return {str(model._meta.verbose_name_plural): model.objects.count() for model in SEEDED_MODELS}


def demo_data_exists() -> bool:
    """Whether the database already holds products (``seed_demo --if-empty`` then leaves it alone)."""
    return Product.objects.exists()


class _Builder(
    PeopleBuilder, ProductsBuilder, ProgramsBuilder, ResourcesBuilder, ReportsBuilder, RisksBuilder, DashboardsBuilder
):
    """All the areas together; ``build`` runs them in the order their rows depend on each other."""

    def build(self) -> None:
        self.build_people()
        self.build_objectives()
        self.build_products()
        self.build_portfolios()
        self.build_dependencies()
        self.build_resources()
        self.build_feature_delivery()
        self.build_resource_requests()
        self.build_status_reports()
        self.build_risks()
        self.build_subscriptions()
        self.build_sent_reports()
        self.build_recent_changes()
