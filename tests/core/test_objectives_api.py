import datetime

import pytest

from portfolio.core.models import StrategicObjective
from tests.api import queries_for, result_ids
from tests.core.factories import KeyResultFactory, ObjectiveFactory, UserFactory

pytestmark = pytest.mark.django_db

OBJECTIVES = "/api/v1/objectives/"
KEY_RESULTS = "/api/v1/key-results/"


def test_anonymous_users_cannot_read_objectives_or_key_results(api_client):
    objective = ObjectiveFactory()
    for url in (OBJECTIVES, f"{OBJECTIVES}{objective.pk}/", KEY_RESULTS):
        response = api_client.get(url)
        assert response.status_code == 401
        assert response.json()["errors"] == {}


def test_any_signed_in_user_lists_objectives_with_key_results_and_progress(api_as, outsider):
    objective = ObjectiveFactory(title="Grow revenue", weight=5)
    KeyResultFactory(objective=objective, current_value=20)
    KeyResultFactory(objective=objective, current_value=50)

    body = api_as(outsider).get(OBJECTIVES).json()

    assert body["count"] == 1
    row = body["results"][0]
    assert row["title"] == "Grow revenue"
    assert row["progress"] == 35
    assert row["version"] == 1
    assert [key_result["progress"] for key_result in row["key_results"]] == [20, 50]
    assert set(row) >= {"owner", "parent", "start_date", "end_date", "weight", "status"}


def test_objective_detail_shows_its_key_results(api_as, member):
    objective = ObjectiveFactory()
    key_result = KeyResultFactory(objective=objective, start_value=100, target_value=0, current_value=75)

    body = api_as(member).get(f"{OBJECTIVES}{objective.pk}/").json()

    assert body["id"] == objective.pk
    assert body["progress"] == 25
    assert body["key_results"][0]["id"] == key_result.pk


def test_objective_without_key_results_has_null_progress(api_as, member):
    objective = ObjectiveFactory()

    assert api_as(member).get(f"{OBJECTIVES}{objective.pk}/").json()["progress"] is None


def test_objectives_are_not_deleted_and_a_stale_edit_changes_nothing(api_as, superuser):
    objective = ObjectiveFactory(title="Before")
    client = api_as(superuser)

    assert client.delete(f"{OBJECTIVES}{objective.pk}/").status_code == 405
    stale = client.patch(f"{OBJECTIVES}{objective.pk}/", {"title": "After", "version": 5}, format="json")
    assert stale.status_code == 409
    objective.refresh_from_db()
    assert (objective.title, objective.version) == ("Before", 1)


def test_objectives_filter_by_owner_status_parent_and_top_level(api_as, member):
    owner = UserFactory()
    parent = ObjectiveFactory(owner=owner)
    child = ObjectiveFactory(parent=parent, status=StrategicObjective.Status.AT_RISK)
    other = ObjectiveFactory()
    client = api_as(member)

    assert result_ids(client.get(OBJECTIVES, {"owner": owner.pk})) == [parent.pk]
    assert result_ids(client.get(OBJECTIVES, {"status": "at-risk"})) == [child.pk]
    assert result_ids(client.get(OBJECTIVES, {"parent": parent.pk})) == [child.pk]
    assert sorted(result_ids(client.get(OBJECTIVES, {"top_level": "true"}))) == sorted([parent.pk, other.pk])


def test_objectives_filter_by_overlap_with_a_period(api_as, member):
    first_half = ObjectiveFactory(start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 6, 30))
    second_half = ObjectiveFactory(start_date=datetime.date(2026, 7, 1), end_date=datetime.date(2026, 12, 31))
    client = api_as(member)

    assert result_ids(client.get(OBJECTIVES, {"period_from": "2026-06-01", "period_to": "2026-06-30"})) == [
        first_half.pk
    ]
    assert result_ids(client.get(OBJECTIVES, {"period_from": "2026-12-31"})) == [second_half.pk]
    assert sorted(
        result_ids(client.get(OBJECTIVES, {"period_from": "2026-06-30", "period_to": "2026-07-01"}))
    ) == sorted([first_half.pk, second_half.pk])


def test_bad_filter_values_are_a_400_with_field_errors(api_as, member):
    response = api_as(member).get(OBJECTIVES, {"status": "sideways", "period_from": "not-a-date"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "period_from"}


def test_objectives_are_ordered_by_weight_by_default_and_on_request_by_progress(api_as, member):
    low = ObjectiveFactory(weight=1)
    high = ObjectiveFactory(weight=5)
    KeyResultFactory(objective=low, current_value=90)
    KeyResultFactory(objective=high, current_value=10)
    client = api_as(member)

    assert result_ids(client.get(OBJECTIVES)) == [high.pk, low.pk]
    assert result_ids(client.get(OBJECTIVES, {"ordering": "-progress"})) == [low.pk, high.pk]
    assert result_ids(client.get(OBJECTIVES, {"ordering": "weight"})) == [low.pk, high.pk]
    # An unknown field is refused, not silently replaced by the default order (nor a way to sort by a secret).
    refused = client.get(OBJECTIVES, {"ordering": "owner__password"})
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["ordering"]


def test_objectives_are_paginated(api_as, member):
    ObjectiveFactory.create_batch(5)

    body = api_as(member).get(OBJECTIVES, {"page_size": 2, "page": 2}).json()

    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["next"] and body["previous"]


def test_objective_list_query_count_does_not_grow_with_rows(api_as, member, django_assert_num_queries):
    client = api_as(member)

    def add(count):
        for _ in range(count):
            KeyResultFactory.create_batch(2, objective=ObjectiveFactory(parent=ObjectiveFactory()))

    add(5)
    few, body = queries_for(client, OBJECTIVES)
    assert body["count"] == 10
    add(20)
    with django_assert_num_queries(few):
        body = client.get(OBJECTIVES).json()
    assert len(body["results"]) == 50


def test_key_results_list_detail_and_filter_by_objective(api_as, member):
    objective = ObjectiveFactory()
    mine = KeyResultFactory(objective=objective, current_value=40)
    other = KeyResultFactory()
    client = api_as(member)

    assert sorted(result_ids(client.get(KEY_RESULTS))) == sorted([mine.pk, other.pk])
    assert result_ids(client.get(KEY_RESULTS, {"objective": objective.pk})) == [mine.pk]
    detail = client.get(f"{KEY_RESULTS}{mine.pk}/").json()
    assert detail["objective"] == objective.pk
    assert detail["progress"] == 40


def test_key_results_are_ordered_and_paginated(api_as, member):
    objective = ObjectiveFactory()
    b = KeyResultFactory(objective=objective, title="B")
    a = KeyResultFactory(objective=objective, title="A")
    client = api_as(member)

    assert result_ids(client.get(KEY_RESULTS, {"ordering": "title"})) == [a.pk, b.pk]
    assert result_ids(client.get(KEY_RESULTS, {"ordering": "-title"})) == [b.pk, a.pk]
    assert client.get(KEY_RESULTS, {"page_size": 1}).json()["count"] == 2


def test_key_results_follow_the_objective_id_by_default_not_the_objectives_own_order(api_as, member):
    light = ObjectiveFactory(weight=1, title="B")
    heavy = ObjectiveFactory(weight=5, title="A")  # first in the objectives' own order (-weight, title)
    on_heavy = KeyResultFactory(objective=heavy)
    on_light = KeyResultFactory(objective=light)
    client = api_as(member)

    assert result_ids(client.get(KEY_RESULTS)) == [on_light.pk, on_heavy.pk]
    assert result_ids(client.get(KEY_RESULTS, {"ordering": "-objective"})) == [on_heavy.pk, on_light.pk]


def test_objectives_and_key_results_are_searched_with_q_over_title_and_description(api_as, member):
    revenue = ObjectiveFactory(title="Grow revenue", description="")
    churn = ObjectiveFactory(title="Keep customers", description="Cut churn in the enterprise segment")
    in_revenue = KeyResultFactory(objective=revenue, title="ARR above 10M")
    KeyResultFactory(objective=churn, title="Logo retention 95%")
    client = api_as(member)

    assert result_ids(client.get(OBJECTIVES, {"q": "revenue"})) == [revenue.pk]
    assert result_ids(client.get(OBJECTIVES, {"q": "ENTERPRISE churn"})) == [churn.pk]
    assert result_ids(client.get(OBJECTIVES, {"q": "revenue churn"})) == []
    assert result_ids(client.get(KEY_RESULTS, {"q": "arr"})) == [in_revenue.pk]


def test_key_result_list_query_count_does_not_grow_with_rows(api_as, member, django_assert_num_queries):
    client = api_as(member)
    KeyResultFactory.create_batch(5)
    few, _ = queries_for(client, KEY_RESULTS)
    KeyResultFactory.create_batch(45)

    with django_assert_num_queries(few):
        body = client.get(KEY_RESULTS).json()
    assert len(body["results"]) == 50
