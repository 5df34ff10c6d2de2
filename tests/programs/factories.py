import datetime
from decimal import Decimal

import factory
from django.utils import timezone

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
from tests.core.factories import ObjectiveFactory, UserFactory
from tests.products.factories import ProductFactory


class PortfolioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portfolio

    name = factory.Sequence(lambda n: f"Portfolio {n}")
    owner = factory.SubFactory(UserFactory)
    fiscal_year = 2026
    budget = Decimal("1000000")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    portfolio = factory.SubFactory(PortfolioFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    manager = factory.SubFactory(UserFactory)
    budget = Decimal("250000")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Project {n}")
    manager = factory.SubFactory(UserFactory)
    status = Project.Status.ACTIVE
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2026, 12, 31)
    budget = Decimal("100000")


class ProjectObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectObjective

    project = factory.SubFactory(ProjectFactory)
    objective = factory.SubFactory(ObjectiveFactory)
    contribution = 2


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = datetime.date(2026, 6, 30)


class DependencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dependency

    from_project = factory.SubFactory(ProjectFactory)
    to_project = factory.SubFactory(ProjectFactory)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    name = factory.Faker("name")
    function = "engineering"
    capacity_hours = Decimal("40")
    cost_rate = Decimal("80")


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    resource = factory.SubFactory(ResourceFactory)
    project = factory.SubFactory(ProjectFactory)
    percent = 50
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2026, 6, 30)


class ResourceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceRequest

    product = factory.SubFactory(ProductFactory)
    project = factory.SubFactory(ProjectFactory)
    requested_by = factory.SubFactory(UserFactory)
    function = "engineering"
    percent = 50
    start_date = datetime.date(2026, 2, 1)
    end_date = datetime.date(2026, 4, 30)
    justification = "Needed for the onboarding revamp."

    class Params:
        # A decided request has who and when (and an approved one its allocation), as the database requires.
        approved = factory.Trait(
            status="approved",
            decided_by=factory.SubFactory(UserFactory),
            decided_at=factory.LazyFunction(timezone.now),
            allocation=factory.SubFactory(AllocationFactory, project=factory.SelfAttribute("..project")),
        )
        rejected = factory.Trait(
            status="rejected",
            decided_by=factory.SubFactory(UserFactory),
            decided_at=factory.LazyFunction(timezone.now),
            decision_note="Nobody is free.",
        )


class CostEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostEntry

    project = factory.SubFactory(ProjectFactory)
    date = datetime.date(2026, 3, 1)
    amount = Decimal("1000")
    category = CostEntry.Category.LABOUR


class StatusReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusReport

    project = factory.SubFactory(ProjectFactory)
    period_end = factory.Sequence(lambda n: datetime.date(2026, 1, 2) + datetime.timedelta(weeks=n))
    summary = "On track."
    author = factory.SubFactory(UserFactory)
    status = StatusReport.Status.DRAFT
    # A published report always has its publication time (a database constraint): the period's last afternoon.
    published_at = factory.LazyAttribute(
        lambda report: (
            datetime.datetime.combine(report.period_end, datetime.time(16), tzinfo=datetime.UTC)
            if report.status == StatusReport.Status.PUBLISHED
            else None
        )
    )
