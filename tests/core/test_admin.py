import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portfolio.core import roles
from portfolio.core.models import User
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
