"""The register's pages: the register (filters, sort by score, pagination, CSV guarded against formulas), the heat
map (cells in words and colour, links to the register's cell), a risk's detail (score history, overdue actions),
logging, editing, closing with a note, "occurred"; read-only for others; fixed query counts at two sizes."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from risks import services
from risks.models import MitigationAction, Risk
from tests.products.factories import ProductFactory
from tests.programs.factories import PortfolioFactory, ProgramFactory, ProjectFactory
from tests.risks.factories import MitigationActionFactory, RiskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(program_manager):
    return ProjectFactory(program=ProgramFactory(manager=program_manager), name="SSO and SCIM")


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_program_manager_logs_a_risk_and_sees_it_critical_and_escalated(client, program_manager, project):
    client.force_login(program_manager)
    body = {
        "project": project.pk,
        "kind": "risk",
        "title": "IdP vendor late",
        "category": "vendor",
        "probability": 4,
        "impact": 5,
        "status": "open",
        "response": "mitigate",
    }

    response = client.post(reverse("risks:risk_create"), body)

    risk = Risk.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("risks:risk_detail", args=[risk.pk])
    page = client.get(response["Location"]).content.decode()
    assert "20 · Critical" in page and "Escalated" in page


@pytest.mark.parametrize(
    ("change", "field"),
    [({"probability": 0}, "probability"), ({"probability": 6}, "probability"), ({"project": ""}, "project")],
    ids=["probability 0", "probability 6", "no scope"],
)
def test_bad_input_on_the_log_form_is_a_400_and_saves_nothing(client, program_manager, project, change, field):
    client.force_login(program_manager)
    body = {
        "project": project.pk,
        "kind": "risk",
        "title": "X",
        "category": "vendor",
        "probability": 4,
        "impact": 5,
        "status": "open",
        "response": "mitigate",
        **change,
    }

    response = client.post(reverse("risks:risk_create"), body)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Risk.objects.exists()


def test_two_scopes_on_the_log_form_are_refused(client, program_manager, project):
    client.force_login(program_manager)
    body = {
        "project": project.pk,
        "program": project.program_id,
        "kind": "risk",
        "title": "X",
        "category": "vendor",
        "probability": 1,
        "impact": 1,
        "status": "open",
        "response": "mitigate",
    }

    response = client.post(reverse("risks:risk_create"), body)

    assert response.status_code == 400 and "program" in response.context["form"].errors
    assert not Risk.objects.exists()


def test_closing_without_a_note_redisplays_the_risk_with_the_error(client, program_manager, project):
    risk = RiskFactory(project=project)
    client.force_login(program_manager)

    response = client.post(reverse("risks:risk_close", args=[risk.pk]), {"closing_note": "", "version": 1})

    assert response.status_code == 400
    assert "closing_note" in response.context["close_form"].errors
    assert Risk.objects.get(pk=risk.pk).status == "open"
    assert (
        client.post(reverse("risks:risk_close", args=[risk.pk]), {"closing_note": "Done.", "version": 1}).status_code
        == 302
    )
    assert Risk.objects.get(pk=risk.pk).closing_note == "Done."


def test_marking_occurred_turns_the_risk_into_an_issue(client, program_manager, project):
    risk = RiskFactory(project=project)
    client.force_login(program_manager)

    client.post(reverse("risks:risk_occurred", args=[risk.pk]), {"version": 1})

    assert Risk.objects.filter(pk=risk.pk, kind="issue", status="occurred").exists()


def test_editing_the_residual_scores_goes_through_the_edit_form(client, program_manager, project):
    risk = RiskFactory(project=project, probability=4, impact=5, title="IdP", category="vendor")
    client.force_login(program_manager)
    form = client.get(reverse("risks:risk_update", args=[risk.pk])).context["form"]
    body = {name: value for name, value in form.initial.items() if value is not None}
    body |= {
        "project": project.pk,
        "owner": risk.owner_id,
        "residual_probability": 2,
        "residual_impact": 2,
        "version": 1,
    }

    response = client.post(reverse("risks:risk_update", args=[risk.pk]), body)

    assert response.status_code == 302, response.context["form"].errors
    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.residual_probability, stored.residual_impact, stored.version) == (2, 2, 2)


def test_viewers_and_leadership_read_a_risk_without_its_controls_and_cannot_post(client, leader, project):
    risk = RiskFactory(project=project)
    client.force_login(leader)

    page = client.get(reverse("risks:risk_detail", args=[risk.pk])).content.decode()

    assert "Close the risk" not in page and "Add the action" not in page
    assert (
        client.post(reverse("risks:risk_close", args=[risk.pk]), {"closing_note": "X", "version": 1}).status_code == 403
    )
    assert (
        client.post(reverse("risks:mitigation_action_create", args=[risk.pk]), {"description": "X"}).status_code == 403
    )
    assert client.get(reverse("risks:risk_create")).status_code == 403
    assert Risk.objects.get(pk=risk.pk).status == "open" and not MitigationAction.objects.exists()


@time_machine.travel("2026-07-10 12:00")
def test_the_detail_flags_overdue_actions_and_shows_score_changes_with_who_and_from_to(
    client, program_manager, project
):
    risk = services.risk_create(
        user=program_manager, data={"project": project, "title": "IdP", "probability": 4, "impact": 5}
    )
    services.risk_update(
        user=program_manager, risk=risk, version=1, data={"residual_probability": 2, "residual_impact": 2}
    )
    services.risk_update(user=program_manager, risk=risk, version=2, data={"impact": 4})
    MitigationActionFactory(risk=risk, description="Second IdP", due_date=datetime.date(2026, 7, 1))
    MitigationActionFactory(risk=risk, description="Contract", due_date=datetime.date(2026, 8, 1))
    client.force_login(program_manager)

    response = client.get(reverse("risks:risk_detail", args=[risk.pk]))

    changes = response.context["changes"]
    assert [(c["from_score"], c["to_score"], c["from_residual"], c["to_residual"]) for c in changes] == [
        (None, 20, None, None),
        (20, 20, None, 4),
        (20, 16, 4, 4),
    ]
    assert all(c["who"] == program_manager for c in changes)
    assert [a.overdue for a in response.context["actions"]] == [True, False]
    page = response.content.decode()
    assert "20 → 16" in page and "Overdue" in page


def test_the_register_filters_by_portfolio_kind_severity_and_review_overdue(client, member):
    portfolio = PortfolioFactory()
    program = ProgramFactory(portfolio=portfolio)
    in_portfolio = RiskFactory(project=ProjectFactory(program=program), probability=5, impact=4, title="Inside")
    RiskFactory(probability=5, impact=4, title="Outside")
    overdue = RiskFactory(
        project=None,
        program=program,
        probability=1,
        impact=1,
        kind="issue",
        review_date=datetime.date(2020, 1, 1),
        title="Late review",
    )
    client.force_login(member)

    def titles(**query):
        response = client.get(reverse("risks:risk_list"), query)
        assert response.status_code == 200
        return [risk.title for risk in response.context["page_obj"]]

    assert titles(portfolio=portfolio.pk) == [in_portfolio.title, overdue.title]
    assert titles(kind="issue") == [overdue.title]
    assert titles(severity="critical", portfolio=portfolio.pk) == [in_portfolio.title]
    assert titles(review_overdue="true") == [overdue.title]
    assert titles(ordering="score", portfolio=portfolio.pk) == [overdue.title, in_portfolio.title]
    assert client.get(reverse("risks:risk_list"), {"severity": "apocalyptic"}).status_code == 400


def test_the_csv_export_keeps_the_filters_and_guards_formulas(client, member):
    RiskFactory(title='=HYPERLINK("http://evil")', probability=5, impact=5)
    RiskFactory(title="Quiet", probability=1, impact=1)
    client.force_login(member)

    response = client.get(reverse("risks:risk_export"), {"severity": "critical"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["id", "kind", "title"]
    assert [row[2] for row in rows[1:]] == ['\'=HYPERLINK("http://evil")']


def test_the_heat_map_cells_say_their_count_and_severity_and_link_to_the_register(client, member, project):
    RiskFactory(project=project, probability=4, impact=5, residual_probability=2, residual_impact=3)
    RiskFactory(project=project, probability=4, impact=5, status="closed")
    client.force_login(member)

    response = client.get(reverse("risks:risk_heatmap"), {"project": project.pk})
    cell = next(c for row in response.context["rows"] for c in row if (c["probability"], c["impact"]) == (4, 5))
    assert cell["count"] == 1 and cell["severity"] == "critical"
    page = response.content.decode()
    assert f"?project={project.pk}&amp;probability=4&amp;impact=5" in page and "Critical" in page

    residual = client.get(
        reverse("risks:risk_heatmap"), {"project": project.pk, "residual": "true"}, HTTP_HX_REQUEST="true"
    )
    moved = next(c for row in residual.context["rows"] for c in row if (c["probability"], c["impact"]) == (2, 3))
    assert moved["count"] == 1
    assert "<html" not in residual.content.decode()  # htmx gets the map alone
    listed = client.get(
        reverse("risks:risk_list"), {"project": project.pk, "probability": 2, "impact": 3, "residual": "true"}
    )
    assert len(listed.context["page_obj"]) == 1


def test_top_risks_show_on_the_project_program_and_product_pages(client, member, project):
    product = ProductFactory()
    RiskFactory(project=project, title="Project top", probability=5, impact=5)
    RiskFactory(project=project, title="Closed one", probability=5, impact=5, status="closed")
    RiskFactory(project=None, product=product, title="Product top", probability=3, impact=3)
    client.force_login(member)

    project_page = client.get(reverse("programs:project_detail", args=[project.pk])).content.decode()
    program_page = client.get(reverse("programs:program_detail", args=[project.program_id])).content.decode()
    product_page = client.get(reverse("products:product_detail", args=[product.slug])).content.decode()

    assert "Project top" in project_page and "Closed one" not in project_page
    assert "Project top" in program_page
    assert "Product top" in product_page


def _fill(project, count):
    for n in range(count):
        risk = RiskFactory(
            project=project,
            probability=1 + n % 5,
            impact=1 + (n * 3) % 5,
            owner=project.manager,
            residual_probability=1,
            residual_impact=1,
        )
        MitigationActionFactory(risk=risk, owner=project.manager)


def test_the_register_heat_map_and_export_run_a_fixed_number_of_queries(client, member, project):
    client.force_login(member)
    urls = [
        reverse("risks:risk_list"),
        reverse("risks:risk_list") + f"?portfolio={project.program.portfolio_id}&severity=high&review_overdue=true",
        reverse("risks:risk_heatmap") + f"?program={project.program_id}",
        reverse("risks:risk_heatmap") + "?residual=true",
        reverse("programs:project_detail", args=[project.pk]),
    ]
    _fill(project, 5)
    few = [queries(client, url) for url in urls]
    _fill(project, 45)

    assert [queries(client, url) for url in urls] == few


def test_the_risk_detail_runs_a_fixed_number_of_queries(client, program_manager, project):
    risk = services.risk_create(
        user=program_manager, data={"project": project, "title": "IdP", "probability": 4, "impact": 5}
    )
    client.force_login(program_manager)
    url = reverse("risks:risk_detail", args=[risk.pk])

    def fill(count):
        for n in range(count):
            stored = Risk.objects.get(pk=risk.pk)
            services.risk_update(user=program_manager, risk=stored, version=stored.version, data={"impact": 1 + n % 5})
            MitigationActionFactory(risk=risk, owner=program_manager, due_date=datetime.date(2026, 1, 1))

    fill(5)
    few = queries(client, url)
    fill(45)

    assert queries(client, url) == few


def test_only_those_who_may_log_a_risk_see_the_link_on_the_project_page(client, member, program_manager, project):
    url = reverse("programs:project_detail", args=[project.pk])
    log = f"{reverse('risks:risk_create')}?project={project.pk}"

    client.force_login(member)
    assert log not in client.get(url).content.decode()
    client.force_login(program_manager)
    assert log in client.get(url).content.decode()
    assert client.get(log).context["form"]["project"].value() == str(project.pk)
