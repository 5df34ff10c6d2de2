"""The rules of DESIGN §4, asked the way pages, API and admin ask them: ``user.has_perm(perm, obj)``."""

import pytest
import rules
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory, force_authenticate

from portfolio.core import roles
from portfolio.core.api.permissions import RulesPermission
from portfolio.core.permissions import MODELS, can, in_leadership, refused_changes
from portfolio.reports.models import ReportSubscription
from products.models import Feature, Product, ProductMember
from programs.models import ResourceRequest
from tests.core.factories import KeyResultFactory, ObjectiveFactory, UserFactory
from tests.products.factories import (
    CompetitorFactory,
    FeatureFactory,
    FeedbackFactory,
    MarketInsightFactory,
    MetricReadingFactory,
    ProductFactory,
    ProductMemberFactory,
    ProductMetricFactory,
    ReleaseFactory,
    ThemeFactory,
)
from tests.programs.factories import (
    AllocationFactory,
    CostEntryFactory,
    DependencyFactory,
    MilestoneFactory,
    PortfolioFactory,
    ProgramFactory,
    ProjectFactory,
    ProjectObjectiveFactory,
    ResourceFactory,
    ResourceRequestFactory,
    StatusReportFactory,
)
from tests.reports.factories import ReportDeliveryFactory, ReportSubscriptionFactory, StakeholderReportFactory
from tests.risks.factories import MitigationActionFactory, RiskFactory

pytestmark = pytest.mark.django_db

# The cast, each named after its fixture. ``product_manager`` owns the product, ``program_manager``
# manages the program, ``portfolio_owner`` owns its portfolio, ``project_manager`` manages the project
# (which delivers the product); the "other" managers hold the same role but work on something else.
CAST = [
    "product_manager",
    "product_editor",
    "product_viewer",
    "other_product_manager",
    "program_manager",
    "portfolio_owner",
    "project_manager",
    "other_program_manager",
    "leader",
    "member",
    "outsider",
    "superuser",
]
PRODUCT_EDITORS = {"product_manager", "product_editor", "superuser"}
PROGRAM_EDITORS = {"program_manager", "portfolio_owner", "superuser"}
PROJECT_EDITORS = PROGRAM_EDITORS | {"project_manager"}

PRODUCT_PARTS = {
    "productmember": lambda product: ProductMemberFactory(product=product, role=ProductMember.Role.VIEWER),
    "theme": lambda product: ThemeFactory(product=product),
    "release": lambda product: ReleaseFactory(product=product),
    "feature": lambda product: FeatureFactory(product=product),
    "feedback": lambda product: FeedbackFactory(product=product),
    "competitor": lambda product: CompetitorFactory(product=product),
    "marketinsight": lambda product: MarketInsightFactory(product=product),
    "productmetric": lambda product: ProductMetricFactory(product=product),
    "metricreading": lambda product: MetricReadingFactory(metric__product=product),
}
PROJECT_PARTS = {
    "projectobjective": lambda project: ProjectObjectiveFactory(project=project),
    "milestone": lambda project: MilestoneFactory(project=project),
    "dependency": lambda project: DependencyFactory(from_project=project),
    "costentry": lambda project: CostEntryFactory(project=project),
    "statusreport": lambda project: StatusReportFactory(project=project),
}


@pytest.fixture
def product(product_manager):
    return ProductFactory(name="Atlas", owner=product_manager)


@pytest.fixture
def product_editor(product):
    user = UserFactory(username="editor", roles=[roles.TEAM_MEMBERS])
    ProductMemberFactory(product=product, user=user, role=ProductMember.Role.EDITOR)
    return user


@pytest.fixture
def product_viewer(product):
    user = UserFactory(username="viewer", roles=[roles.TEAM_MEMBERS])
    ProductMemberFactory(product=product, user=user, role=ProductMember.Role.VIEWER)
    return user


@pytest.fixture
def other_product_manager():
    user = UserFactory(username="other-pm", roles=[roles.PRODUCT_MANAGERS])
    ProductFactory(owner=user)
    return user


@pytest.fixture
def portfolio_owner():
    """Owns the portfolio; ownership alone is what gives the rights, no role needed."""
    return UserFactory(username="pmo")


@pytest.fixture
def portfolio(portfolio_owner):
    return PortfolioFactory(owner=portfolio_owner)


@pytest.fixture
def program(portfolio, program_manager):
    return ProgramFactory(portfolio=portfolio, manager=program_manager)


@pytest.fixture
def project(program, product):
    return ProjectFactory(
        program=program, product=product, manager=UserFactory(username="lead", roles=[roles.TEAM_MEMBERS])
    )


@pytest.fixture
def project_manager(project):
    return project.manager


@pytest.fixture
def other_program_manager():
    user = UserFactory(username="other-pgm", roles=[roles.PROGRAM_MANAGERS])
    ProgramFactory(manager=user)
    return user


@pytest.fixture
def cast(request, project):
    """Every member of the cast, with the whole world (product, portfolio, program, project) in place."""
    return {name: request.getfixturevalue(name) for name in CAST}


def concrete_models():
    """Every model of the five apps, leaving out the history tables django-simple-history generates."""
    return [
        model
        for label in MODELS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.model_name.startswith("historical")
    ]


# --- Reading --------------------------------------------------------------------------------------


def test_every_model_has_view_add_change_and_delete_rules():
    for model in concrete_models():
        opts = model._meta
        for verb in ("view", "add", "change", "delete"):
            assert rules.perm_exists(f"{opts.app_label}.{verb}_{opts.model_name}"), opts.label


@pytest.mark.parametrize("who", CAST)
def test_every_signed_in_user_reads_everything(cast, product, project, who):
    user = cast[who]
    for model in concrete_models():
        opts = model._meta
        assert user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
        assert user.has_module_perms(opts.app_label)
    assert user.has_perm("products.view_product", product)
    assert user.has_perm("programs.view_project", project)


def test_anonymous_users_may_do_nothing(product):
    anonymous = AnonymousUser()
    assert not anonymous.has_perm("products.view_product")
    assert not anonymous.has_perm("products.change_product", product)
    assert not anonymous.has_perm("products.add_feature", product)
    assert not anonymous.has_perm("products.add_feature")
    assert not anonymous.has_perm("reports.add_reportsubscription")


# --- Products -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", CAST)
def test_owner_and_editor_members_edit_the_product(cast, product, who):
    assert cast[who].has_perm("products.change_product", product) is (who in PRODUCT_EDITORS)


@pytest.mark.parametrize("who", CAST)
def test_only_the_owner_deletes_a_product(cast, product, who):
    assert cast[who].has_perm("products.delete_product", product) is (who in {"product_manager", "superuser"})


@pytest.mark.parametrize("who", CAST)
def test_product_managers_add_products(cast, who):
    allowed = who in {"product_manager", "other_product_manager", "superuser"}
    assert cast[who].has_perm("products.add_product") is allowed


@pytest.mark.parametrize("who", CAST)
def test_owner_and_editor_members_edit_everything_under_the_product(cast, product, who):
    user, allowed = cast[who], who in PRODUCT_EDITORS
    for model, make in PRODUCT_PARTS.items():
        part = make(product)
        assert user.has_perm(f"products.add_{model}", product) is allowed, model
        assert user.has_perm(f"products.change_{model}", part) is allowed, model
        assert user.has_perm(f"products.delete_{model}", part) is allowed, model


def test_a_metric_reading_may_also_be_added_with_its_metric_as_parent(product, product_editor, other_product_manager):
    metric = ProductMetricFactory(product=product)
    assert product_editor.has_perm("products.add_metricreading", metric)
    assert not other_product_manager.has_perm("products.add_metricreading", metric)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("product_manager", True),
        ("product_editor", True),  # edits a product, even without the role
        ("product_viewer", False),
        ("program_manager", False),
        ("leader", False),
        ("member", False),
        ("outsider", False),
    ],
)
def test_without_a_parent_adding_asks_whether_the_user_may_add_to_some_product(request, product, who, allowed):
    user = request.getfixturevalue(who)
    assert user.has_perm("products.add_feature") is allowed


def test_changing_or_deleting_without_an_object_is_refused_so_a_plain_admin_grants_nothing(cast):
    for who in ("product_manager", "program_manager", "portfolio_owner"):
        assert not cast[who].has_perm("products.change_feature")
        assert not cast[who].has_perm("programs.change_project")
        assert not cast[who].has_perm("programs.delete_program")


def test_editor_membership_is_read_from_prefetched_memberships_without_a_query(
    product, product_editor, product_viewer, django_assert_num_queries
):
    prefetched = Product.objects.prefetch_related("memberships").get(pk=product.pk)
    for user in (product_editor, product_viewer):
        in_leadership.test(user)  # the roles are read once per user (and request), not per object
    with django_assert_num_queries(0):
        assert can(product_editor, "products.change_product", prefetched)
        assert not can(product_viewer, "products.change_product", prefetched)


# --- Programs and projects ------------------------------------------------------------------------


@pytest.mark.parametrize("who", CAST)
def test_only_the_portfolio_owner_edits_the_portfolio(cast, portfolio, who):
    allowed = who in {"portfolio_owner", "superuser"}
    assert cast[who].has_perm("programs.change_portfolio", portfolio) is allowed
    assert cast[who].has_perm("programs.delete_portfolio", portfolio) is allowed


@pytest.mark.parametrize("who", CAST)
def test_program_managers_add_portfolios(cast, who):
    allowed = who in {"program_manager", "other_program_manager", "superuser"}
    assert cast[who].has_perm("programs.add_portfolio") is allowed


@pytest.mark.parametrize("who", CAST)
def test_programs_are_added_by_the_portfolio_owner_and_program_managers_working_in_it(cast, portfolio, who):
    # other_program_manager has the role but manages no program of this portfolio.
    assert cast[who].has_perm("programs.add_program", portfolio) is (who in PROGRAM_EDITORS)


@pytest.mark.parametrize("who", CAST)
def test_program_manager_and_portfolio_owner_edit_the_program(cast, program, who):
    assert cast[who].has_perm("programs.change_program", program) is (who in PROGRAM_EDITORS)
    assert cast[who].has_perm("programs.delete_program", program) is (who in {"portfolio_owner", "superuser"})


@pytest.mark.parametrize("who", CAST)
def test_program_editors_add_and_delete_projects_and_the_project_manager_changes_it(cast, program, project, who):
    user = cast[who]
    assert user.has_perm("programs.add_project", program) is (who in PROGRAM_EDITORS)
    assert user.has_perm("programs.change_project", project) is (who in PROJECT_EDITORS)
    assert user.has_perm("programs.delete_project", project) is (who in PROGRAM_EDITORS)


@pytest.mark.parametrize("who", CAST)
def test_program_editors_and_the_project_manager_edit_what_hangs_under_the_project(cast, project, who):
    # The project delivers the product, but product editors get no rights on the project from that.
    user, allowed = cast[who], who in PROJECT_EDITORS
    for model, make in PROJECT_PARTS.items():
        part = make(project)
        assert user.has_perm(f"programs.add_{model}", project) is allowed, model
        assert user.has_perm(f"programs.change_{model}", part) is allowed, model
        assert user.has_perm(f"programs.delete_{model}", part) is allowed, model


@pytest.mark.parametrize("who", CAST)
def test_allocations_on_a_project_are_edited_by_the_program_editors(cast, project, who):
    user, allowed = cast[who], who in PROGRAM_EDITORS
    allocation = AllocationFactory(project=project)
    assert user.has_perm("programs.add_allocation", project) is allowed
    assert user.has_perm("programs.change_allocation", allocation) is allowed
    assert user.has_perm("programs.delete_allocation", allocation) is allowed


@pytest.mark.parametrize("who", CAST)
def test_program_managers_edit_resources(cast, who):
    user, allowed = cast[who], who in {"program_manager", "other_program_manager", "superuser"}
    resource = ResourceFactory()
    assert user.has_perm("programs.add_resource") is allowed
    assert user.has_perm("programs.change_resource", resource) is allowed
    assert user.has_perm("programs.delete_resource", resource) is allowed


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("program_manager", True),
        ("other_program_manager", True),
        ("portfolio_owner", True),  # no role, but owns a portfolio
        ("project_manager", True),  # no role, but manages a project
        ("product_manager", False),
        ("leader", False),
        ("outsider", False),
    ],
)
def test_without_a_parent_adding_a_milestone_asks_whether_the_user_edits_some_project(cast, who, allowed):
    assert cast[who].has_perm("programs.add_milestone") is allowed


# --- Resource requests ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", CAST)
def test_a_product_manager_files_resource_requests_for_a_product_they_edit(cast, product, who):
    # The team member who edits the product may not: requests are a product manager's call.
    allowed = who in {"product_manager", "superuser"}
    assert cast[who].has_perm("programs.add_resourcerequest", product) is allowed


@pytest.mark.parametrize("who", CAST)
def test_program_editors_decide_resource_requests_for_their_projects(cast, product, project, who):
    request = ResourceRequestFactory(product=product, project=project, requested_by=cast["product_manager"])
    assert cast[who].has_perm("programs.decide_resourcerequest", request) is (who in PROGRAM_EDITORS)


@pytest.mark.parametrize("who", CAST)
def test_the_requester_alone_changes_or_cancels_a_pending_request(cast, product, project, who):
    request = ResourceRequestFactory(product=product, project=project, requested_by=cast["product_editor"])
    allowed = who in {"product_editor", "superuser"}
    assert cast[who].has_perm("programs.cancel_resourcerequest", request) is allowed
    assert cast[who].has_perm("programs.change_resourcerequest", request) is allowed
    assert cast[who].has_perm("programs.delete_resourcerequest", request) is (who == "superuser")


@pytest.mark.parametrize("status", [ResourceRequest.Status.APPROVED, ResourceRequest.Status.REJECTED])
def test_a_decided_request_can_no_longer_be_cancelled_by_its_requester(product_manager, status):
    request = ResourceRequestFactory(requested_by=product_manager, **{status: True})
    assert not product_manager.has_perm("programs.cancel_resourcerequest", request)
    assert not product_manager.has_perm("programs.change_resourcerequest", request)


# --- Risks ----------------------------------------------------------------------------------------

RISK_SCOPES = {"project": PROJECT_EDITORS, "program": PROGRAM_EDITORS, "product": PRODUCT_EDITORS}


@pytest.mark.parametrize("scope", RISK_SCOPES)
@pytest.mark.parametrize("who", CAST)
def test_a_risk_follows_the_project_program_or_product_it_hangs_on(request, cast, scope, who):
    user, allowed = cast[who], who in RISK_SCOPES[scope]
    target = request.getfixturevalue(scope)
    risk = RiskFactory(**{"project": None, scope: target})
    assert user.has_perm("risks.add_risk", target) is allowed
    assert user.has_perm("risks.change_risk", risk) is allowed
    assert user.has_perm("risks.delete_risk", risk) is allowed


@pytest.mark.parametrize("scope", RISK_SCOPES)
@pytest.mark.parametrize("who", CAST)
def test_mitigation_actions_follow_their_risk(request, cast, scope, who):
    user, allowed = cast[who], who in RISK_SCOPES[scope]
    risk = RiskFactory(**{"project": None, scope: request.getfixturevalue(scope)})
    action = MitigationActionFactory(risk=risk)
    assert user.has_perm("risks.add_mitigationaction", risk) is allowed
    assert user.has_perm("risks.change_mitigationaction", action) is allowed
    assert user.has_perm("risks.delete_mitigationaction", action) is allowed


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("product_editor", True), ("project_manager", True), ("program_manager", True), ("leader", False)],
)
def test_without_a_parent_adding_a_risk_asks_whether_the_user_edits_something(cast, who, allowed):
    assert cast[who].has_perm("risks.add_risk") is allowed


def test_a_risk_cannot_be_added_to_an_object_that_carries_no_risks(product_manager, product):
    assert not product_manager.has_perm("risks.add_risk", FeatureFactory(product=product))


# --- Strategic objectives -------------------------------------------------------------------------


@pytest.mark.parametrize("who", CAST)
def test_program_managers_add_objectives_and_leadership_only_reads_them(cast, who):
    allowed = who in {"program_manager", "other_program_manager", "superuser"}
    assert cast[who].has_perm("core.add_strategicobjective") is allowed


@pytest.mark.parametrize("who", CAST)
def test_the_owner_edits_an_objective_and_its_key_results(cast, who):
    user, allowed = cast[who], who in {"program_manager", "superuser"}
    objective = ObjectiveFactory(owner=cast["program_manager"])
    key_result = KeyResultFactory(objective=objective)
    assert user.has_perm("core.change_strategicobjective", objective) is allowed
    assert user.has_perm("core.delete_strategicobjective", objective) is allowed
    assert user.has_perm("core.add_keyresult", objective) is allowed
    assert user.has_perm("core.change_keyresult", key_result) is allowed
    assert user.has_perm("core.delete_keyresult", key_result) is allowed


def test_leadership_reads_even_the_objectives_it_owns(cast):
    objective = ObjectiveFactory(owner=cast["leader"])
    assert cast["leader"].has_perm("core.view_strategicobjective", objective)
    assert not cast["leader"].has_perm("core.change_strategicobjective", objective)
    assert not cast["leader"].has_perm("core.add_keyresult", objective)


@pytest.mark.parametrize("who", CAST)
def test_only_superusers_manage_users(cast, who):
    allowed = who == "superuser"
    assert cast[who].has_perm("core.add_user") is allowed
    assert cast[who].has_perm("core.change_user", cast["outsider"]) is allowed
    assert cast[who].has_perm("core.delete_user", cast["outsider"]) is allowed


# --- Reports --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", CAST)
def test_everyone_manages_their_own_report_subscriptions_only(cast, who):
    user = cast[who]
    subscription = ReportSubscriptionFactory(recipient=cast["leader"])
    assert user.has_perm("reports.add_reportsubscription")
    assert user.has_perm("reports.change_reportsubscription", subscription) is (who in {"leader", "superuser"})
    assert user.has_perm("reports.delete_reportsubscription", subscription) is (who in {"leader", "superuser"})


@pytest.mark.parametrize("who", CAST)
def test_stakeholder_reports_and_deliveries_are_read_by_all_and_sent_by_superusers_only(cast, who):
    user, allowed = cast[who], who == "superuser"
    report = StakeholderReportFactory()
    delivery = ReportDeliveryFactory(report=report)
    assert user.has_perm("reports.view_stakeholderreport", report)
    assert user.has_perm("reports.view_reportdelivery", delivery)
    assert user.has_perm("reports.send_report") is allowed
    assert user.has_perm("reports.send_report", report) is allowed
    assert user.has_perm("reports.add_stakeholderreport") is allowed
    assert user.has_perm("reports.change_stakeholderreport", report) is allowed
    assert user.has_perm("reports.delete_reportdelivery", delivery) is allowed


# --- Superusers and the helper --------------------------------------------------------------------


def test_superusers_pass_every_rule_even_when_asked_directly(superuser, project):
    ours = [name for name in rules.permissions.permissions if name.split(".")[0] in MODELS]
    assert len(ours) > 100
    for name in ours:
        assert rules.has_perm(name, superuser, None), name
        assert rules.has_perm(name, superuser, project), name


def test_can_gives_the_same_answer_as_has_perm_and_is_safe_without_a_user(product, product_editor, outsider):
    assert can(product_editor, "products.change_product", product) is True
    assert can(outsider, "products.change_product", product) is False
    assert can(outsider, "products.view_product") is True
    assert can(None, "products.view_product") is False


# --- RulesPermission (DRF) ------------------------------------------------------------------------


class FakeView:
    """What RulesPermission reads from a viewset: its queryset, ``detail``, ``action`` and the hooks."""

    def __init__(self, model, *, detail, action=None, action_permissions=None, parent=None):
        self.queryset = model.objects.all()
        self.detail = detail
        self.action = action
        self.action_permissions = action_permissions or {}
        if parent is not None:
            self.get_permission_object_for_create = lambda request: parent


def api_request(method, user=None, data=None):
    django_request = getattr(APIRequestFactory(), method.lower())("/", data, format="json")
    if user is not None:
        force_authenticate(django_request, user=user)
    return Request(django_request)


@pytest.mark.parametrize(
    ("method", "detail", "perm"),
    [
        ("GET", False, "products.view_feature"),
        ("HEAD", True, "products.view_feature"),
        ("OPTIONS", False, "products.view_feature"),
        ("POST", False, "products.add_feature"),
        ("POST", True, "products.change_feature"),
        ("PUT", True, "products.change_feature"),
        ("PATCH", True, "products.change_feature"),
        ("DELETE", True, "products.delete_feature"),
    ],
)
def test_rules_permission_maps_each_method_to_a_django_permission(outsider, method, detail, perm):
    view = FakeView(Feature, detail=detail)
    assert RulesPermission().required_permission(api_request(method, outsider), view) == perm


def test_rules_permission_refuses_unknown_methods(outsider):
    request = Request(APIRequestFactory().generic("TRACE", "/"))
    with pytest.raises(exceptions.MethodNotAllowed):
        RulesPermission().required_permission(request, FakeView(Feature, detail=False))


def test_rules_permission_lets_every_signed_in_user_read_and_no_anonymous_one(outsider, product):
    permission, feature = RulesPermission(), FeatureFactory(product=product)
    assert permission.has_permission(api_request("GET", outsider), FakeView(Feature, detail=False))
    assert permission.has_object_permission(api_request("GET", outsider), FakeView(Feature, detail=True), feature)
    assert not permission.has_permission(api_request("GET"), FakeView(Feature, detail=False))


def test_rules_permission_without_a_create_hook_asks_whether_the_user_may_add_some(product_manager, outsider):
    view = FakeView(Feature, detail=False)
    assert RulesPermission().has_permission(api_request("POST", product_manager), view)
    assert not RulesPermission().has_permission(api_request("POST", outsider), view)


def test_rules_permission_checks_creation_against_the_parent_from_the_create_hook(
    product, product_editor, other_product_manager
):
    view = FakeView(Feature, detail=False, parent=product)
    assert RulesPermission().has_permission(api_request("POST", product_editor, {"product": product.pk}), view)
    assert not RulesPermission().has_permission(api_request("POST", other_product_manager), view)


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_rules_permission_decides_writes_on_the_object(product, product_editor, product_viewer, method):
    permission, view, feature = RulesPermission(), FakeView(Feature, detail=True), FeatureFactory(product=product)
    # Every signed-in user gets past the first check; the object decides (and a refusal is a 403).
    assert permission.has_permission(api_request(method, product_viewer), view)
    assert permission.has_object_permission(api_request(method, product_editor), view, feature)
    assert not permission.has_object_permission(api_request(method, product_viewer), view, feature)


def test_rules_permission_lets_only_the_owner_delete_a_product(product, product_manager, product_editor):
    view = FakeView(Product, detail=True)
    assert RulesPermission().has_object_permission(api_request("DELETE", product_manager), view, product)
    assert not RulesPermission().has_object_permission(api_request("DELETE", product_editor), view, product)


def test_rules_permission_uses_the_permission_a_custom_action_declares(cast, product, project):
    view = FakeView(
        ResourceRequest,
        detail=True,
        action="approve",
        action_permissions={"approve": "programs.decide_resourcerequest"},
    )
    request_row = ResourceRequestFactory(product=product, project=project, requested_by=cast["product_manager"])
    permission = RulesPermission()
    assert permission.required_permission(api_request("POST"), view) == "programs.decide_resourcerequest"
    assert permission.has_object_permission(api_request("POST", cast["program_manager"]), view, request_row)
    assert not permission.has_object_permission(api_request("POST", cast["product_manager"]), view, request_row)


def test_rules_permission_checks_a_collection_action_before_the_view_runs(superuser, leader):
    view = FakeView(
        ReportSubscription, detail=False, action="send_now", action_permissions={"send_now": "reports.send_report"}
    )
    assert RulesPermission().has_permission(api_request("POST", superuser), view)
    assert not RulesPermission().has_permission(api_request("POST", leader), view)


def test_rules_permission_sees_an_object_in_the_url_of_a_plain_generic_view():
    class GenericView:
        queryset = Feature.objects.all()
        lookup_field = "pk"
        kwargs = {"pk": 1}

    assert RulesPermission.acts_on_object(GenericView())
    GenericView.kwargs = {}
    assert not RulesPermission.acts_on_object(GenericView())


# --- Handing over, leadership, subscriptions, parents -------------------------------------------


def test_an_editor_member_may_not_make_themselves_the_products_owner(product, product_editor, product_manager):
    product.owner = product_editor
    errors = refused_changes(product_editor, product, {})
    assert list(errors) == ["owner"]
    assert not product_editor.has_perm("products.delete_product", Product.objects.get(pk=product.pk))


def test_the_product_owner_hands_the_product_over(product, product_manager, product_editor):
    product.owner = product_editor
    assert refused_changes(product_manager, product, {}) == {}


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("project_manager", False), ("program_manager", True), ("portfolio_owner", True), ("superuser", True)],
)
def test_a_project_changes_hands_only_through_its_program_or_portfolio(cast, project, who, allowed):
    project.manager = cast["outsider"]
    assert (refused_changes(cast[who], project, {}) == {}) is allowed


@pytest.mark.parametrize(("who", "allowed"), [("program_manager", True), ("portfolio_owner", True), ("member", False)])
def test_a_program_changes_hands_through_its_manager_or_the_portfolio_owner(cast, program, who, allowed):
    program.manager = cast["other_program_manager"]
    assert (refused_changes(cast[who], program, {}) == {}) is allowed


def test_a_new_parent_must_allow_the_object_and_keeping_the_old_one_needs_nothing_more(cast, product):
    feature = FeatureFactory(product=product)
    other = Product.objects.exclude(pk=product.pk).get(owner=cast["other_product_manager"])
    assert refused_changes(cast["product_editor"], feature, {"product": product}) == {}
    feature.product = other
    assert list(refused_changes(cast["product_editor"], feature, {"product": other})) == ["product"]
    assert refused_changes(cast["other_product_manager"], FeatureFactory.build(product=other), {"product": other}) == {}


def test_leadership_writes_nothing_even_what_it_owns_or_edits(leader, product, program, project):
    PortfolioFactory(owner=leader)
    program.portfolio.owner = leader
    program.portfolio.save()
    ProductMemberFactory(product=product, user=leader, role=ProductMember.Role.EDITOR)
    request = ResourceRequestFactory(product=product, project=project)
    assert not leader.has_perm("programs.change_program", program)
    assert not leader.has_perm("programs.change_project", project)
    assert not leader.has_perm("programs.decide_resourcerequest", request)
    assert not leader.has_perm("products.change_product", product)
    assert not leader.has_perm("products.add_feature", product)
    assert not leader.has_perm("programs.change_portfolio", program.portfolio)


@pytest.mark.parametrize("who", CAST)
def test_everyone_subscribes_themselves(cast, who):
    user = cast[who]
    assert user.has_perm("reports.add_reportsubscription", ReportSubscriptionFactory.build(recipient=user))


@pytest.mark.parametrize("who", CAST)
def test_only_managers_and_admins_subscribe_others_to_what_they_manage(cast, program, product, who):
    user, someone = cast[who], cast["outsider"]
    to_program = ReportSubscriptionFactory.build(recipient=someone, program=program)
    to_product = ReportSubscriptionFactory.build(recipient=someone, product=product)
    to_organisation = ReportSubscriptionFactory.build(recipient=someone)
    assert user.has_perm("reports.add_reportsubscription", to_program) is (
        who in {"program_manager", "portfolio_owner", "superuser", "outsider"}
    )
    assert user.has_perm("reports.add_reportsubscription", to_product) is (
        who in {"product_manager", "superuser", "outsider"}
    )
    assert user.has_perm("reports.add_reportsubscription", to_organisation) is (who in {"superuser", "outsider"})
