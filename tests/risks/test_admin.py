import pytest
from django.urls import reverse

from programs.models import Project
from risks.models import MitigationAction, Risk
from tests.admin_forms import admin_form_data
from tests.core.factories import UserFactory
from tests.products.factories import ProductFactory
from tests.programs.factories import ProjectFactory
from tests.risks.factories import MitigationActionFactory, RiskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def test_superuser_opens_risk_changelist_with_filters_and_search(admin_client):
    RiskFactory(title="Vendor lock-in", probability=5, impact=4)
    RiskFactory(project=None, product=ProductFactory(), probability=1, impact=1)
    url = reverse("admin:risks_risk_changelist")

    assert admin_client.get(url).status_code == 200
    critical = admin_client.get(url, {"severity": "critical"})
    assert critical.status_code == 200
    assert b"Vendor lock-in" in critical.content
    assert b"Vendor lock-in" not in admin_client.get(url, {"severity": "low"}).content
    assert admin_client.get(url, {"q": "vendor", "kind__exact": "risk", "status__exact": "open"}).status_code == 200


def test_superuser_opens_risk_change_form_with_actions_add_form_and_history(admin_client):
    action = MitigationActionFactory()
    risk = action.risk

    change = admin_client.get(reverse("admin:risks_risk_change", args=[risk.pk]))
    assert change.status_code == 200
    assert b"actions-0-description" in change.content
    assert admin_client.get(reverse("admin:risks_risk_add")).status_code == 200
    assert admin_client.get(reverse("admin:risks_risk_history", args=[risk.pk])).status_code == 200


def test_superuser_opens_mitigation_action_changelist_and_change_form(admin_client):
    action = MitigationActionFactory()
    url = reverse("admin:risks_mitigationaction_changelist")

    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"done_at__isempty": "1", "q": "Action"}).status_code == 200
    assert admin_client.get(reverse("admin:risks_mitigationaction_change", args=[action.pk])).status_code == 200
    assert admin_client.get(reverse("admin:risks_mitigationaction_add")).status_code == 200


def test_changelists_query_count_does_not_grow_with_rows(admin_client, django_assert_max_num_queries):
    MitigationActionFactory.create_batch(3)
    urls = [reverse(f"admin:risks_{name}_changelist") for name in ("risk", "mitigationaction")]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(50) as captured:
            admin_client.get(url)
        counts.append(len(captured))
    MitigationActionFactory.create_batch(20)

    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert admin_client.get(url).status_code == 200


def test_an_admin_edit_counts_as_a_new_version(admin_client):
    risk = RiskFactory(title="Before", probability=2, impact=2)
    change_url = reverse("admin:risks_risk_change", args=[risk.pk])
    form = admin_client.get(change_url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "title": "After",
            "owner": risk.owner_id,
            "project": risk.project_id,
            "probability": 4,
            "opened_version": form["opened_version"].initial,
            "actions-TOTAL_FORMS": 0,
            "actions-INITIAL_FORMS": 0,
        }
    )

    response = admin_client.post(change_url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    risk.refresh_from_db()
    assert (risk.title, risk.score, risk.version) == ("After", 8, 2)
    assert risk.history.count() == 2


def test_the_risk_form_carries_the_version_it_was_opened_at(admin_client):
    risk = RiskFactory()

    change = admin_client.get(reverse("admin:risks_risk_change", args=[risk.pk]))

    assert b'<input type="hidden" name="opened_version" value="1"' in change.content


def test_a_stale_risk_form_is_refused_and_nothing_is_changed(admin_client):
    risk = RiskFactory(title="Original", probability=2, impact=2)
    url = reverse("admin:risks_risk_change", args=[risk.pk])
    stale = admin_form_data(admin_client.get(url), title="From a stale form", probability=5)
    Risk.objects.filter(pk=risk.pk).update(title="Changed meanwhile", version=2)

    response = admin_client.post(url, stale)

    assert response.status_code == 200
    assert "changed by someone else" in str(response.context["adminform"].form.non_field_errors())
    risk.refresh_from_db()
    assert (risk.title, risk.probability, risk.version) == ("Changed meanwhile", 2, 2)


def test_reverting_a_risk_from_history_is_a_new_higher_version(admin_client):
    risk = RiskFactory(title="First", probability=2, impact=2)
    url = reverse("admin:risks_risk_change", args=[risk.pk])
    admin_client.post(url, admin_form_data(admin_client.get(url), title="Second"))
    revert_url = reverse("admin:risks_risk_simple_history", args=[risk.pk, risk.history.earliest().pk])

    response = admin_client.post(revert_url, admin_form_data(admin_client.get(revert_url)))

    assert response.status_code == 302, response.context["adminform"].form.errors
    risk.refresh_from_db()
    assert (risk.title, risk.version) == ("First", 3)


# --- a staff program manager puts risks only on what they edit ---------------------------------------


@pytest.fixture
def manager_of_a(program_manager):
    """A staff program manager who manages project "A"."""
    program_manager.is_staff = True
    program_manager.save(update_fields=["is_staff"])
    ProjectFactory(name="A", manager=program_manager)
    return program_manager


def _risk_data(user, **scope):
    return {
        "kind": "risk",
        "title": "Vendor lock-in",
        "description": "",
        "category": "vendor",
        "owner": user.pk,
        "status": "open",
        "response": "mitigate",
        "trigger": "",
        "project": "",
        "program": "",
        "product": "",
        "probability": 5,
        "impact": 5,
        "review_date": "",
        "residual_probability": "",
        "residual_impact": "",
        "closed_at_0": "",
        "closed_at_1": "",
        "actions-TOTAL_FORMS": 0,
        "actions-INITIAL_FORMS": 0,
        **{name: value.pk for name, value in scope.items()},
    }


def test_a_program_manager_adds_a_risk_to_a_project_they_manage(client, manager_of_a):
    client.force_login(manager_of_a)

    response = client.post(
        reverse("admin:risks_risk_add"), _risk_data(manager_of_a, project=Project.objects.get(name="A"))
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Risk.objects.get().project.name == "A"


@pytest.mark.parametrize("scope", ["project", "program", "product"])
def test_a_program_manager_cannot_add_a_risk_to_a_scope_they_do_not_edit(client, manager_of_a, scope):
    other = ProjectFactory(name="B", product=ProductFactory())
    target = {"project": other, "program": other.program, "product": other.product}[scope]
    client.force_login(manager_of_a)

    response = client.post(reverse("admin:risks_risk_add"), _risk_data(manager_of_a, **{scope: target}))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[scope]
    assert not Risk.objects.exists()


def test_a_program_manager_cannot_move_a_risk_to_a_project_they_do_not_edit(client, manager_of_a):
    risk = RiskFactory(project=Project.objects.get(name="A"), title="Vendor lock-in")
    other = ProjectFactory(name="B")
    client.force_login(manager_of_a)
    url = reverse("admin:risks_risk_change", args=[risk.pk])

    response = client.post(url, admin_form_data(client.get(url), project=other.pk, title="Moved"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["project"]
    risk.refresh_from_db()
    assert (risk.project.name, risk.title, risk.version) == ("A", "Vendor lock-in", 1)


def test_a_program_manager_cannot_add_a_mitigation_action_to_a_risk_they_do_not_edit(client, manager_of_a):
    own = RiskFactory(project=Project.objects.get(name="A"))
    other = RiskFactory(project=ProjectFactory(name="B"))
    client.force_login(manager_of_a)
    url = reverse("admin:risks_mitigationaction_add")
    data = {"description": "Second vendor", "owner": "", "due_date": "", "done_at_0": "", "done_at_1": ""}

    refused = client.post(url, {**data, "risk": other.pk})
    allowed = client.post(url, {**data, "risk": own.pk})

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["risk"]
    assert allowed.status_code == 302, allowed.context["adminform"].form.errors
    assert list(MitigationAction.objects.values_list("risk", flat=True)) == [own.pk]


def test_the_risk_page_costs_the_same_queries_for_2_or_12_actions(admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for rows in (2, 12):
        risk = RiskFactory()
        MitigationActionFactory.create_batch(rows, risk=risk, owner=UserFactory())
        url = reverse("admin:risks_risk_change", args=[risk.pk])
        admin_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
