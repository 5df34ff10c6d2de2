"""Reads of the reports app: the home page, subscriptions and the report archive."""

from django.db.models import Case, CharField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Length

from portfolio.core.models import User
from portfolio.reports.models import ReportDelivery, ReportSubscription, StakeholderReport
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
    """Report subscriptions the user may see: their own and those they made for others, or all for a superuser."""
    queryset = ReportSubscription.objects.select_related("portfolio", "program", "product")
    if not user.is_superuser:
        # By id: the schema generator calls this with an anonymous user, whose id (None) matches nobody.
        queryset = queryset.filter(Q(recipient_id=user.pk) | Q(created_by_id=user.pk)) if user.pk else queryset.none()
    return queryset


REPORT_BODIES = ("data", "html", "text")


def report_list(*, with_bodies: bool = False) -> QuerySet[StakeholderReport]:
    """The report archive; the PDF bytes never leave the database for JSON, only their size."""
    deferred = ("pdf",) if with_bodies else ("pdf", *REPORT_BODIES)
    return StakeholderReport.objects.defer(*deferred).annotate(pdf_size=Coalesce(Length("pdf"), 0))


def deliveries_ready(*, now) -> list[int]:
    """Pending deliveries whose next try has come (retries after an SMTP failure)."""
    ready = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return list(
        ReportDelivery.objects.filter(ready, status=ReportDelivery.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def subscriptions_for_dry_run(*, ids: list[int]) -> list[ReportSubscription]:
    """The subscriptions ``ids`` with recipient and scope, each with ``sent_periods`` (its deliveries' periods)."""
    rows = list(
        ReportSubscription.objects.filter(pk__in=ids)
        .select_related("recipient", "portfolio", "program", "product")
        .prefetch_related(
            Prefetch("deliveries", queryset=ReportDelivery.objects.only("pk", "subscription", "period_key"))
        )
        .order_by("pk")
    )
    for row in rows:
        row.sent_periods = {d.period_key for d in row.deliveries.all()}
    return rows


def report_archive() -> QuerySet[StakeholderReport]:
    """The archive page's rows: every report, newest period first, without bodies, with how many it went to."""
    return (
        report_list()
        .select_related("portfolio", "program", "product")
        .annotate(delivery_count=Count("deliveries", filter=Q(deliveries__status=ReportDelivery.Status.SENT)))
        .order_by("-period_end", "scope_key", "-pk")
    )


def report_for_archive(*, pk: int) -> StakeholderReport:
    """One report with its data and bodies (not the PDF bytes) and its scope."""
    return report_list(with_bodies=True).select_related("portfolio", "program", "product").get(pk=pk)


def report_pdf(*, pk: int) -> tuple[StakeholderReport, bytes]:
    """The report's PDF bytes as stored when it was sent."""
    report = StakeholderReport.objects.only("pk", "scope_key", "period_key", "pdf").get(pk=pk)
    return report, bytes(report.pdf or b"")


def subscription_settings(*, user: User) -> list[ReportSubscription]:
    """The subscriptions the settings page lists for the user (see ``subscription_list``), with scope and recipient."""
    return list(
        subscription_list(user=user)
        .select_related("recipient", "portfolio", "program", "product")
        .order_by("recipient__username", "-active", "id")
    )


def subscription_for_unsubscribe(*, pk: int) -> ReportSubscription | None:
    """The subscription an unsubscribe link names, with what it covers."""
    return ReportSubscription.objects.select_related("portfolio", "program", "product").filter(pk=pk).first()
