"""The strategy pages: objectives with progress from key results and what serves them; objectives nothing serves."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.selectors import strategy_overview
from tests.core.factories import KeyResultFactory, ObjectiveFactory
from tests.products.factories import FeatureFactory, ProductFactory
from tests.programs.factories import ProjectFactory, ProjectObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy():
    """Retention (weight 5): key results at 25 % (0 → 100, now 25) and 60 % (10 → 0, now 4): progress 42 %
    (the mean 42.5, rounded down); served by the project Upsell and the product Atlas. Uptime (weight 4):
    served by a feature of Atlas only. Cost (weight 2): nothing serves it, no key results."""
    retention = ObjectiveFactory(title="Retention", weight=5)
    KeyResultFactory(objective=retention, start_value=0, target_value=100, current_value=25)
    KeyResultFactory(objective=retention, start_value=10, target_value=0, current_value=4)
    uptime = ObjectiveFactory(title="Uptime", weight=4)
    cost = ObjectiveFactory(title="Cost", weight=2)
    ProjectObjectiveFactory(project=ProjectFactory(name="Upsell"), objective=retention, contribution=3)
    atlas = ProductFactory(name="Atlas")
    atlas.objectives.add(retention)
    FeatureFactory(product=atlas, title="Status page").objectives.add(uptime)
    return {"retention": retention, "uptime": uptime, "cost": cost}


def test_the_overview_computes_progress_as_the_mean_of_key_results(strategy):
    overview = strategy_overview()

    assert [(o.title, o.progress) for o in overview["objectives"]] == [
        ("Retention", 42),
        ("Uptime", None),
        ("Cost", None),
    ]


def test_objectives_nothing_serves_are_listed_apart(strategy):
    assert [o.title for o in strategy_overview()["unserved"]] == ["Cost"]


def test_the_strategy_page_shows_each_objective_with_what_serves_it(strategy, client, member):
    client.force_login(member)

    response = client.get("/strategy/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Objectives nothing serves" in html
    assert "Upsell" in html and "Atlas" in html and "Status page" in html
    assert "42 %" in html
    unserved = html[html.index("Objectives nothing serves") : html.index('class="card objective"')]
    assert "Cost" in unserved and "Retention" not in unserved


def test_the_objective_page_shows_its_key_results_with_progress(strategy, client, member):
    client.force_login(member)

    html = client.get(f"/strategy/objectives/{strategy['retention'].pk}/").content.decode()

    assert "25 %" in html and "60 %" in html and "Upsell" in html


def test_an_objective_page_of_no_such_objective_is_a_404(client, member):
    client.force_login(member)

    assert client.get("/strategy/objectives/999999/").status_code == 404


def test_the_strategy_page_takes_the_same_queries_for_5_and_50_objectives(client, member):
    client.force_login(member)

    def add(n):
        for _ in range(n):
            objective = ObjectiveFactory()
            KeyResultFactory(objective=objective)
            ProjectObjectiveFactory(objective=objective)
            FeatureFactory().objectives.add(objective)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/strategy/").status_code == 200
        return len(context.captured_queries)

    add(5)
    few = count()
    add(45)
    assert count() == few


def test_the_edit_button_shows_only_to_the_owner(strategy, client, member):
    owner = strategy["retention"].owner
    url = f"/strategy/objectives/{strategy['retention'].pk}/"
    client.force_login(member)
    assert "/edit/" not in client.get(url).content.decode()
    client.force_login(owner)
    assert "/edit/" in client.get(url).content.decode()


def test_a_key_result_decimal_is_shown_without_trailing_zeros(client, member):
    objective = ObjectiveFactory()
    KeyResultFactory(objective=objective, start_value=Decimal("99.5"), target_value=Decimal("99.95"))
    client.force_login(member)

    assert "99.95" in client.get(f"/strategy/objectives/{objective.pk}/").content.decode()
