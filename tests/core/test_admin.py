import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portfolio.core import roles
from portfolio.core.models import KeyResult, StrategicObjective, User
from tests.admin_forms import admin_form_data
from tests.core.factories import KeyResultFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def test_superuser_opens_user_changelist_change_and_add_forms(admin_client, product_manager):
    group = Group.objects.get(name=roles.PRODUCT_MANAGERS)
    changelist = admin_client.get(reverse("admin:core_user_changelist"), {"q": "pm", "groups__id__exact": group.pk})
    assert changelist.status_code == 200
    assert b"Product managers" in changelist.content

    change = admin_client.get(reverse("admin:core_user_change", args=[product_manager.pk]))
    assert change.status_code == 200
    assert b'name="title"' in change.content and b'name="function"' in change.content
    assert admin_client.get(reverse("admin:core_user_add")).status_code == 200


def test_superuser_adds_a_user_with_email_and_role(admin_client):
    response = admin_client.post(
        reverse("admin:core_user_add"),
        {
            "username": "newbie",
            "email": "newbie@example.com",
            "usable_password": "false",
            "groups": [],
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="newbie").email == "newbie@example.com"


def test_superuser_opens_objective_changelist_change_form_and_history(admin_client):
    objective = ObjectiveFactory(parent=ObjectiveFactory())
    KeyResultFactory(objective=objective)

    assert admin_client.get(reverse("admin:core_strategicobjective_changelist"), {"q": "Objective"}).status_code == 200
    change = admin_client.get(reverse("admin:core_strategicobjective_change", args=[objective.pk]))
    assert change.status_code == 200
    assert b"key_results-0-title" in change.content
    assert admin_client.get(reverse("admin:core_strategicobjective_add")).status_code == 200
    assert admin_client.get(reverse("admin:core_strategicobjective_history", args=[objective.pk])).status_code == 200


def test_superuser_opens_key_result_changelist_and_change_form(admin_client):
    key_result = KeyResultFactory()

    assert admin_client.get(reverse("admin:core_keyresult_changelist"), {"q": "Key"}).status_code == 200
    assert admin_client.get(reverse("admin:core_keyresult_change", args=[key_result.pk])).status_code == 200
    assert admin_client.get(reverse("admin:core_keyresult_add")).status_code == 200


def test_changelists_query_count_does_not_grow_with_rows(admin_client, django_assert_max_num_queries):
    for _ in range(3):
        KeyResultFactory(objective=ObjectiveFactory(parent=ObjectiveFactory()))
    urls = [reverse(f"admin:core_{name}_changelist") for name in ("user", "strategicobjective", "keyresult")]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(50) as captured:
            admin_client.get(url)
        counts.append(len(captured))
    for _ in range(20):
        KeyResultFactory(objective=ObjectiveFactory(parent=ObjectiveFactory()))

    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert admin_client.get(url).status_code == 200


def test_the_user_form_offers_roles_but_no_permission_rows(admin_client, product_manager):
    change = admin_client.get(reverse("admin:core_user_change", args=[product_manager.pk]))
    group = admin_client.get(reverse("admin:auth_group_change", args=[product_manager.groups.get().pk]))

    assert b'name="groups"' in change.content
    assert b'name="user_permissions"' not in change.content
    assert group.status_code == 200
    assert b'name="permissions"' not in group.content


def test_a_stale_objective_form_is_refused_and_nothing_is_changed(admin_client):
    objective = ObjectiveFactory(title="Original")
    url = reverse("admin:core_strategicobjective_change", args=[objective.pk])
    stale = admin_form_data(admin_client.get(url), title="From a stale form")
    StrategicObjective.objects.filter(pk=objective.pk).update(title="Changed meanwhile", version=2)

    response = admin_client.post(url, stale)

    assert response.status_code == 200
    assert "changed by someone else" in str(response.context["adminform"].form.non_field_errors())
    objective.refresh_from_db()
    assert (objective.title, objective.version) == ("Changed meanwhile", 2)


def test_an_objective_edit_and_a_revert_from_history_are_each_a_new_version(admin_client):
    objective = ObjectiveFactory(title="First")
    url = reverse("admin:core_strategicobjective_change", args=[objective.pk])

    edited = admin_client.post(url, admin_form_data(admin_client.get(url), title="Second"))
    revert_url = reverse(
        "admin:core_strategicobjective_simple_history", args=[objective.pk, objective.history.earliest().pk]
    )
    reverted = admin_client.post(revert_url, admin_form_data(admin_client.get(revert_url)))

    assert edited.status_code == 302, edited.context["adminform"].form.errors
    assert reverted.status_code == 302, reverted.context["adminform"].form.errors
    objective.refresh_from_db()
    assert (objective.title, objective.version) == ("First", 3)
    assert objective.history.count() == 3


def test_a_program_manager_adds_key_results_only_to_objectives_they_own(client, program_manager):
    program_manager.is_staff = True
    program_manager.save(update_fields=["is_staff"])
    own, other = ObjectiveFactory(owner=program_manager), ObjectiveFactory()
    client.force_login(program_manager)
    url = reverse("admin:core_keyresult_add")
    data = {"title": "Activation", "unit": "%", "start_value": 0, "target_value": 50, "current_value": 10}

    refused = client.post(url, {**data, "objective": other.pk})
    allowed = client.post(url, {**data, "objective": own.pk})

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["objective"]
    assert allowed.status_code == 302, allowed.context["adminform"].form.errors
    assert list(KeyResult.objects.values_list("objective", flat=True)) == [own.pk]


def test_a_save_that_loses_the_race_after_the_form_check_is_refused_with_the_message(admin_client, monkeypatch):
    from portfolio.core.admin import VersionedAdminForm

    objective = ObjectiveFactory(title="Original")
    url = reverse("admin:core_strategicobjective_change", args=[objective.pk])
    stale = admin_form_data(admin_client.get(url), title="From a stale form")
    StrategicObjective.objects.filter(pk=objective.pk).update(title="Changed meanwhile", version=2)
    monkeypatch.setattr(VersionedAdminForm, "is_stale", lambda form, opened: False)  # the check passed just before

    response = admin_client.post(url, stale, follow=True)

    assert "changed by someone else" in [str(m) for m in response.context["messages"]][0]
    objective.refresh_from_db()
    assert (objective.title, objective.version) == ("Changed meanwhile", 2)
