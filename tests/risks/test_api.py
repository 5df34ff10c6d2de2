import datetime

import pytest
from django.utils import timezone

from risks.models import Risk
from tests.api import queries_for, result_ids
from tests.core.factories import UserFactory
from tests.products.factories import ProductFactory
from tests.programs.factories import ProgramFactory
from tests.risks.factories import MitigationActionFactory, RiskFactory

pytestmark = pytest.mark.django_db

RISKS = "/api/v1/risks/"
ACTIONS = "/api/v1/mitigation-actions/"


def test_anonymous_users_cannot_read_the_risk_register(api_client):
    action = MitigationActionFactory()
    for url in (RISKS, f"{RISKS}{action.risk_id}/", ACTIONS, f"{ACTIONS}{action.pk}/"):
        assert api_client.get(url).status_code == 401


def test_risk_list_shows_score_severity_and_residual_figures(api_as, outsider):
    risk = RiskFactory(probability=4, impact=4, residual_probability=2, residual_impact=2)

    body = api_as(outsider).get(RISKS).json()

    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == risk.pk
    assert (row["probability"], row["impact"], row["score"], row["severity"]) == (4, 4, 16, "critical")
    assert (row["residual_score"], row["residual_severity"]) == (4, "low")
    assert row["project"] == risk.project_id
    assert row["program"] is None and row["product"] is None
    assert row["scope_name"] == risk.project.name
    assert row["version"] == 1


def test_risk_detail_has_null_residual_figures_until_both_values_are_set(api_as, member):
    risk = RiskFactory(probability=2, impact=3, residual_probability=1)

    body = api_as(member).get(f"{RISKS}{risk.pk}/").json()

    assert (body["score"], body["severity"]) == (6, "medium")
    assert body["residual_score"] is None
    assert body["residual_severity"] is None


def test_risks_filter_by_kind_status_category_and_response(api_as, member):
    issue = RiskFactory(kind=Risk.Kind.ISSUE, category=Risk.Category.BUDGET)
    closed = RiskFactory(status=Risk.Status.CLOSED, response=Risk.Response.ACCEPT)
    client = api_as(member)

    assert result_ids(client.get(RISKS, {"kind": "issue"})) == [issue.pk]
    assert result_ids(client.get(RISKS, {"category": "budget"})) == [issue.pk]
    assert result_ids(client.get(RISKS, {"status": "closed"})) == [closed.pk]
    assert result_ids(client.get(RISKS, {"response": "accept"})) == [closed.pk]


def test_risks_filter_by_the_object_they_hang_on_and_owner(api_as, member):
    on_project = RiskFactory()
    on_program = RiskFactory(project=None, program=ProgramFactory())
    on_product = RiskFactory(project=None, product=ProductFactory())
    owner = UserFactory()
    owned = RiskFactory(owner=owner)
    client = api_as(member)

    assert result_ids(client.get(RISKS, {"project": on_project.project_id})) == [on_project.pk]
    assert result_ids(client.get(RISKS, {"program": on_program.program_id})) == [on_program.pk]
    assert result_ids(client.get(RISKS, {"product": on_product.product_id})) == [on_product.pk]
    assert result_ids(client.get(RISKS, {"owner": owner.pk})) == [owned.pk]


def test_risks_filter_by_severity_score_range_and_review_date(api_as, member):
    low = RiskFactory(probability=1, impact=2, review_date=datetime.date(2026, 3, 1))
    medium = RiskFactory(probability=3, impact=3, review_date=datetime.date(2026, 5, 1))
    high = RiskFactory(probability=3, impact=4)
    critical = RiskFactory(probability=5, impact=4)
    client = api_as(member)

    assert result_ids(client.get(RISKS, {"severity": "high"})) == [high.pk]
    assert result_ids(client.get(RISKS, {"severity": ["high", "critical"]})) == [critical.pk, high.pk]
    assert result_ids(client.get(RISKS, {"score_min": 9, "score_max": 12})) == [high.pk, medium.pk]
    assert result_ids(client.get(RISKS, {"review_due_before": "2026-04-01"})) == [low.pk]


def test_bad_risk_filters_are_a_400_with_field_errors(api_as, member):
    response = api_as(member).get(RISKS, {"severity": "apocalyptic", "owner": "999999", "score_min": "x"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"severity", "owner", "score_min"}


def test_risks_are_ordered_by_score_by_default_and_by_severity_on_request(api_as, member):
    medium = RiskFactory(probability=3, impact=3, title="c")
    critical = RiskFactory(probability=5, impact=5, title="a")
    low = RiskFactory(probability=1, impact=1, title="b")
    client = api_as(member)

    assert result_ids(client.get(RISKS)) == [critical.pk, medium.pk, low.pk]
    # Bands sort by rank (low < medium < high < critical), not alphabetically.
    assert result_ids(client.get(RISKS, {"ordering": "severity"})) == [low.pk, medium.pk, critical.pk]
    assert result_ids(client.get(RISKS, {"ordering": "-severity"})) == [critical.pk, medium.pk, low.pk]
    assert result_ids(client.get(RISKS, {"ordering": "title"})) == [critical.pk, low.pk, medium.pk]
    assert client.get(RISKS, {"ordering": "description"}).status_code == 400  # not an ordering field


def test_risks_are_paginated(api_as, member):
    RiskFactory.create_batch(3)

    body = api_as(member).get(RISKS, {"page_size": 2}).json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


def test_risk_list_query_count_does_not_grow_with_rows(api_as, member, django_assert_num_queries):
    client = api_as(member)
    program, product = ProgramFactory(), ProductFactory()

    def add(count):
        for index in range(count):
            scope = [{}, {"project": None, "program": program}, {"project": None, "product": product}][index % 3]
            RiskFactory(residual_probability=1, residual_impact=2, **scope)

    add(5)
    few, _ = queries_for(client, RISKS)
    add(45)
    with django_assert_num_queries(few):
        body = client.get(RISKS).json()
    assert len(body["results"]) == 50


def test_mitigation_actions_list_detail_and_filters(api_as, member):
    risk = RiskFactory()
    owner = UserFactory()
    done = MitigationActionFactory(risk=risk, done_at=timezone.now(), due_date=datetime.date(2026, 2, 1))
    open_ = MitigationActionFactory(owner=owner, due_date=datetime.date(2026, 8, 1))
    client = api_as(member)

    assert sorted(result_ids(client.get(ACTIONS))) == sorted([done.pk, open_.pk])
    assert result_ids(client.get(ACTIONS, {"risk": risk.pk})) == [done.pk]
    assert result_ids(client.get(ACTIONS, {"owner": owner.pk})) == [open_.pk]
    assert result_ids(client.get(ACTIONS, {"done": "true"})) == [done.pk]
    assert result_ids(client.get(ACTIONS, {"done": "false"})) == [open_.pk]
    assert result_ids(client.get(ACTIONS, {"due_before": "2026-03-01"})) == [done.pk]
    detail = client.get(f"{ACTIONS}{open_.pk}/").json()
    assert (detail["risk"], detail["owner"], detail["due_date"]) == (open_.risk_id, owner.pk, "2026-08-01")


def test_mitigation_actions_are_ordered_and_paginated(api_as, member):
    risk = RiskFactory()
    later = MitigationActionFactory(risk=risk, due_date=datetime.date(2026, 9, 1))
    sooner = MitigationActionFactory(risk=risk, due_date=datetime.date(2026, 3, 1))
    client = api_as(member)

    assert result_ids(client.get(ACTIONS)) == [sooner.pk, later.pk]
    assert result_ids(client.get(ACTIONS, {"ordering": "-due_date"})) == [later.pk, sooner.pk]
    assert client.get(ACTIONS, {"page_size": 1}).json()["count"] == 2


def test_mitigation_actions_follow_the_risk_id_by_default_not_the_risks_own_order(api_as, member):
    mild = RiskFactory(probability=1, impact=1)
    severe = RiskFactory(probability=5, impact=5)  # first in the risks' own order (-score)
    on_severe = MitigationActionFactory(risk=severe)
    on_mild = MitigationActionFactory(risk=mild)
    client = api_as(member)

    assert result_ids(client.get(ACTIONS)) == [on_mild.pk, on_severe.pk]
    assert result_ids(client.get(ACTIONS, {"ordering": "-risk"})) == [on_severe.pk, on_mild.pk]


def test_risks_and_actions_are_searched_with_q(api_as, member):
    vendor = RiskFactory(title="Vendor lock-in", description="", trigger="")
    outage = RiskFactory(title="Outage", description="", trigger="Cloud region goes down")
    call = MitigationActionFactory(risk=vendor, description="Call the second supplier")
    MitigationActionFactory(risk=outage, description="Fail over drill")
    client = api_as(member)

    assert result_ids(client.get(RISKS, {"q": "vendor"})) == [vendor.pk]
    assert result_ids(client.get(RISKS, {"q": "region"})) == [outage.pk]
    assert result_ids(client.get(ACTIONS, {"q": "SUPPLIER"})) == [call.pk]


def test_mitigation_action_list_query_count_does_not_grow_with_rows(api_as, member, django_assert_num_queries):
    client = api_as(member)
    risk = RiskFactory()
    MitigationActionFactory.create_batch(5, risk=risk, owner=member)
    few, _ = queries_for(client, ACTIONS)
    MitigationActionFactory.create_batch(45, owner=UserFactory())

    with django_assert_num_queries(few):
        body = client.get(ACTIONS).json()
    assert len(body["results"]) == 50
