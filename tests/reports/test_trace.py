"""A feature's trace: who asked for it, who builds it, what it costs, what threatens it, which objectives it serves.

The figures are computed by hand; the feature page's panel and ``GET features/{id}/trace/`` give the same ones;
both run a fixed number of queries at two data sizes; the panel's names link to their pages.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from portfolio.reports.trace import feature_trace
from risks.models import Risk
from tests.core.factories import ObjectiveFactory
from tests.products.factories import FeatureFactory, FeedbackFactory, ProductFactory, link_feedback
from tests.programs.factories import AllocationFactory, ProjectFactory, ProjectObjectiveFactory, ResourceFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def page_url(feature) -> str:
    return reverse("products:feature_detail", kwargs={"slug": feature.product.slug, "pk": feature.pk})


def api_url(feature) -> str:
    return reverse("feature-trace", kwargs={"pk": feature.pk})


@pytest.fixture
def world(product_manager):
    """A feature asked for by two companies, delivered by two projects with three allocations, with risks."""
    product = ProductFactory(name="Atlas", slug="atlas", owner=product_manager)
    feature = FeatureFactory(product=product, title="Offline maps")
    other = FeatureFactory(product=product, title="Dark mode")
    for company, segment, importance in [
        ("Northwind", "Enterprise", "critical"),
        ("Northwind", "Enterprise", "important"),
        ("Contoso", "SMB", "nice-to-have"),
        ("Contoso", "Enterprise", "critical"),
    ]:
        link_feedback(
            FeedbackFactory(product=product, company=company, segment=segment, importance=importance), feature
        )
    archived = FeedbackFactory(product=product, company="Gone Ltd", importance="critical", status="archived")
    link_feedback(archived, feature)
    link_feedback(FeedbackFactory(product=product, company="Elsewhere", importance="critical"), other)

    delivery = ProjectFactory(name="Maps offline", product=product)
    support = ProjectFactory(name="Sync engine")
    ProjectFactory(name="Unrelated").features.add(other)
    delivery.features.add(feature)
    support.features.add(feature)
    ada = ResourceFactory(name="Ada", capacity_hours=Decimal("40"), cost_rate=Decimal("80"))
    bo = ResourceFactory(name="Bo", capacity_hours=Decimal("40"), cost_rate=Decimal("50"))
    # 50 % of 40 h at 80 for 4 weeks: 6,400; 100 % of 40 h at 50 for a week: 2,000; 25 % at 80 for 2 weeks: 1,600.
    AllocationFactory(
        resource=ada, project=delivery, percent=50, start_date=TODAY, end_date=TODAY + datetime.timedelta(27)
    )
    AllocationFactory(
        resource=bo, project=support, percent=100, start_date=TODAY, end_date=TODAY + datetime.timedelta(6)
    )
    AllocationFactory(
        resource=ada, project=support, percent=25, start_date=TODAY, end_date=TODAY + datetime.timedelta(13)
    )

    RiskFactory(project=delivery, title="Map vendor licence", probability=5, impact=4)  # 20: escalated
    RiskFactory(project=None, product=product, title="Store review", probability=2, impact=3)  # 6
    RiskFactory(project=support, title="Old risk", status=Risk.Status.CLOSED)
    RiskFactory(title="Someone else's")

    growth = ObjectiveFactory(title="Grow enterprise", weight=5)
    retention = ObjectiveFactory(title="Retention", weight=3)
    ObjectiveFactory(title="Not served")
    feature.objectives.add(growth)
    ProjectObjectiveFactory(project=delivery, objective=growth, contribution=3)
    ProjectObjectiveFactory(project=support, objective=retention, contribution=2)
    return {"feature": feature, "delivery": delivery, "support": support, "ada": ada, "bo": bo}


def test_the_trace_names_who_asked_with_their_items_by_importance_and_demand(world):
    trace = feature_trace(feature=world["feature"], today=TODAY)

    assert (trace["feedback_count"], trace["demand"]) == (4, 9)  # 3 + 2 + 1 + 3; the archived item left out
    assert [(c["name"], c["items"], c["critical"], c["demand"]) for c in trace["companies"]] == [
        ("Northwind", 2, 1, 5),
        ("Contoso", 2, 1, 4),
    ]
    assert [(s["name"], s["items"], s["demand"]) for s in trace["segments"]] == [("Enterprise", 3, 8), ("SMB", 1, 1)]
    assert [item.importance for item in trace["feedback"]][:2] == ["critical", "critical"]


def test_the_trace_gives_the_projects_people_and_their_planned_cost(world):
    trace = feature_trace(feature=world["feature"], today=TODAY)

    assert [project.name for project in trace["projects"]] == ["Maps offline", "Sync engine"]
    assert [(a.resource.name, a.project.name, a.planned_cost) for a in trace["allocations"]] == [
        ("Ada", "Maps offline", Decimal("6400.00")),
        ("Ada", "Sync engine", Decimal("1600.00")),
        ("Bo", "Sync engine", Decimal("2000.00")),
    ]
    assert trace["people_count"] == 2
    assert trace["planned_cost"] == Decimal("10000.00")


def test_the_trace_lists_the_open_risks_of_its_projects_and_product_and_the_objectives_it_serves(world):
    trace = feature_trace(feature=world["feature"], today=TODAY)

    assert [(risk.title, risk.score, risk.escalated) for risk in trace["risks"]] == [
        ("Map vendor licence", 20, True),
        ("Store review", 6, False),
    ]
    assert (trace["risk_count"], trace["escalated_risk_count"]) == (2, 1)
    assert [(o.title, o.by_feature, o.by_projects, o.project_contribution) for o in trace["objectives"]] == [
        ("Grow enterprise", True, True, 3),
        ("Retention", False, True, 2),
    ]
    assert trace["projects"][0].health == "red"  # its open risk scores 20


def test_a_feature_nobody_asked_for_or_builds_has_an_empty_trace(product_manager):
    feature = FeatureFactory()
    trace = feature_trace(feature=feature, today=TODAY)
    assert (trace["feedback_count"], trace["projects"], trace["allocations"], trace["risks"]) == (0, [], [], [])
    assert trace["planned_cost"] == Decimal("0.00")


def test_the_panel_names_and_links_the_customers_projects_people_risks_and_objectives(client, member, world):
    client.force_login(member)
    html = client.get(page_url(world["feature"])).content.decode()
    panel = html[html.index('id="trace"') :]

    for name in ("Northwind", "Contoso", "Enterprise", "Maps offline", "Ada", "Bo", "Map vendor licence"):
        assert name in panel
    assert reverse("programs:project_detail", args=[world["delivery"].pk]) in panel
    assert reverse("programs:resource_detail", args=[world["ada"].pk]) in panel
    assert "company=Northwind" in panel and "segment=Enterprise" in panel
    assert 'href="/risks/' in panel
    assert "Escalated" in panel
    assert "Not served" not in panel


def _panel_figures(html: str) -> dict[str, str]:
    panel = html[html.index('id="trace"') :]
    cells = re.findall(r'data-figure="([^"]+)"[^>]*>(?:<[^>]+>)*([^<]*)', panel)
    return {name: value.strip() for name, value in cells}


def test_the_panel_and_the_api_give_the_same_figures(client, api_as, member, world):
    client.force_login(member)
    page = _panel_figures(client.get(page_url(world["feature"])).content.decode())
    data = api_as(member).get(api_url(world["feature"])).json()

    def money(value: str) -> str:
        return f"{Decimal(value):,.2f}"

    expected = {
        "feedback_count": str(data["feedback_count"]),
        "project_count": str(len(data["projects"])),
        "people_count": str(data["people_count"]),
        "planned_cost": money(data["planned_cost"]),
        "risk_count": str(data["risk_count"]),
        "objective_count": str(len(data["objectives"])),
    }
    for group in ("company", "segment"):
        for row in data[f"{group}s" if group == "segment" else "companies"]:
            expected[f"{group} {row['name']} items"] = str(row["items"])
            expected[f"{group} {row['name']} demand"] = str(row["demand"])
    for project in data["projects"]:
        expected[f"project {project['id']} health"] = project["health"].capitalize()
    for allocation in data["allocations"]:
        expected[f"allocation {allocation['id']} planned_cost"] = money(allocation["planned_cost"])
    for risk in data["risks"]:
        expected[f"risk {risk['id']} score"] = f"{risk['score']} · {risk['severity'].capitalize()}"
    assert page == expected
    assert data["planned_cost"] == "10000.00"


def _grow(world, n: int) -> None:
    feature = world["feature"]
    for i in range(n):
        project = ProjectFactory(name=f"More {i}")
        project.features.add(feature)
        AllocationFactory(project=project, start_date=TODAY, end_date=TODAY)
        RiskFactory(project=project)
        ProjectObjectiveFactory(project=project)
        link_feedback(FeedbackFactory(product=feature.product, company=f"Company {i}", segment=f"S{i}"), feature)


@pytest.mark.parametrize("size", [0, 12])
def test_the_panel_and_the_api_run_a_fixed_number_of_queries(
    client, api_as, member, world, size, django_assert_max_num_queries
):
    _grow(world, size)
    client.force_login(member)
    api = api_as(member)
    with django_assert_max_num_queries(21):
        assert client.get(page_url(world["feature"])).status_code == 200
    with django_assert_max_num_queries(8):
        assert api.get(api_url(world["feature"])).status_code == 200


def test_an_unknown_feature_is_a_404_and_an_anonymous_caller_a_401(api_client, api_as, member):
    feature = FeatureFactory()
    assert api_client.get(api_url(feature)).status_code == 401
    api = api_as(member)
    for malformed in ("999999", "abc", "1.5", "99999999999999999999"):
        response = api.get(f"/api/v1/features/{malformed}/trace/")
        assert response.status_code == 404 and response.json()["detail"], malformed
