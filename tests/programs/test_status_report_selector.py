"""The draft from live data: what changed since the previous report and the RAG proposed, checked by hand."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from products.models import Feature
from programs import selectors
from programs.models import StatusReport
from tests.products.factories import FeatureFactory
from tests.programs.factories import (
    AllocationFactory,
    CostEntryFactory,
    MilestoneFactory,
    ProjectFactory,
    StatusReportFactory,
)
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 17)  # the project runs 1 Jan – 31 Dec 2026: 167 of 364 days gone, 45.9 %
PREVIOUS = datetime.date(2026, 6, 5)  # the previous report's period end


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=datetime.UTC), tick=False)


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def project():
    with at(datetime.date(2026, 1, 1)):
        project = ProjectFactory(budget=Decimal("100000"))
        StatusReportFactory(
            project=project, period_end=PREVIOUS, status=StatusReport.Status.PUBLISHED, published_at="2026-06-05T16:00Z"
        )
    return project


def draft(project):
    with at(TODAY):
        return selectors.status_report_draft_data(project=project, today=TODAY)


# --- the period ----------------------------------------------------------------------------------


def test_the_draft_compares_with_the_previous_published_report(project):
    StatusReportFactory(project=project, period_end=days_ago(3))  # a draft is not a report yet

    data = draft(project)

    assert data["since"] == datetime.date(2026, 6, 6)
    assert data["previous_report"] == project.status_reports.get(period_end=PREVIOUS).pk


def test_without_a_previous_report_the_draft_starts_from_the_project_start():
    project = ProjectFactory()

    data = draft(project)

    assert data["since"] == datetime.date(2026, 1, 1)
    assert data["previous_report"] is None


# --- schedule ------------------------------------------------------------------------------------


def test_a_key_milestone_late_by_more_than_14_days_makes_schedule_red(project):
    MilestoneFactory(project=project, is_key=True, due_date=days_ago(15))

    data = draft(project)

    assert data["rag"]["schedule"] == "red"
    assert data["reasons"]["schedule"] == "A key milestone is 15 days late."


def test_a_key_milestone_late_by_14_days_makes_schedule_amber(project):
    MilestoneFactory(project=project, is_key=True, due_date=days_ago(14))

    assert draft(project)["rag"]["schedule"] == "amber"


def test_a_milestone_whose_due_date_passed_since_the_last_report_slipped_and_makes_schedule_amber(project):
    late = MilestoneFactory(project=project, due_date=days_ago(2))
    MilestoneFactory(project=project, due_date=days_ago(30))  # late already before the last report

    data = draft(project)

    assert [m["id"] for m in data["milestones_slipped"]] == [late.pk]
    assert data["milestones_slipped"][0]["why"] == "due date passed"
    assert data["rag"]["schedule"] == "amber"


def test_a_milestone_moved_later_since_the_last_report_slipped(project):
    with at(datetime.date(2026, 3, 1)):
        moved = MilestoneFactory(project=project, due_date=datetime.date(2026, 7, 1))
    with at(days_ago(3)):
        moved.due_date = datetime.date(2026, 8, 1)
        moved.save()

    (slipped,) = draft(project)["milestones_slipped"]

    assert slipped["why"] == "due date moved"
    assert slipped["was_due"] == datetime.date(2026, 7, 1)
    assert slipped["due_date"] == datetime.date(2026, 8, 1)


def test_on_time_milestones_keep_schedule_green_and_done_ones_are_listed(project):
    MilestoneFactory(project=project, due_date=days_ago(5), completed_on=days_ago(6), is_key=True)
    MilestoneFactory(project=project, due_date=days_ago(40), completed_on=days_ago(40))  # before the period
    MilestoneFactory(project=project, due_date=datetime.date(2026, 9, 1))

    data = draft(project)

    assert [m["completed_on"] for m in data["milestones_done"]] == [days_ago(6)]
    assert data["rag"]["schedule"] == "green"


# --- budget --------------------------------------------------------------------------------------


def test_elapsed_time_share_and_burn_are_computed_from_dates_and_cost_entries(project):
    CostEntryFactory(project=project, amount=Decimal("40000"))

    budget = draft(project)["budget"]

    assert budget["elapsed_percent"] == Decimal("45.9")  # 167 / 364
    assert budget["burn_percent"] == Decimal("40.0")
    assert budget["burn_ahead"] == Decimal("-5.9")


@pytest.mark.parametrize(
    ("actual", "colour"),
    [("66000", "red"), ("65000", "amber"), ("51000", "amber"), ("50000", "green")],  # 20.1, 19.1, 5.1, 4.1 ahead
)
def test_burn_ahead_of_time_elapsed_makes_budget_amber_beyond_5_points_and_red_beyond_20(project, actual, colour):
    CostEntryFactory(project=project, amount=Decimal(actual))

    assert draft(project)["rag"]["budget"] == colour


def test_the_budget_reason_says_how_far_burn_runs_ahead_or_behind(project):
    CostEntryFactory(project=project, amount=Decimal("40000"))

    assert draft(project)["reasons"]["budget"] == "Burn is 5.9 points behind time elapsed."


def test_a_project_without_a_budget_is_green_on_budget():
    project = ProjectFactory(budget=0)
    CostEntryFactory(project=project, amount=Decimal("10"))

    assert draft(project)["rag"]["budget"] == "green"


# --- scope and features --------------------------------------------------------------------------


def test_a_feature_parked_since_the_last_report_makes_scope_amber(project):
    with at(datetime.date(2026, 2, 1)):
        features = FeatureFactory.create_batch(3, status=Feature.Status.PLANNED)
        project.features.set(features)
    with at(days_ago(2)):
        features[0].status = Feature.Status.PARKED
        features[0].save()

    data = draft(project)

    assert [f["id"] for f in data["features_parked"]] == [features[0].pk]
    assert data["rag"]["scope"] == "amber"


def test_half_of_the_features_parked_makes_scope_red(project):
    with at(datetime.date(2026, 2, 1)):
        parked = FeatureFactory(status=Feature.Status.PARKED)
        project.features.set([parked, FeatureFactory(status=Feature.Status.PLANNED)])

    data = draft(project)

    assert data["features_parked"] == []  # parked long before the last report
    assert data["rag"]["scope"] == "red"


def test_features_shipped_since_the_last_report_are_listed(project):
    with at(datetime.date(2026, 2, 1)):
        old = FeatureFactory(status=Feature.Status.SHIPPED)
        new = FeatureFactory(status=Feature.Status.IN_PROGRESS)
        project.features.set([old, new])
    with at(days_ago(1)):
        new.status = Feature.Status.SHIPPED
        new.save()

    assert draft(project)["features_shipped"] == [{"id": new.pk, "title": new.title}]


# --- allocations and risks -----------------------------------------------------------------------


def test_allocation_changes_since_the_last_report_are_listed_but_one_added_and_removed_within_is_not(project):
    with at(datetime.date(2026, 2, 1)):
        kept = AllocationFactory(project=project, percent=50)
    with at(days_ago(4)):
        kept.percent = 80
        kept.save()
        added = AllocationFactory(project=project, percent=20)
        fleeting = AllocationFactory(project=project, percent=10)
    with at(days_ago(3)):
        fleeting.delete()

    changes = draft(project)["allocation_changes"]

    assert [(c["id"], c["change"], c["percent"]) for c in changes] == [
        (kept.pk, "changed", 80),
        (added.pk, "added", 20),
    ]


def test_an_open_critical_risk_makes_the_risk_colour_and_overall_red(project):
    with at(days_ago(1)):
        risk = RiskFactory(project=project, probability=5, impact=3)  # 15: critical
    with at(datetime.date(2026, 2, 1)):
        RiskFactory(project=project, probability=5, impact=5, status="closed")

    data = draft(project)

    assert data["risks"]["open_critical"] == 1
    assert [r["id"] for r in data["risks"]["new"]] == [risk.pk]
    assert data["rag"]["risks"] == "red"
    assert data["rag"]["overall"] == "red"


def test_overall_is_the_worst_colour(project):
    MilestoneFactory(project=project, due_date=days_ago(2))  # schedule amber
    CostEntryFactory(project=project, amount=Decimal("40000"))  # budget green

    rag = draft(project)["rag"]

    assert (rag["schedule"], rag["budget"], rag["scope"], rag["risks"], rag["overall"]) == (
        "amber",
        "green",
        "green",
        "green",
        "amber",
    )


def test_the_draft_reads_a_fixed_number_of_queries(project, django_assert_max_num_queries):
    for n in range(5):
        MilestoneFactory(project=project, due_date=days_ago(n + 1))
        AllocationFactory(project=project)
    with django_assert_max_num_queries(20):
        draft(project)
