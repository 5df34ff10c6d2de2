import pytest
from django.urls import reverse

from tests.products.factories import ProductFactory
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
            "actions-TOTAL_FORMS": 0,
            "actions-INITIAL_FORMS": 0,
        }
    )

    response = admin_client.post(change_url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    risk.refresh_from_db()
    assert (risk.title, risk.score, risk.version) == ("After", 8, 2)
    assert risk.history.count() == 2
