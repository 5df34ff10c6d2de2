"""The ranking: strategic score and WSJF order, cumulative budget, the budget cut line, the API and its queries.

The figures are worked out by hand in ``world``'s docstring.
"""

from decimal import Decimal

import pytest

from programs.selectors import project_ranking
from tests.api import queries_for
from tests.core.factories import ObjectiveFactory
from tests.programs.factories import PortfolioFactory, ProgramFactory, ProjectFactory, ProjectObjectiveFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects/ranking/"


@pytest.fixture
def world():
    """A portfolio (line €250k) with programs North (line €150k) and South; objectives weighted 5 and 2.

    project  program  objectives (weight × contribution)  WSJF (bv + tc + rr) / size   budget
    Alpha    North    5 × 3 = 15                           (3 + 3 + 3) / 9 = 1.00       100k
    Bravo    North    5 × 1 + 2 × 3 = 11                   (8 + 5 + 3) / 2 = 8.00        80k
    Charlie  South    2 × 2 = 4                            (1 + 1 + 1) / 3 = 1.00        90k
    Delta    North    none = 0                             (5 + 5 + 5) / 5 = 3.00        50k
    Echo     North    completed: left out of the ranking                                 10k
    """
    portfolio = PortfolioFactory(budget=Decimal("250000"))
    north = ProgramFactory(portfolio=portfolio, name="North", budget=Decimal("150000"))
    south = ProgramFactory(portfolio=portfolio, name="South", budget=Decimal("500000"))
    big, small = ObjectiveFactory(weight=5), ObjectiveFactory(weight=2)

    def project(name, program, budget, wsjf, **extra):
        business_value, time_criticality, risk_reduction, job_size = wsjf
        return ProjectFactory(
            name=name,
            program=program,
            budget=Decimal(budget),
            business_value=business_value,
            time_criticality=time_criticality,
            risk_reduction=risk_reduction,
            job_size=job_size,
            **extra,
        )

    alpha = project("Alpha", north, "100000", (3, 3, 3, 9))
    bravo = project("Bravo", north, "80000", (8, 5, 3, 2))
    charlie = project("Charlie", south, "90000", (1, 1, 1, 3))
    project("Delta", north, "50000", (5, 5, 5, 5))
    echo = project("Echo", north, "10000", (9, 9, 9, 1), status="completed")
    ProjectObjectiveFactory(project=alpha, objective=big, contribution=3)
    ProjectObjectiveFactory(project=bravo, objective=big, contribution=1)
    ProjectObjectiveFactory(project=bravo, objective=small, contribution=3)
    ProjectObjectiveFactory(project=charlie, objective=small, contribution=2)
    ProjectObjectiveFactory(project=echo, objective=big, contribution=3)
    return {"portfolio": portfolio, "north": north, "south": south}


def rows(ranking):
    return [(p.name, p.strategic_score, float(p.wsjf), p.cumulative_budget, p.above_line) for p in ranking["projects"]]


def test_portfolio_ranking_by_strategic_score_puts_the_cut_line_where_the_budget_is_passed(world):
    ranking = project_ranking(portfolio=world["portfolio"], order="strategic")

    assert rows(ranking) == [
        ("Alpha", 15, 1.0, Decimal("100000"), True),
        ("Bravo", 11, 8.0, Decimal("180000"), True),
        ("Charlie", 4, 1.0, Decimal("270000"), False),
        ("Delta", 0, 3.0, Decimal("320000"), False),
    ]
    assert [p.rank for p in ranking["projects"]] == [1, 2, 3, 4]
    assert ranking["budget"] == Decimal("250000")
    assert (ranking["funded"], ranking["unfunded"]) == (Decimal("180000"), Decimal("140000"))


def test_portfolio_ranking_by_wsjf_breaks_a_tie_by_strategic_score(world):
    ranking = project_ranking(portfolio=world["portfolio"], order="wsjf")

    assert rows(ranking) == [
        ("Bravo", 11, 8.0, Decimal("80000"), True),
        ("Delta", 0, 3.0, Decimal("130000"), True),
        ("Alpha", 15, 1.0, Decimal("230000"), True),
        ("Charlie", 4, 1.0, Decimal("320000"), False),
    ]
    assert (ranking["funded"], ranking["unfunded"]) == (Decimal("230000"), Decimal("90000"))


def test_a_program_ranking_draws_the_line_at_the_program_budget(world):
    ranking = project_ranking(program=world["north"])

    assert rows(ranking) == [
        ("Alpha", 15, 1.0, Decimal("100000"), True),
        ("Bravo", 11, 8.0, Decimal("180000"), False),
        ("Delta", 0, 3.0, Decimal("230000"), False),
    ]
    assert ranking["budget"] == Decimal("150000")


def test_a_project_that_uses_the_budget_exactly_is_still_above_the_line(world):
    world["north"].budget = Decimal("180000")
    world["north"].save()

    ranking = project_ranking(program=world["north"])

    assert [p.above_line for p in ranking["projects"]] == [True, True, False]


def test_equal_scores_rank_by_name(world):
    program = ProgramFactory()
    for name in ("Zulu", "Mike", "Kilo"):
        ProjectFactory(name=name, program=program)

    assert [p.name for p in project_ranking(program=program)["projects"]] == ["Kilo", "Mike", "Zulu"]


def test_the_organisation_wide_ranking_has_no_line(world):
    ranking = project_ranking()

    assert ranking["budget"] is None
    assert {p.above_line for p in ranking["projects"]} == {None}
    assert "Echo" not in [p.name for p in ranking["projects"]]


def test_an_unknown_order_is_refused():
    with pytest.raises(ValueError):
        project_ranking(order="rice")


# --- API ---------------------------------------------------------------------------------------------


def test_the_api_returns_the_ranking_with_its_line(world, api_as, member):
    response = api_as(member).get(URL, {"portfolio": world["portfolio"].pk, "order": "wsjf"})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["budget"] == "250000.00"
    assert (body["funded"], body["unfunded"]) == ("230000.00", "90000.00")
    assert [(p["rank"], p["name"], p["wsjf"], p["cumulative_budget"], p["above_line"]) for p in body["projects"]] == [
        (1, "Bravo", "8.00", "80000.00", True),
        (2, "Delta", "3.00", "130000.00", True),
        (3, "Alpha", "1.00", "230000.00", True),
        (4, "Charlie", "1.00", "320000.00", False),
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"order": "rice"}, "order"),
        ({"order": ""}, "order"),
        ({"portfolio": ""}, "portfolio"),
        ({"portfolio": "abc"}, "portfolio"),
        ({"portfolio": "99999999"}, "portfolio"),
        ({"program": "0"}, "program"),
        ({"program": str(2**64)}, "program"),
    ],
)
def test_the_api_refuses_a_bad_order_or_id_with_the_field_named(world, api_as, member, query, field):
    response = api_as(member).get(URL, query)

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_the_api_refuses_a_program_outside_the_portfolio(world, api_as, member):
    other = PortfolioFactory()

    response = api_as(member).get(URL, {"portfolio": other.pk, "program": world["north"].pk})

    assert response.status_code == 400
    assert "program" in response.json()["errors"]


def test_the_api_ranking_takes_the_same_queries_for_5_and_50_projects(api_as, member):
    portfolio = PortfolioFactory()
    program = ProgramFactory(portfolio=portfolio)
    objective = ObjectiveFactory()
    client = api_as(member)

    def add(n):
        for _ in range(n):
            ProjectObjectiveFactory(project=ProjectFactory(program=program), objective=objective)

    add(5)
    few, body = queries_for(client, f"{URL}?portfolio={portfolio.pk}")
    assert len(body["projects"]) == 5
    add(45)
    many, body = queries_for(client, f"{URL}?portfolio={portfolio.pk}")
    assert len(body["projects"]) == 50
    assert few == many


# --- Pages -------------------------------------------------------------------------------------------


def test_the_portfolio_page_shows_the_cut_line_before_the_first_project_it_cannot_fund(world, client, member):
    client.force_login(member)

    response = client.get(f"/portfolios/{world['portfolio'].pk}/ranking/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Budget of €250,000 runs out here" in html
    assert html.index("Bravo") < html.index("runs out here") < html.index("Charlie")
    assert "€180,000" in html and "€140,000" in html  # funded and unfunded


def test_the_wsjf_switch_ranks_by_wsjf_and_moves_the_line(world, client, member):
    client.force_login(member)

    html = client.get(f"/portfolios/{world['portfolio'].pk}/ranking/", {"order": "wsjf"}).content.decode()

    assert html.index("Bravo") < html.index("Delta") < html.index("Alpha") < html.index("runs out here")
    assert html.index("runs out here") < html.index("Charlie")


def test_the_program_page_draws_the_line_at_the_program_budget(world, client, member):
    client.force_login(member)

    html = client.get(f"/programs/{world['north'].pk}/ranking/").content.decode()

    assert "Budget of €150,000 runs out here" in html
    assert html.index("Alpha") < html.index("runs out here") < html.index("Bravo")


def test_a_ranking_page_of_no_such_portfolio_is_a_404(client, member):
    client.force_login(member)

    assert client.get("/portfolios/999999/ranking/").status_code == 404


def test_the_ranking_page_takes_the_same_queries_for_5_and_50_projects(client, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    portfolio = PortfolioFactory()
    program = ProgramFactory(portfolio=portfolio)
    client.force_login(member)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(f"/portfolios/{portfolio.pk}/ranking/").status_code == 200
        return len(context.captured_queries)

    for _ in range(5):
        ProjectFactory(program=program)
    few = count()
    for _ in range(45):
        ProjectFactory(program=program)
    assert count() == few
