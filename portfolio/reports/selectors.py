"""Reads of the reports app: the home page, subscriptions and the report archive."""

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Length

from portfolio.core.models import User
from portfolio.reports.models import ReportSubscription, StakeholderReport
from products.models import Product, ProductMember
from programs.models import Program


def home_products(*, user: User) -> list[Product]:
    """Products the user owns or is a member of (not archived), with ``feature_count`` and the user's ``my_role``."""
    membership = ProductMember.objects.filter(product=OuterRef("pk"), user=user)
    return list(
        Product.objects.filter(Q(owner=user) | Exists(membership), archived_at__isnull=True)
        .annotate(
            feature_count=Count("features"),
            my_role=Case(
                When(owner=user, then=Value("Owner")),
                default=Subquery(membership.values("role")[:1]),
                output_field=CharField(),
            ),
        )
        .order_by("name")
    )


def home_programs(*, user: User) -> list[Program]:
    """Programs the user manages or that sit in a portfolio they own, with ``project_count``."""
    return list(
        Program.objects.filter(Q(manager=user) | Q(portfolio__owner=user))
        .select_related("portfolio", "manager")
        .annotate(project_count=Count("projects"))
        .order_by("portfolio__name", "name")
    )


def home_subscriptions(*, user: User) -> list[ReportSubscription]:
    """The user's report subscriptions with the portfolio, program or product they cover."""
    return list(
        ReportSubscription.objects.filter(recipient=user)
        .select_related("portfolio", "program", "product")
        .order_by("-active", "-frequency", "id")  # weekly before monthly
    )


def home_summary(*, user: User) -> dict:
    """What the home page lists for the user: their products, programs and report subscriptions (3 queries)."""
    return {
        "products": home_products(user=user),
        "programs": home_programs(user=user),
        "subscriptions": home_subscriptions(user=user),
    }


def subscription_list(*, user: User) -> QuerySet[ReportSubscription]:
    """Report subscriptions the user may see: their own, or all for a superuser."""
    queryset = ReportSubscription.objects.select_related("portfolio", "program", "product")
    if not user.is_superuser:
        # By id: the schema generator calls this with an anonymous user, whose id (None) matches nobody.
        queryset = queryset.filter(recipient_id=user.pk)
    return queryset


REPORT_BODIES = ("data", "html", "text")


def report_list(*, with_bodies: bool = False) -> QuerySet[StakeholderReport]:
    """The report archive; the PDF bytes never leave the database for JSON, only their size."""
    deferred = ("pdf",) if with_bodies else ("pdf", *REPORT_BODIES)
    return StakeholderReport.objects.defer(*deferred).annotate(pdf_size=Coalesce(Length("pdf"), 0))
