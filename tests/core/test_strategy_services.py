"""Objectives and key results set and edited through the services, the pages and the API, by the rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portfolio.core import services
from portfolio.core.exceptions import Conflict
from portfolio.core.models import KeyResult, StrategicObjective
from tests.core.factories import KeyResultFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

OBJECTIVE = {
    "title": "Cut cloud cost",
    "start_date": datetime.date(2026, 1, 1),
    "end_date": datetime.date(2026, 12, 31),
    "weight": 3,
}


def test_a_program_manager_sets_an_objective_they_own(program_manager):
    objective = services.objective_create(user=program_manager, data=OBJECTIVE)

    assert objective.owner == program_manager
    assert objective.version == 1


def test_leadership_may_not_set_an_objective(leader):
    with pytest.raises(PermissionDenied):
        services.objective_create(user=leader, data=OBJECTIVE)
    assert not StrategicObjective.objects.exists()


def test_an_objective_ending_before_it_starts_is_refused(program_manager):
    with pytest.raises(ValidationError) as error:
        services.objective_create(user=program_manager, data={**OBJECTIVE, "end_date": datetime.date(2025, 1, 1)})
    assert "end_date" in error.value.error_dict


def test_the_owner_edits_an_objective_and_a_stale_version_is_a_conflict(program_manager):
    objective = ObjectiveFactory(owner=program_manager)

    services.objective_update(user=program_manager, objective=objective, version=1, data={"weight": 5})
    with pytest.raises(Conflict):
        services.objective_update(user=program_manager, objective=objective, version=1, data={"weight": 1})

    objective.refresh_from_db()
    assert (objective.weight, objective.version) == (5, 2)


def test_someone_else_may_not_edit_an_objective(program_manager, member):
    objective = ObjectiveFactory(owner=program_manager)

    with pytest.raises(PermissionDenied):
        services.objective_update(user=member, objective=objective, version=1, data={"weight": 5})


def test_the_owner_adds_edits_and_removes_a_key_result(program_manager):
    objective = ObjectiveFactory(owner=program_manager)

    key_result = services.key_result_create(
        user=program_manager, objective=objective, data={"title": "Cost", "start_value": 41, "target_value": 33}
    )
    services.key_result_update(user=program_manager, key_result=key_result, data={"current_value": 37})
    assert KeyResult.objects.get().progress == 50
    services.key_result_delete(user=program_manager, key_result=key_result)
    assert not KeyResult.objects.exists()


def test_a_key_result_whose_target_is_its_start_is_refused(program_manager):
    objective = ObjectiveFactory(owner=program_manager)

    with pytest.raises(ValidationError) as error:
        services.key_result_create(
            user=program_manager, objective=objective, data={"title": "Flat", "start_value": 5, "target_value": 5}
        )
    assert "target_value" in error.value.error_dict


def test_leadership_may_not_change_a_key_result_even_of_its_own_objective(leader):
    key_result = KeyResultFactory(objective=ObjectiveFactory(owner=leader))

    with pytest.raises(PermissionDenied):
        services.key_result_update(user=leader, key_result=key_result, data={"current_value": 90})


# --- Pages -------------------------------------------------------------------------------------------


def test_the_objective_form_sets_an_objective(client, program_manager):
    client.force_login(program_manager)

    response = client.post(
        "/strategy/objectives/new/",
        {**OBJECTIVE, "owner": program_manager.pk, "status": "on-track"},
    )

    assert response.status_code == 302
    assert StrategicObjective.objects.get().title == "Cut cloud cost"


def test_the_objective_form_shows_errors_with_a_400_and_saves_nothing(client, program_manager):
    client.force_login(program_manager)

    response = client.post(
        "/strategy/objectives/new/",
        {**OBJECTIVE, "end_date": "2025-01-01", "owner": program_manager.pk, "status": "on-track"},
    )

    assert response.status_code == 400
    assert "on or after the start date" in response.content.decode()
    assert not StrategicObjective.objects.exists()


def test_the_key_result_form_adds_one_and_refuses_a_flat_target(client, program_manager):
    objective = ObjectiveFactory(owner=program_manager)
    client.force_login(program_manager)
    url = f"/strategy/objectives/{objective.pk}/key-results/new/"

    bad = client.post(url, {"title": "Flat", "start_value": "5", "target_value": "5", "current_value": "5"})
    good = client.post(url, {"title": "Up", "start_value": "0", "target_value": "10", "current_value": "5"})

    assert (bad.status_code, good.status_code) == (400, 302)
    assert list(objective.key_results.values_list("title", flat=True)) == ["Up"]


def test_leadership_gets_a_403_on_the_objective_form(client, leader):
    client.force_login(leader)

    assert client.get("/strategy/objectives/new/").status_code == 403


# --- API ---------------------------------------------------------------------------------------------


def test_the_api_sets_and_edits_an_objective_with_its_version(api_as, program_manager):
    client = api_as(program_manager)

    created = client.post(
        "/api/v1/objectives/", {**OBJECTIVE, "start_date": "2026-01-01", "end_date": "2026-12-31"}, format="json"
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    changed = client.patch(f"/api/v1/objectives/{pk}/", {"weight": 5, "version": 1}, format="json")
    stale = client.patch(f"/api/v1/objectives/{pk}/", {"weight": 1, "version": 1}, format="json")

    assert changed.status_code == 200 and changed.json()["weight"] == 5
    assert stale.status_code == 409
    assert StrategicObjective.objects.get().weight == 5


def test_the_api_refuses_an_objective_ending_before_it_starts_with_the_field_named(api_as, program_manager):
    response = api_as(program_manager).post(
        "/api/v1/objectives/", {**OBJECTIVE, "start_date": "2026-06-01", "end_date": "2026-01-01"}, format="json"
    )

    assert response.status_code == 400
    assert "end_date" in response.json()["errors"]
    assert not StrategicObjective.objects.exists()


def test_leadership_may_not_set_an_objective_through_the_api(api_as, leader):
    response = api_as(leader).post(
        "/api/v1/objectives/", {**OBJECTIVE, "start_date": "2026-01-01", "end_date": "2026-12-31"}, format="json"
    )

    assert response.status_code == 403


def test_the_api_adds_edits_and_deletes_a_key_result_for_the_owner_only(api_as, program_manager, member):
    objective = ObjectiveFactory(owner=program_manager)
    body = {"objective": objective.pk, "title": "Cost", "start_value": "41", "target_value": "33"}

    refused = api_as(member).post("/api/v1/key-results/", body, format="json")
    created = api_as(program_manager).post("/api/v1/key-results/", body, format="json")
    assert (refused.status_code, created.status_code) == (403, 201)
    pk = created.json()["id"]
    changed = api_as(program_manager).patch(f"/api/v1/key-results/{pk}/", {"current_value": "37"}, format="json")
    assert changed.status_code == 200 and changed.json()["progress"] == 50
    assert api_as(program_manager).delete(f"/api/v1/key-results/{pk}/").status_code == 204
    assert not KeyResult.objects.exists()


def test_the_api_refuses_a_flat_key_result_with_the_field_named(api_as, program_manager):
    objective = ObjectiveFactory(owner=program_manager)

    response = api_as(program_manager).post(
        "/api/v1/key-results/",
        {"objective": objective.pk, "title": "Flat", "start_value": "5", "target_value": "5"},
        format="json",
    )

    assert response.status_code == 400
    assert "target_value" in response.json()["errors"]
