"""The risk services: logging, editing (optimistic locking), closing with a note, reopening, "occurred" turning a
risk into an issue, deleting, mitigation actions; who may write them, and refusals that change nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from portfolio.core import roles
from portfolio.core.exceptions import Conflict
from products.models import ProductMember
from risks import services
from risks.models import MitigationAction, Risk
from tests.core.factories import UserFactory
from tests.products.factories import ProductFactory, ProductMemberFactory
from tests.programs.factories import ProgramFactory, ProjectFactory
from tests.risks.factories import MitigationActionFactory, RiskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(program_manager):
    return ProgramFactory(manager=program_manager)


@pytest.fixture
def project(program):
    return ProjectFactory(program=program, name="Launch")


def log(user, **data):
    return services.risk_create(user=user, data={"title": "Vendor late", "probability": 4, "impact": 5, **data})


def test_the_program_manager_logs_a_risk_on_a_project_of_their_program(program_manager, project):
    risk = log(program_manager, project=project)

    assert (risk.project, risk.owner, risk.score, risk.version, risk.status) == (
        project,
        program_manager,
        20,
        1,
        "open",
    )
    assert risk.history.get().history_user == program_manager


def test_a_product_editor_logs_a_risk_on_the_product(product_manager):
    product = ProductFactory(owner=UserFactory())
    ProductMemberFactory(product=product, user=product_manager, role=ProductMember.Role.EDITOR)

    assert log(product_manager, product=product).product == product


def test_a_risk_on_a_scope_the_user_may_not_edit_is_refused_on_that_field(program_manager):
    foreign = ProjectFactory()

    with pytest.raises(ValidationError) as refused:
        log(program_manager, project=foreign)

    assert "project" in refused.value.error_dict
    assert not Risk.objects.exists()


@pytest.mark.parametrize(
    "scopes",
    [{}, {"project": None}, "two"],
    ids=["no scope", "a null scope", "two scopes"],
)
def test_a_risk_needs_exactly_one_scope(program_manager, project, program, scopes):
    if scopes == "two":
        scopes = {"project": project, "program": program}

    with pytest.raises(ValidationError) as refused:
        log(program_manager, **scopes)

    assert set(refused.value.error_dict) & {"project", "program"}
    assert not Risk.objects.exists()


@pytest.mark.parametrize("value", [0, 6])
def test_probability_and_impact_run_from_one_to_five(program_manager, project, value):
    with pytest.raises(ValidationError) as refused:
        log(program_manager, project=project, probability=value, impact=value)

    assert {"probability", "impact"} <= set(refused.value.error_dict)
    assert not Risk.objects.exists()


def test_closed_and_occurred_are_not_set_by_an_edit(program_manager, project):
    risk = RiskFactory(project=project)

    for status in ("closed", "occurred"):
        with pytest.raises(ValidationError) as refused:
            services.risk_update(user=program_manager, risk=risk, version=1, data={"status": status})
        assert "status" in refused.value.error_dict
    assert Risk.objects.get(pk=risk.pk).status == "open"


def test_lowering_the_residual_scores_is_an_edit_on_the_current_version(program_manager, project):
    risk = RiskFactory(project=project, probability=4, impact=5)

    services.risk_update(
        user=program_manager, risk=risk, version=1, data={"residual_probability": 2, "residual_impact": 3}
    )

    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.residual_probability, stored.residual_impact, stored.version) == (2, 3, 2)


def test_a_stale_version_is_a_conflict_and_changes_nothing(program_manager, project):
    risk = RiskFactory(project=project, title="Before")
    services.risk_update(user=program_manager, risk=risk, version=1, data={"title": "First"})

    with pytest.raises(Conflict):
        services.risk_update(user=program_manager, risk=Risk.objects.get(pk=risk.pk), version=1, data={"title": "X"})

    assert Risk.objects.get(pk=risk.pk).title == "First"


def test_moving_a_risk_to_a_project_the_user_may_not_edit_is_refused(program_manager, project):
    risk = RiskFactory(project=project)

    with pytest.raises(ValidationError) as refused:
        services.risk_update(user=program_manager, risk=risk, version=1, data={"project": ProjectFactory()})

    assert "project" in refused.value.error_dict
    assert Risk.objects.get(pk=risk.pk).project == project


def test_closing_a_risk_needs_a_closing_note(program_manager, project):
    risk = RiskFactory(project=project)

    with pytest.raises(ValidationError) as refused:
        services.risk_close(user=program_manager, risk=risk, version=1, closing_note="  ")

    assert "closing_note" in refused.value.error_dict
    assert Risk.objects.get(pk=risk.pk).status == "open"


def test_closing_a_risk_records_the_note_and_the_time(program_manager, project):
    risk = RiskFactory(project=project)

    services.risk_close(user=program_manager, risk=risk, version=1, closing_note="Vendor delivered.")

    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.status, stored.closing_note, stored.version) == ("closed", "Vendor delivered.", 2)
    assert stored.closed_at is not None


def test_the_database_refuses_a_closed_risk_without_a_note(project):
    risk = RiskFactory(project=project)

    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(status="closed", closed_at=datetime.datetime.now(datetime.UTC))


def test_reopening_a_closed_risk_clears_its_note_and_the_history_keeps_it(program_manager, project):
    risk = RiskFactory(project=project)
    services.risk_close(user=program_manager, risk=risk, version=1, closing_note="Done.")

    services.risk_reopen(user=program_manager, risk=risk, version=2)

    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.status, stored.closing_note, stored.closed_at) == ("open", "", None)
    assert "Done." in stored.history.values_list("closing_note", flat=True)


def test_an_occurred_risk_becomes_an_issue_and_keeps_its_history(program_manager, project):
    risk = RiskFactory(project=project, kind=Risk.Kind.RISK)

    services.risk_occurred(user=program_manager, risk=risk, version=1)

    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.kind, stored.status) == ("issue", "occurred")
    assert list(stored.history.order_by("history_date").values_list("kind", flat=True)) == ["risk", "issue"]


@pytest.mark.parametrize("who", ["outsider", "member", "leader", "other_program_manager", "viewer"])
def test_outsiders_viewers_and_leadership_change_nothing(request, project, who):
    if who == "other_program_manager":
        user = UserFactory(roles=[roles.PROGRAM_MANAGERS])
    elif who == "viewer":
        user = UserFactory(roles=[roles.PRODUCT_MANAGERS])
    else:
        user = request.getfixturevalue(who)
    if who == "leader":
        project.program.portfolio.owner = user
        project.program.portfolio.save()
    risk = RiskFactory(project=project)
    action = MitigationActionFactory(risk=risk)

    writes = [
        lambda: services.risk_update(user=user, risk=risk, version=1, data={"title": "X"}),
        lambda: services.risk_close(user=user, risk=risk, version=1, closing_note="X"),
        lambda: services.risk_occurred(user=user, risk=risk, version=1),
        lambda: services.risk_delete(user=user, risk=risk),
        lambda: services.mitigation_action_create(user=user, risk=risk, data={"description": "X"}),
        lambda: services.mitigation_action_complete(user=user, action=action),
        lambda: services.mitigation_action_delete(user=user, action=action),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied):
            write()
    with pytest.raises((PermissionDenied, ValidationError)):
        log(user, project=project)
    assert Risk.objects.get(pk=risk.pk).version == 1
    assert MitigationAction.objects.get(pk=action.pk).done_at is None
    assert Risk.objects.count() == 1


def test_a_product_risk_is_edited_by_the_products_editors_not_its_viewers(product_manager):
    product = ProductFactory(owner=UserFactory())
    viewer = UserFactory(roles=[roles.TEAM_MEMBERS])
    ProductMemberFactory(product=product, user=product_manager, role=ProductMember.Role.EDITOR)
    ProductMemberFactory(product=product, user=viewer, role=ProductMember.Role.VIEWER)
    risk = RiskFactory(project=None, product=product)

    services.risk_update(user=product_manager, risk=risk, version=1, data={"impact": 1})
    with pytest.raises(PermissionDenied):
        services.risk_update(user=viewer, risk=risk, version=2, data={"impact": 5})

    assert Risk.objects.get(pk=risk.pk).impact == 1


def test_mitigation_actions_are_added_completed_and_deleted(program_manager, project):
    risk = RiskFactory(project=project)
    action = services.mitigation_action_create(
        user=program_manager,
        risk=risk,
        data={"description": "Second supplier", "owner": program_manager, "due_date": datetime.date(2026, 3, 1)},
    )

    services.mitigation_action_complete(user=program_manager, action=action)
    assert MitigationAction.objects.get(pk=action.pk).done_at is not None
    services.mitigation_action_reopen(user=program_manager, action=action)
    assert MitigationAction.objects.get(pk=action.pk).done_at is None
    services.mitigation_action_delete(user=program_manager, action=action)
    assert not MitigationAction.objects.exists()


def test_deleting_a_risk_deletes_its_actions(program_manager, project):
    risk = RiskFactory(project=project)
    MitigationActionFactory(risk=risk)

    services.risk_delete(user=program_manager, risk=risk)

    assert not Risk.objects.exists() and not MitigationAction.objects.exists()


def test_a_closed_risk_goes_back_to_open_only_through_reopen(program_manager, project):
    risk = RiskFactory(project=project, status="closed")

    with pytest.raises(ValidationError) as refused:
        services.risk_update(user=program_manager, risk=risk, version=1, data={"status": "open"})

    assert "status" in refused.value.error_dict
    assert Risk.objects.get(pk=risk.pk).status == "closed"
