"""The world the access matrix asks about: one cast of users, and an own and a foreign object of every model.

"Own" objects hang on the product the editor and viewer are members of (``atlas``) or on the program the
program manager runs (``core``); "foreign" ones on another product manager's product (``zephyr``) or another
program manager's program (``growth``). Every signed-in member of the cast is staff, so that the admin
answers from the rules and not from the staff flag alone.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.utils import timezone
from django_celery_results.models import GroupResult, TaskResult
from rest_framework.authtoken.models import Token

from portfolio.core import roles
from products.models import ProductMember
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

# The columns of the matrix, in order.
USERS = ("anon", "norole", "member", "editor", "viewer", "other_pm", "pgm", "other_pgm", "leader", "super")
PASSWORD = "matrix-pw"


def _user(username, *role_names, **extra):
    user = UserFactory(username=username, is_staff=True, **extra)
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in role_names))
    return user


def _system_rows(number: int) -> dict:
    """Rows of the other apps' models that the admin shows: task results and sign-in lockouts."""
    now = timezone.now()
    attempt = {"username": f"someone{number}", "ip_address": "127.0.0.9", "user_agent": "test", "path_info": "/"}
    return {
        "django_celery_results.taskresult": TaskResult.objects.create(task_id=f"task-{number}"),
        "django_celery_results.groupresult": GroupResult.objects.create(group_id=f"group-{number}"),
        "axes.accessattempt": AccessAttempt.objects.create(
            **attempt, attempt_time=now, failures_since_start=3, get_data="", post_data="", http_accept=""
        ),
        "axes.accesslog": AccessLog.objects.create(**attempt, attempt_time=now, http_accept=""),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**attempt, attempt_time=now, http_accept=""),
    }


def build_world() -> dict:
    """Create the cast and the objects; return ``{"users": {column: user}, "own": {...}, "foreign": {...}}``."""
    users = {
        "anon": None,
        "norole": _user("norole"),
        "member": _user("member", roles.TEAM_MEMBERS),
        "editor": _user("editor", roles.TEAM_MEMBERS),
        "viewer": _user("viewer", roles.TEAM_MEMBERS),
        "other_pm": _user("other_pm", roles.PRODUCT_MANAGERS),
        "pgm": _user("pgm", roles.PROGRAM_MANAGERS),
        "other_pgm": _user("other_pgm", roles.PROGRAM_MANAGERS),
        "leader": _user("leader", roles.LEADERSHIP),
        "super": _user("super", is_superuser=True),
    }
    owner_pm = UserFactory(username="atlas_owner", roles=[roles.PRODUCT_MANAGERS])
    atlas = ProductFactory(name="Atlas", owner=owner_pm)
    zephyr = ProductFactory(name="Zephyr", owner=users["other_pm"])
    ProductMemberFactory(product=atlas, user=users["editor"], role=ProductMember.Role.EDITOR)
    ProductMemberFactory(product=atlas, user=users["viewer"], role=ProductMember.Role.VIEWER)
    # Leadership owns the program manager's portfolio and edits a product, and still only reads.
    ProductMemberFactory(product=atlas, user=users["leader"], role=ProductMember.Role.EDITOR)
    core_portfolio = PortfolioFactory(name="Core", owner=users["leader"])
    growth_portfolio = PortfolioFactory(name="Growth", owner=users["other_pgm"])
    core = ProgramFactory(name="Core program", portfolio=core_portfolio, manager=users["pgm"])
    growth = ProgramFactory(name="Growth program", portfolio=growth_portfolio, manager=users["other_pgm"])
    lead = UserFactory(username="project_lead", roles=[roles.TEAM_MEMBERS])
    own_project = ProjectFactory(name="Atlas delivery", program=core, product=atlas, manager=lead)
    foreign_project = ProjectFactory(name="Zephyr delivery", program=growth, product=zephyr, manager=lead)
    spare_own = ProjectFactory(name="Atlas ops", program=core, manager=lead)
    spare_foreign = ProjectFactory(name="Zephyr ops", program=growth, manager=lead)

    def product_side(product):
        theme = ThemeFactory(product=product)
        release = ReleaseFactory(product=product)
        feature = FeatureFactory(product=product, theme=theme, release=release)
        metric = ProductMetricFactory(product=product)
        return {
            "products.product": product,
            "products.productmember": ProductMemberFactory(product=product, role=ProductMember.Role.VIEWER),
            "products.theme": theme,
            "products.release": release,
            "products.feature": feature,
            "products.feedback": FeedbackFactory(product=product),
            "products.competitor": CompetitorFactory(product=product),
            "products.marketinsight": MarketInsightFactory(product=product),
            "products.productmetric": metric,
            "products.metricreading": MetricReadingFactory(metric=metric),
        }

    def program_side(portfolio, program, project, spare, objective_owner, product, requester):
        objective = ObjectiveFactory(owner=objective_owner)
        risk = RiskFactory(project=project)
        return {
            "core.strategicobjective": objective,
            "core.keyresult": KeyResultFactory(objective=objective),
            "programs.portfolio": portfolio,
            "programs.program": program,
            "programs.project": project,
            "programs.projectobjective": ProjectObjectiveFactory(project=project, objective=objective),
            "programs.milestone": MilestoneFactory(project=project),
            "programs.dependency": DependencyFactory(from_project=project, to_project=spare),
            "programs.resource": ResourceFactory(),
            "programs.allocation": AllocationFactory(project=project),
            "programs.resourcerequest": ResourceRequestFactory(
                product=product, project=project, requested_by=requester
            ),
            "programs.costentry": CostEntryFactory(project=project),
            "programs.statusreport": StatusReportFactory(project=project),
            "risks.risk": risk,
            "risks.mitigationaction": MitigationActionFactory(risk=risk),
        }

    own = {
        **product_side(atlas),
        **program_side(core_portfolio, core, own_project, spare_own, users["pgm"], atlas, owner_pm),
        "core.user": users["member"],
        "auth.group": Group.objects.get(name=roles.TEAM_MEMBERS),
        "authtoken.tokenproxy": Token.objects.create(user=users["member"]),
    }
    foreign = {
        **product_side(zephyr),
        **program_side(
            growth_portfolio, growth, foreign_project, spare_foreign, users["other_pgm"], zephyr, users["other_pm"]
        ),
        "core.user": users["other_pm"],
        "auth.group": Group.objects.get(name=roles.PRODUCT_MANAGERS),
        "authtoken.tokenproxy": Token.objects.create(user=users["other_pm"]),
    }
    # A subscription is its recipient's: the leader's own, and someone else's (not in the cast).
    own["reports.reportsubscription"] = ReportSubscriptionFactory(recipient=users["leader"], portfolio=core_portfolio)
    foreign["reports.reportsubscription"] = ReportSubscriptionFactory(recipient=owner_pm, product=zephyr)
    for number, side in enumerate((own, foreign)):
        side |= _system_rows(number)
    for side in (own, foreign):
        report = StakeholderReportFactory(pdf=b"%PDF-1.4 a report")
        side["reports.stakeholderreport"] = report
        side["reports.reportdelivery"] = ReportDeliveryFactory(
            report=report, subscription=side["reports.reportsubscription"]
        )
    return {"users": users, "own": own, "foreign": foreign}
