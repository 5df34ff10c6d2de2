"""The dashboards: hand-computed figures, the same figures on the page and in the JSON, fixed query counts."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio.reports import dashboard
from products.models import Feature
from programs.models import Dependency
from tests.core.factories import KeyResultFactory, ObjectiveFactory
from tests.products.factories import FeatureFactory, ProductFactory
from tests.programs.factories import (
    AllocationFactory,
    CostEntryFactory,
    DependencyFactory,
    MilestoneFactory,
    PortfolioFactory,
    ProgramFactory,
    ProjectFactory,
    ProjectObjectiveFactory,
    ResourceFactory,
    ResourceRequestFactory,
)
from tests.risks.factories import RiskFactory

NOW = datetime.datetime(2026, 11, 16, 9, 0, tzinfo=datetime.UTC)  # a Monday
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def build_world() -> dict:
    """Two portfolios: Core in trouble (a red, an amber and two green projects), Growth on track."""
    core = PortfolioFactory(name="Core", budget=Decimal("1000000"))
    growth = PortfolioFactory(name="Growth", budget=Decimal("500000"))
    alpha = ProgramFactory(name="Alpha", portfolio=core)
    beta = ProgramFactory(name="Beta", portfolio=core)
    gamma = ProgramFactory(name="Gamma", portfolio=growth)
    served, unserved = ObjectiveFactory(title="Grow revenue", weight=5), ObjectiveFactory(title="Cut churn", weight=4)
    KeyResultFactory(objective=served, current_value=25)
    alpha.objectives.add(served, unserved)

    red = ProjectFactory(name="Red one", program=alpha)
    amber = ProjectFactory(name="Amber one", program=alpha)
    green = ProjectFactory(name="Green one", program=alpha)
    ProjectFactory(name="Done one", program=alpha, status="completed")
    spare = ProjectFactory(name="Spare", program=beta)
    far = ProjectFactory(name="Far one", program=gamma)
    ProjectObjectiveFactory(project=red, objective=served)

    # Red: a key milestone 46 days late and a critical (escalated) risk.
    MilestoneFactory(project=red, name="Launch", due_date=datetime.date(2026, 10, 1), is_key=True)
    RiskFactory(project=red, title="Vendor fails", probability=4, impact=5)
    # Amber: a milestone 6 days late, whose due date was moved later this week.
    moved = MilestoneFactory(project=amber, name="Beta release", due_date=datetime.date(2026, 11, 1))
    moved.due_date = datetime.date(2026, 11, 10)
    moved.save()
    # Green: a milestone due within 30 days, one done; its health override set this week.
    MilestoneFactory(project=green, name="Pilot", due_date=datetime.date(2026, 12, 1))
    MilestoneFactory(project=green, name="Kick-off", due_date=datetime.date(2026, 3, 1), completed_on=TODAY)
    green.health_override = "green"
    green.save()
    DependencyFactory(from_project=red, to_project=amber, kind=Dependency.Kind.BLOCKS)

    # One engineer at 100 % on Red and 60 % on Amber for two weeks: 160 %, over-allocated.
    engineer = ResourceFactory(
        name="Eve", function="engineering", capacity_hours=Decimal("40"), cost_rate=Decimal("80")
    )
    for project, percent in ((red, 100), (amber, 60)):
        AllocationFactory(
            resource=engineer,
            project=project,
            percent=percent,
            start_date=TODAY,
            end_date=TODAY + datetime.timedelta(days=13),
        )
    CostEntryFactory(project=red, amount=Decimal("1000"))

    product = ProductFactory(name="Atlas", slug="atlas")
    feature = FeatureFactory(product=product, title="Single sign-on", status=Feature.Status.SHIPPED)
    green.features.add(feature)
    ResourceRequestFactory(product=product, project=far)  # pending
    ResourceRequestFactory(product=product, project=spare, rejected=True)

    return {
        "core": core,
        "growth": growth,
        "alpha": alpha,
        "red": red,
        "amber": amber,
        "green": green,
        "spare": spare,
        "served": served,
        "unserved": unserved,
        "moved": moved,
    }


# --- Hand-computed figures --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_overview_shows_core_in_trouble_and_why_and_growth_on_track(frozen):
    world = build_world()

    data = dashboard.organisation_dashboard(today=TODAY)

    core, growth = data["portfolios"]
    assert (core["name"], core["state"], growth["name"], growth["state"]) == ("Core", "trouble", "Growth", "on-track")
    assert core["reasons"] == ["1 red project", "1 escalated risk", "2 late milestones", "1 amber project"]
    assert core["health"] == {"green": 2, "amber": 1, "red": 1}  # the completed project is not counted
    assert growth["health"] == {"green": 1, "amber": 0, "red": 0}
    assert core["milestones"] == {"due_soon": 1, "late": 2}
    assert (core["escalated_risks"], growth["escalated_risks"]) == (1, 0)
    assert (core["requests_waiting"], growth["requests_waiting"]) == (0, 1)
    assert (core["overallocated_people"], growth["overallocated_people"]) == (1, 0)
    # Five live projects of 100,000 each; 1,000 spent; labour still to come: 100 % and 60 % of 40 h × 80 for 14 days.
    assert core["budget"]["planned"] == Decimal("500000.00")
    assert core["budget"]["actual"] == Decimal("1000.00")
    assert core["budget"]["forecast"] == Decimal("1000") + Decimal("6400") + Decimal("3840")
    assert core["budget"]["over_budget"] is False
    assert data["totals"]["health"] == {"green": 3, "amber": 1, "red": 1}
    assert data["totals"]["escalated_risks"] == 1
    assert [p["name"] for p in data["red_projects"]] == ["Red one"]
    assert data["red_projects"][0]["why"] == "1 late milestone, a critical open risk"
    assert data["overallocated_functions"] == [{"function": "engineering", "label": "Engineering", "people": 1}]
    assert [m["name"] for m in data["milestones_late"]] == ["Launch", "Beta release"]
    assert data["milestones_late"][0]["days_late"] == 46
    assert [(o["title"], o["progress"]) for o in data["objectives"]] == [("Grow revenue", 25), ("Cut churn", None)]
    assert world["red"].pk == data["red_projects"][0]["id"]


@pytest.mark.django_db
def test_the_portfolio_dashboard_adds_timeline_alignment_utilisation_and_the_heat_map(frozen):
    world = build_world()

    data = dashboard.portfolio_dashboard(portfolio=world["core"], today=TODAY)

    assert [(row["name"], row["state"]) for row in data["programs"]] == [("Alpha", "trouble"), ("Beta", "on-track")]
    assert data["programs"][0]["budget"]["planned"] == Decimal("400000.00")  # four live projects, the completed too
    timeline = data["timeline"]
    assert [p["name"] for p in timeline["projects"]] == ["Amber one", "Green one", "Red one", "Spare"]
    assert timeline["blocks"] == [{"from": world["red"].pk, "to": world["amber"].pk}]
    red = next(p for p in timeline["projects"] if p["name"] == "Red one")
    assert [(m["name"], m["late"]) for m in red["milestones"]] == [("Launch", True)]
    assert data["alignment"]["objectives_unserved"] == [{"id": world["unserved"].pk, "title": "Cut churn", "weight": 4}]
    assert [p["name"] for p in data["alignment"]["projects_unaligned"]] == ["Amber one", "Green one", "Spare"]
    # Eve at 160 % in the weeks of 16 and 23 November, 0 in the other three weeks starting in November: 64 %.
    [engineering] = data["utilisation"]["rows"]
    assert engineering["people"] == 1
    assert engineering["months"][0] == {"month": datetime.date(2026, 11, 1), "percent": 64, "over_people": 1}
    assert engineering["months"][1]["percent"] == 0
    cell = next(c for c in data["risk_heatmap"] if (c["probability"], c["impact"]) == (4, 5))
    assert (cell["count"], cell["severity"]) == (1, "critical")
    assert sum(c["count"] for c in data["risk_heatmap"]) == 1


@pytest.mark.django_db
def test_changed_since_last_week_reads_the_change_history(frozen):
    world = build_world()

    changes = dashboard.portfolio_dashboard(portfolio=world["core"], today=TODAY)["changes"]

    assert changes["since"] == datetime.date(2026, 11, 9)
    assert [(h["project"]["name"], h["from"], h["to"]) for h in changes["health_changes"]] == [
        ("Green one", "derived", "green")
    ]
    [slipped] = changes["slipped_milestones"]
    assert (slipped["name"], slipped["was_due"], slipped["due_date"], slipped["why"]) == (
        "Beta release",
        datetime.date(2026, 11, 1),
        datetime.date(2026, 11, 10),
        "due date moved",
    )
    assert [r["title"] for r in changes["new_critical_risks"]] == ["Vendor fails"]
    assert [(r["status"], r["project"]["name"]) for r in changes["decided_requests"]] == [("rejected", "Spare")]
    assert [f["title"] for f in changes["features_shipped"]] == ["Single sign-on"]


@pytest.mark.django_db
def test_nothing_changed_a_fortnight_later():
    with time_machine.travel(NOW, tick=False):
        world = build_world()
    later = TODAY + datetime.timedelta(days=14)

    changes = dashboard.portfolio_dashboard(portfolio=world["core"], today=later)["changes"]

    assert changes["health_changes"] == changes["new_critical_risks"] == changes["features_shipped"] == []
    assert changes["decided_requests"] == []


@pytest.mark.django_db
def test_the_program_dashboard_covers_its_own_projects_only(frozen):
    world = build_world()

    data = dashboard.program_dashboard(program=world["alpha"], today=TODAY)

    assert data["scope"]["portfolio"]["name"] == "Core"
    assert [p["name"] for p in data["projects"]] == ["Red one", "Amber one", "Green one"]
    assert data["totals"]["health"] == {"green": 1, "amber": 1, "red": 1}
    assert data["totals"]["budget"]["planned"] == Decimal("400000.00")
    assert data["totals"]["requests_waiting"] == 0
    assert "programs" not in data


# --- Pages and JSON ---------------------------------------------------------------------------------------------

FIGURE = re.compile(r'data-figure="([a-z_.]+)">([^<]*)<')


def _page_figures(html: str) -> list[tuple[str, str]]:
    return [(name, value.replace(",", "")) for name, value in FIGURE.findall(html)]


def _json_value(data: dict, path: str) -> str:
    for name in path.split("."):
        data = data[name]
    return str(round(Decimal(data))) if isinstance(data, str) else str(data)


def _pages(world):
    return [
        (reverse("reports:organisation_dashboard"), reverse("organisation-dashboard"), "portfolios"),
        (
            reverse("reports:portfolio_dashboard", kwargs={"pk": world["core"].pk}),
            reverse("portfolio-dashboard", kwargs={"pk": world["core"].pk}),
            "programs",
        ),
        (
            reverse("reports:program_dashboard", kwargs={"pk": world["alpha"].pk}),
            reverse("program-dashboard", kwargs={"pk": world["alpha"].pk}),
            None,
        ),
    ]


@pytest.mark.django_db
def test_each_dashboard_page_shows_the_figures_its_json_gives(frozen, client, api_as, leader):
    world = build_world()
    client.force_login(leader)
    api = api_as(leader)

    for page_url, api_url, rows in _pages(world):
        html = client.get(page_url).content.decode()
        data = api.get(api_url).json()

        figures = _page_figures(html)
        totals = [(name, value) for name, value in figures if name.startswith("totals.")]
        assert len(totals) == 12
        for name, value in totals:
            assert value == _json_value(data, name), (page_url, name)
        if rows:
            row_figures = [(name, value) for name, value in figures if not name.startswith("totals.")]
            expected = [
                (name, _json_value(row, name))
                for row in data[rows]
                for name, _ in row_figures[: len(row_figures) // len(data[rows])]
            ]
            assert row_figures == expected, page_url
        for project in data["red_projects"]:
            assert f'data-red-project="{project["id"]}"' in html


@pytest.mark.django_db
def test_the_json_writes_amounts_as_strings_and_dates_in_iso(frozen, api_as, leader):
    world = build_world()

    data = api_as(leader).get(reverse("portfolio-dashboard", kwargs={"pk": world["core"].pk})).json()

    assert data["totals"]["budget"]["planned"] == "500000.00"
    assert data["today"] == "2026-11-16"
    assert data["timeline"]["today"] == "2026-11-16"


@pytest.mark.django_db
def test_every_chart_has_a_title_a_description_and_a_text_alternative(frozen, client, leader):
    world = build_world()
    client.force_login(leader)

    for page_url, _api, _rows in _pages(world):
        html = client.get(page_url).content.decode()
        svgs = re.findall(r'<svg class="chart[^"]*"[^>]*>(.*?)</svg>', html, re.S)
        assert svgs, page_url
        for svg in svgs:
            assert re.search(r"<title id=\"[a-z-]+-title\">[^<]+</title>", svg)
            assert re.search(r"<desc id=\"[a-z-]+-desc\">[^<]+</desc>", svg)
        assert html.count("<table") >= 1 + (2 if "program" in page_url or "portfolio" in page_url else 0)


@pytest.mark.django_db
def test_a_missing_portfolio_or_program_is_a_404_on_the_page_and_in_the_api(client, api_as, leader):
    client.force_login(leader)

    assert client.get("/portfolios/999999/dashboard/").status_code == 404
    assert client.get("/programs/999999/dashboard/").status_code == 404
    assert api_as(leader).get("/api/v1/portfolios/999999/dashboard/").status_code == 404
    assert api_as(leader).get("/api/v1/programs/abc/dashboard/").status_code == 404


@pytest.mark.django_db
def test_anonymous_users_get_nothing(client, api_client):
    assert client.get("/dashboard/").status_code == 302
    assert api_client.get("/api/v1/dashboard/").status_code == 401


@pytest.mark.django_db
def test_leadership_lands_on_the_overview_from_home_and_the_navigation(client, leader):
    client.force_login(leader)

    html = client.get("/").content.decode()

    assert 'href="/dashboard/"' in html
    assert "Organisation overview" in html


# --- Query counts ---------------------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


def _grow(world: dict, size: int) -> None:
    """Add ``size`` more of everything to the world, in the portfolio and program the dashboards show."""
    product = ProductFactory()
    for n in range(size):
        for program in (ProgramFactory(name=f"Grown {n}", portfolio=world["core"]), world["alpha"]):
            project = ProjectFactory(name=f"Grown {program.pk} {n}", program=program)
            MilestoneFactory(project=project, due_date=datetime.date(2026, 11, 2))
            MilestoneFactory(project=project, due_date=datetime.date(2026, 11, 20))
            RiskFactory(project=project, probability=5, impact=5)
            person = ResourceFactory(function="design")
            AllocationFactory(resource=person, project=project, percent=80, start_date=TODAY, end_date=TODAY)
            AllocationFactory(resource=person, project=world["red"], percent=80, start_date=TODAY, end_date=TODAY)
            ResourceRequestFactory(product=product, project=project)
            ResourceRequestFactory(product=product, project=project, rejected=True)
            DependencyFactory(from_project=project, to_project=world["red"])
            ProjectObjectiveFactory(project=project)
            project.features.add(FeatureFactory(product=product, status=Feature.Status.SHIPPED))
            moved = MilestoneFactory(project=project, due_date=datetime.date(2026, 11, 1))
            moved.due_date = datetime.date(2026, 11, 12)
            moved.save()
            project.health_override = "amber"
            project.save()
        PortfolioFactory(name=f"Extra {n}")


@pytest.mark.django_db
@pytest.mark.parametrize("which", [0, 1, 2], ids=["organisation", "portfolio", "program"])
def test_each_dashboard_runs_the_same_queries_at_two_sizes(
    frozen, client, api_as, leader, which, django_assert_max_num_queries
):
    world = build_world()
    client.force_login(leader)
    api = api_as(leader)
    page_url, api_url, _rows = _pages(world)[which]
    small = (_count(client, page_url), _count(api, api_url))

    _grow(world, 10)
    large = (_count(client, page_url), _count(api, api_url))

    assert small == large
    with django_assert_max_num_queries(PAGE_QUERIES[which]):
        client.get(page_url)


# The session, the user, the navigation and the dashboard's figures (see ``portfolio.reports.dashboard``).
PAGE_QUERIES = {0: 20, 1: 34, 2: 32}
