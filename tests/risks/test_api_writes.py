"""The risk register's API writes: risks logged, edited (a stale version is a 409), closed with a note, reopened,
marked occurred and deleted; mitigation actions; the heat map. Bad input is a 400 per field and changes nothing."""

import datetime

import pytest

from portfolio.core import roles
from products.models import ProductMember
from risks.models import MitigationAction, Risk
from tests.api import queries_for
from tests.core.factories import UserFactory
from tests.products.factories import ProductFactory, ProductMemberFactory
from tests.programs.factories import PortfolioFactory, ProgramFactory, ProjectFactory
from tests.risks.factories import MitigationActionFactory, RiskFactory

pytestmark = pytest.mark.django_db

RISKS = "/api/v1/risks/"
ACTIONS = "/api/v1/mitigation-actions/"
HEATMAP = "/api/v1/risks/heatmap/"


@pytest.fixture
def project(program_manager):
    return ProjectFactory(program=ProgramFactory(manager=program_manager), name="SSO")


def post(client, url, body):
    return client.post(url, body, format="json")


def cell(body, probability, impact):
    return next(c for c in body["cells"] if (c["probability"], c["impact"]) == (probability, impact))


def test_the_program_manager_logs_a_critical_escalated_risk_on_a_project(api_as, program_manager, project):
    response = post(
        api_as(program_manager), RISKS, {"project": project.pk, "title": "IdP late", "probability": 4, "impact": 5}
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["score"], body["severity"], body["escalated"], body["owner"]) == (
        20,
        "critical",
        True,
        program_manager.pk,
    )
    assert body["version"] == 1


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"probability": 0}, {"probability"}),
        ({"probability": 6, "impact": 0}, {"probability", "impact"}),
        ({"project": None}, {"project"}),
        ({"program": "two"}, {"program"}),
        ({"title": ""}, {"title"}),
        ({"status": "closed"}, {"status"}),
    ],
    ids=["probability 0", "probability 6 impact 0", "no scope", "two scopes", "no title", "closed by an edit"],
)
def test_bad_input_is_a_400_per_field_and_logs_nothing(api_as, program_manager, project, change, fields):
    body = {"project": project.pk, "title": "IdP late", "probability": 4, "impact": 5, **change}
    if change.get("program") == "two":
        body["program"] = project.program_id

    response = post(api_as(program_manager), RISKS, body)

    assert response.status_code == 400
    assert set(response.json()["errors"]) == fields
    assert not Risk.objects.exists()


def test_a_risk_on_a_project_of_another_program_is_a_400_on_its_project(api_as, program_manager):
    foreign = ProjectFactory()

    response = post(
        api_as(program_manager), RISKS, {"project": foreign.pk, "title": "X", "probability": 1, "impact": 1}
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"project"}
    assert not Risk.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "member", "leader"])
def test_outsiders_viewers_and_leadership_cannot_log_a_risk(api_as, request, project, who):
    user = request.getfixturevalue(who)

    response = post(api_as(user), RISKS, {"project": project.pk, "title": "X", "probability": 1, "impact": 1})

    assert response.status_code == 403
    assert not Risk.objects.exists()


def test_a_product_risk_is_written_by_the_products_editors_and_not_its_viewers(api_as, product_manager):
    product = ProductFactory(owner=UserFactory())
    ProductMemberFactory(product=product, user=product_manager, role=ProductMember.Role.EDITOR)
    viewer = UserFactory(roles=[roles.PRODUCT_MANAGERS])
    ProductMemberFactory(product=product, user=viewer, role=ProductMember.Role.VIEWER)
    risk = RiskFactory(project=None, product=product)

    assert api_as(viewer).patch(f"{RISKS}{risk.pk}/", {"impact": 1, "version": 1}, format="json").status_code == 403
    assert (
        api_as(product_manager).patch(f"{RISKS}{risk.pk}/", {"impact": 1, "version": 1}, format="json").status_code
        == 200
    )
    assert Risk.objects.get(pk=risk.pk).impact == 1


def test_a_stale_version_is_a_409_with_the_risk_as_it_is(api_as, program_manager, project):
    risk = RiskFactory(project=project, title="Now")
    client = api_as(program_manager)
    client.patch(f"{RISKS}{risk.pk}/", {"title": "First", "version": 1}, format="json")

    response = client.patch(f"{RISKS}{risk.pk}/", {"title": "Second", "version": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["current"]["title"] == "First"
    assert Risk.objects.get(pk=risk.pk).title == "First"


def test_lowering_the_residual_scores_moves_the_risk_on_the_residual_map(api_as, program_manager, project):
    risk = RiskFactory(project=project, probability=4, impact=5)
    client = api_as(program_manager)
    before = client.get(HEATMAP, {"project": project.pk, "residual": "1"}).json()
    assert cell(before, 4, 5)["count"] == 1  # no residual values yet: where its inherent values put it

    client.patch(f"{RISKS}{risk.pk}/", {"residual_probability": 2, "residual_impact": 3, "version": 1}, format="json")

    after = client.get(HEATMAP, {"project": project.pk, "residual": "1"}).json()
    assert (cell(after, 4, 5)["count"], cell(after, 2, 3)["count"]) == (0, 1)
    inherent = client.get(HEATMAP, {"project": project.pk}).json()
    assert cell(inherent, 4, 5) == {"probability": 4, "impact": 5, "count": 1, "severity": "critical"}


def test_closing_needs_a_note_and_a_closed_risk_leaves_the_map(api_as, program_manager, project):
    risk = RiskFactory(project=project, probability=5, impact=5)
    client = api_as(program_manager)

    refused = post(client, f"{RISKS}{risk.pk}/close/", {"closing_note": "", "version": 1})
    assert refused.status_code == 400 and set(refused.json()["errors"]) == {"closing_note"}
    assert Risk.objects.get(pk=risk.pk).status == "open"

    closed = post(client, f"{RISKS}{risk.pk}/close/", {"closing_note": "Vendor shipped.", "version": 1})
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["closing_note"], closed.json()["escalated"]) == (
        "closed",
        "Vendor shipped.",
        False,
    )
    assert cell(client.get(HEATMAP, {"project": project.pk}).json(), 5, 5)["count"] == 0

    reopened = post(client, f"{RISKS}{risk.pk}/reopen/", {"version": 2})
    assert (reopened.json()["status"], reopened.json()["closing_note"]) == ("open", "")


def test_an_occurred_risk_is_an_escalated_issue(api_as, program_manager, project):
    risk = RiskFactory(project=project, probability=1, impact=2)

    body = post(api_as(program_manager), f"{RISKS}{risk.pk}/occurred/", {"version": 1}).json()

    assert (body["kind"], body["status"], body["escalated"]) == ("issue", "occurred", True)


def test_the_heatmap_takes_one_scope_and_counts_a_portfolios_programs_and_projects(api_as, member):
    portfolio = PortfolioFactory()
    program = ProgramFactory(portfolio=portfolio)
    RiskFactory(project=None, program=program, probability=1, impact=1)
    RiskFactory(project=ProjectFactory(program=program), probability=1, impact=1)
    RiskFactory(probability=1, impact=1)  # another portfolio's
    RiskFactory(project=ProjectFactory(program=program), probability=1, impact=1, status="closed")
    client = api_as(member)

    body = client.get(HEATMAP, {"portfolio": portfolio.pk}).json()

    assert len(body["cells"]) == 25
    assert [(c["probability"], c["impact"]) for c in body["cells"][:6]] == [
        (5, 1),
        (5, 2),
        (5, 3),
        (5, 4),
        (5, 5),
        (4, 1),
    ]
    assert cell(body, 1, 1) == {"probability": 1, "impact": 1, "count": 2, "severity": "low"}
    assert cell(client.get(HEATMAP).json(), 1, 1)["count"] == 3
    both = client.get(HEATMAP, {"portfolio": portfolio.pk, "product": ProductFactory().pk}).json()
    assert cell(both, 1, 1)["count"] == 0  # several scopes: the risks in all of them
    assert client.get(HEATMAP, {"residual": "2"}).status_code == 400


def test_the_heatmap_takes_one_query_whatever_the_number_of_risks(api_as, member, django_assert_num_queries):
    client = api_as(member)
    RiskFactory.create_batch(3, probability=2, impact=2)
    few, _ = queries_for(client, f"{HEATMAP}?residual=1")
    RiskFactory.create_batch(30, probability=3, impact=4, residual_probability=1, residual_impact=1)

    with django_assert_num_queries(few):
        body = client.get(HEATMAP, {"residual": "1"}).json()

    assert cell(body, 1, 1)["count"] == 30


def test_mitigation_actions_are_added_edited_and_deleted_by_the_risks_editors(api_as, program_manager, project, leader):
    risk = RiskFactory(project=project)
    client = api_as(program_manager)

    created = post(client, ACTIONS, {"risk": risk.pk, "description": "Second IdP", "due_date": "2026-02-01"})
    assert created.status_code == 201, created.json()
    action_id = created.json()["id"]
    assert client.patch(f"{ACTIONS}{action_id}/", {"done_at": "2026-02-01T10:00:00Z"}, format="json").status_code == 200
    assert api_as(leader).delete(f"{ACTIONS}{action_id}/").status_code == 403
    assert api_as(program_manager).delete(f"{ACTIONS}{action_id}/").status_code == 204
    assert not MitigationAction.objects.exists()


def test_an_action_on_a_risk_of_another_program_is_refused(api_as, program_manager):
    risk = RiskFactory()

    response = post(api_as(program_manager), ACTIONS, {"risk": risk.pk, "description": "X"})

    assert response.status_code == 403
    assert not MitigationAction.objects.exists()


def test_risks_filter_by_portfolio_program_escalation_review_and_heatmap_cell(api_as, member):
    portfolio = PortfolioFactory()
    program = ProgramFactory(portfolio=portfolio)
    on_program = RiskFactory(project=None, program=program, probability=5, impact=3)
    on_project = RiskFactory(
        project=ProjectFactory(program=program),
        probability=2,
        impact=2,
        residual_probability=1,
        residual_impact=1,
        review_date=datetime.date(2020, 1, 1),
    )
    elsewhere = RiskFactory(probability=2, impact=2)
    client = api_as(member)

    def ids(**query):
        response = client.get(RISKS, query)
        assert response.status_code == 200, response.json()
        return sorted(row["id"] for row in response.json()["results"])

    assert ids(portfolio=portfolio.pk) == sorted([on_program.pk, on_project.pk])
    assert ids(program=program.pk) == sorted([on_program.pk, on_project.pk])
    assert ids(escalated="true") == [on_program.pk]
    assert ids(review_overdue="true") == [on_project.pk]
    assert ids(probability=2, impact=2) == sorted([on_project.pk, elsewhere.pk])
    assert ids(probability=2, impact=2, residual="true") == [elsewhere.pk]
    assert ids(probability=1, impact=1, residual="true") == [on_project.pk]


def test_a_risk_and_its_writes_answer_in_a_fixed_number_of_queries(api_as, program_manager, project):
    risk = RiskFactory(project=project)
    client = api_as(program_manager)
    url = f"{RISKS}{risk.pk}/"
    few, _ = queries_for(client, url)
    for _n in range(30):
        MitigationActionFactory(risk=risk)
    RiskFactory.create_batch(30, project=project)

    again, body = queries_for(client, url)

    assert again == few and body["id"] == risk.pk
