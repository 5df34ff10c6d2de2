"""``manage.py seed_demo`` builds a believable, deterministic demo organisation and is safe to run twice."""

import datetime
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from portfolio.core import roles
from portfolio.core.models import User
from portfolio.demo.organisation import seed_organisation
from portfolio.reports.models import ReportSubscription
from products import selectors
from products.models import Feature, Feedback, MarketInsight, Product
from programs.models import Dependency, Milestone, Portfolio, Program, Resource, ResourceRequest, StatusReport
from programs.selectors import resource_utilization, utilization_grid
from risks.models import Risk
from tests.products.factories import ProductFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LOGINS = {
    "product.manager": [roles.PRODUCT_MANAGERS],
    "program.manager": [roles.PROGRAM_MANAGERS],
    "leader": [roles.LEADERSHIP],
    "member": [roles.TEAM_MEMBERS],
}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows of every model, history tables included."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def severity(score: int) -> str:
    return "low" if score <= 4 else "medium" if score <= 9 else "high" if score <= 14 else "critical"


def has_blocking_cycle() -> bool:
    edges = defaultdict(set)
    for source, target in Dependency.objects.filter(kind="blocks").values_list("from_project", "to_project"):
        edges[source].add(target)
    state: dict[int, str] = {}

    def visit(node: int) -> bool:
        state[node] = "open"
        for target in edges[node]:
            if state.get(target) == "open" or (target not in state and visit(target)):
                return True
        state[node] = "done"
        return False

    return any(visit(node) for node in list(edges) if node not in state)


def test_seed_demo_builds_the_organisation_and_a_second_run_changes_nothing():
    output = seed("--force", "--password", "x")
    today = timezone.localdate()

    assert Portfolio.objects.count() == 2
    assert Program.objects.count() == 5
    assert 6 <= Product.objects.count() <= 8
    assert 140 <= Feature.objects.count() <= 160
    assert set(Feature.objects.values_list("horizon", flat=True)) == {"now", "next", "later"}
    assert 380 <= Feedback.objects.count() <= 420
    assert {"Enterprise", "Mid-market", "SMB", "Public sector"} <= set(
        Feedback.objects.values_list("segment", flat=True)
    )
    links = Feedback.features.through.objects.values_list("feedback__product", "feature__product", "feedback")
    assert all(feedback_product == feature_product for feedback_product, feature_product, _ in links)
    assert max(Counter(feedback for *_, feedback in links).values()) <= 3

    risks = list(Risk.objects.all())
    assert 55 <= len(risks) <= 65
    assert {severity(risk.score) for risk in risks} == {"low", "medium", "high", "critical"}
    assert all(
        Risk.objects.filter(**{f"{scope}__isnull": False}).exists() for scope in ("project", "program", "product")
    )

    assert Milestone.objects.filter(due_date__lt=today, completed_on__isnull=True).count() >= 3
    assert not has_blocking_cycle()
    assert StatusReport.objects.filter(status="published", period_end__gte=today - datetime.timedelta(weeks=4)).exists()
    assert {"pending", "approved", "rejected"} <= set(ResourceRequest.objects.values_list("status", flat=True))
    assert not ResourceRequest.objects.filter(status="approved", allocation__isnull=True).exists()

    rows = resource_utilization(
        resources_qs=Resource.objects.all(), start=today - datetime.timedelta(weeks=30), weeks=70
    )
    over = {row["resource"].name for row in rows if any(week["over"] for week in row["weeks"])}
    assert len(over) == 2
    # The heat map of this quarter: someone at 120 % for weeks, and a function near full.
    grid = utilization_grid(start=today, end=today + datetime.timedelta(weeks=12))
    assert any(cell["percent"] == 120 for row in grid["rows"] for cell in row["cells"])
    assert any(week["average"] >= 90 for total in grid["totals"] for week in total["weeks"])

    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("x")
    for username, expected_roles in LOGINS.items():
        assert User.objects.get(username=username).roles == expected_roles
    assert User.objects.get(username="product.manager").owned_products.count() >= 2
    assert User.objects.get(username="program.manager").managed_programs.exists()
    leader_subscriptions = ReportSubscription.objects.filter(recipient__username="leader")
    assert set(leader_subscriptions.values_list("frequency", flat=True)) == {"weekly", "monthly"}
    assert leader_subscriptions.filter(portfolio__isnull=True).exists()
    assert leader_subscriptions.filter(portfolio__isnull=False).exists()
    assert "product.manager" in output and "'x'" in output

    counts = row_counts()
    seed("--force", "--password", "x")
    assert row_counts() == counts

    # Later days move the anchor, yet nothing is added either.
    seed_organisation(password="x", today=today + datetime.timedelta(days=10))
    assert row_counts() == counts

    output = seed("--force", "--if-empty")
    assert "nothing seeded" in output
    assert row_counts() == counts


def test_seed_demo_refuses_to_run_with_debug_off_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed("--password", "x")
    assert not Product.objects.exists()
    assert not User.objects.filter(username="admin").exists()


def test_seed_demo_if_empty_leaves_a_database_with_products_alone(settings, member):
    settings.DEBUG = True
    ProductFactory(owner=member)

    output = seed("--if-empty")

    assert "nothing seeded" in output
    assert Product.objects.count() == 1
    assert not User.objects.filter(username="admin").exists()


def test_seed_demo_rejects_an_empty_password(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="empty"):
        seed("--password", "")
    assert not Product.objects.exists()


def test_some_demo_features_have_a_history_of_changes_by_their_product_manager_and_customers_quotes():
    seed_organisation(password="x")

    changed = Feature.history.filter(history_type="~")
    showcased = Feature.objects.filter(pk__in=changed.values("id")).select_related("product")
    # Four per product that has features and feedback (the archived product has neither).
    assert showcased.count() >= 4 * Product.objects.filter(features__isnull=False).distinct().count() - 2
    for feature in showcased:
        saves = list(feature.history.order_by("history_date"))
        assert {save.history_user for save in saves} == {feature.product.owner}
        assert len({save.history_date for save in saves}) == len(saves) == 4  # created, re-scored, moved, stepped
        assert saves[1].reach != saves[0].reach and saves[2].horizon != saves[1].horizon
        assert saves[3].status != saves[2].status
    assert sum(1 for feature in showcased if feature.feedback.exclude(body="").exists()) >= len(showcased) // 2


def test_every_demo_product_has_a_market_of_competitors_and_insights_linked_to_its_features():
    seed_organisation(password="x")

    flow = Product.objects.get(slug="flow")
    assert flow.competitors.count() >= 4
    assert {c.threat_level for c in flow.competitors.all()} == {"low", "medium", "high"}
    assert {i.kind for i in flow.insights.all()} == {"opportunity", "trend", "threat", "customer-need"}
    for product in Product.objects.filter(archived_at__isnull=True):
        assert product.competitors.exists() and product.insights.exists(), product.slug
        linked = MarketInsight.features.through.objects.filter(marketinsight__product=product)
        assert linked.exists() and not linked.exclude(feature__product=product).exists(), product.slug


def test_each_demo_product_with_feedback_has_kpis_on_and_off_target_and_feedback_this_month():
    seed_organisation(password="x")

    trends = []
    for product in Product.objects.filter(archived_at__isnull=True):
        kpis = selectors.product_metric_trends(product=product)
        assert 2 <= len(kpis) <= 3, product.slug
        assert all(len(trend.readings) == 12 for trend in kpis), product.slug
        trends += kpis
        if product.feedback.exists():
            assert selectors.feedback_this_month(product=product).total > 0, product.slug
    assert {trend.on_target for trend in trends} == {True, False}


def test_the_core_platform_portfolio_has_a_late_project_and_an_archived_one():
    seed_organisation(password="x")
    today = timezone.localdate()
    core = Portfolio.objects.get(name="Core Platform")

    late = Milestone.objects.filter(
        project__program__portfolio=core, is_key=True, completed_on__isnull=True, due_date__lt=today
    )
    archived = core.programs.filter(projects__archived_at__isnull=False)

    assert late.exists()
    assert archived.exists()
    assert core.owner.username == "program.manager"


def test_the_archive_holds_two_sent_core_platform_reports_the_second_showing_what_changed():
    from portfolio.reports.models import ReportDelivery, StakeholderReport

    seed_organisation(password="x")
    core = Portfolio.objects.get(name="Core Platform")
    first, second = StakeholderReport.objects.filter(portfolio=core).order_by("period_start")

    assert second.data["previous"]["period_key"] == first.period_key
    assert second.data["changes"]["milestones_hit"]["count"] == 1
    assert second.data["changes"]["risks_closed"]["count"] == 1
    assert ReportDelivery.objects.filter(report__in=[first, second], status="sent").count() == 2
    # The steering committee: the portfolio's owner subscribed its program managers.
    assert (
        ReportSubscription.objects.filter(portfolio=core, created_by=core.owner).exclude(recipient=core.owner).exists()
    )
