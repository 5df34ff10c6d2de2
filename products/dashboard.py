"""The product dashboard's figures, one function each, read by its page and ``GET products/{id}/dashboard/`` alike.

- ``dashboard_features_by_quarter``: the features by status per quarter of their end date (one query);
- ``dashboard_top_demand``: the ten features most asked for (``selectors.product_top_demand_features``);
- ``dashboard_feedback_trend``: the feedback received per calendar month, by sentiment (one query);
- ``dashboard_kpis``: every KPI's latest reading against its target (``selectors.product_metric_trends``).

Each figure is counted by the database (grouped rows, never one row per feature or feedback), so the dashboard
runs the same few queries whatever the product holds.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, CharField, Count, Value, When
from django.utils import timezone

from products import selectors
from products.models import Feature, Feedback, Product
from products.selectors import MetricTrend, Quarter

# How many features the "most requested" chart shows, and how many months the feedback trend covers.
TOP_DEMAND = 10
FEEDBACK_MONTHS = 12
# The buckets of features outside the quarters shown: due before the first, after the last, or without an end date.
EARLIER, LATER, UNDATED = "earlier", "later", "undated"
STATUS_CHOICES = Feature.Status.choices
SENTIMENT_CHOICES = Feedback.Sentiment.choices
STATUSES = [value for value, _label in STATUS_CHOICES]
SENTIMENTS = [value for value, _label in SENTIMENT_CHOICES]


def _local_today() -> datetime.date:
    return timezone.localtime(timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()


@dataclass
class QuarterColumn:
    """One column of the features chart: a quarter (or the bucket before, after or without a date) and its counts."""

    key: str  # "2026-Q4", "earlier", "later" or "undated"
    label: str
    start: datetime.date | None
    end: datetime.date | None
    counts: dict[str, int] = field(default_factory=dict)  # status -> features

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def dashboard_quarters(*, today: datetime.date) -> list[Quarter]:
    """The quarters the dashboard shows: those of the roadmap's timeline (the one before today's, then four)."""
    return selectors.roadmap_window(today=today)


def dashboard_features_by_quarter(*, product: Product, today: datetime.date | None = None) -> list[QuarterColumn]:
    """The product's features counted by status and by the quarter their end date falls in (one query).

    The roadmap's quarters, then ``earlier`` (ending before the first), ``later`` (after the last) and
    ``undated`` (no end date), so that every feature is counted once.
    """
    today = today or _local_today()
    quarters = dashboard_quarters(today=today)
    first, last = quarters[0].start, quarters[-1].end
    bucket = Case(
        When(end_date__isnull=True, then=Value(UNDATED)),
        When(end_date__lt=first, then=Value(EARLIER)),
        When(end_date__gt=last, then=Value(LATER)),
        *(When(end_date__range=(q.start, q.end), then=Value(q.key)) for q in quarters),
        output_field=CharField(),
    )
    rows = (
        Feature.objects.filter(product=product)
        .order_by()
        .annotate(bucket=bucket)
        .values("bucket", "status")
        .annotate(n=Count("id"))
    )
    day = datetime.timedelta(days=1)
    columns = [QuarterColumn(EARLIER, f"Before {quarters[0].label}", None, first - day)]
    columns += [QuarterColumn(q.key, q.label, q.start, q.end) for q in quarters]
    columns += [
        QuarterColumn(LATER, f"After {quarters[-1].label}", last + day, None),
        QuarterColumn(UNDATED, "No end date", None, None),
    ]
    for column in columns:
        column.counts = dict.fromkeys(STATUSES, 0)
    by_key = {column.key: column for column in columns}
    for row in rows:
        by_key[row["bucket"]].counts[row["status"]] = row["n"]
    return columns


def dashboard_top_demand(*, product: Product) -> list[Feature]:
    """The ten features most asked for in feedback (demand, then number of items); none without any (one query)."""
    return selectors.product_top_demand_features(product=product, limit=TOP_DEMAND)


@dataclass
class FeedbackMonthCounts:
    """The feedback one calendar month brought, by sentiment."""

    month: datetime.date  # its first day
    counts: dict[str, int]  # sentiment -> items

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def label(self) -> str:
        return self.month.strftime("%b %Y")

    @property
    def end(self) -> datetime.date:
        """The month's first day of the next month (the ``received_before`` of its list)."""
        return _next_month(self.month)


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def feedback_months(*, today: datetime.date, count: int = FEEDBACK_MONTHS) -> list[datetime.date]:
    """The first days of the ``count`` calendar months that end with ``today``'s, oldest first."""
    index = today.year * 12 + today.month - 1
    return [datetime.date((index - n) // 12, (index - n) % 12 + 1, 1) for n in range(count - 1, -1, -1)]


def dashboard_feedback_trend(*, product: Product, today: datetime.date | None = None) -> list[FeedbackMonthCounts]:
    """The feedback ``product`` received in each of the last twelve months (organisation time zone), by sentiment.

    Archived items count too: they were received. One query.
    """
    today = today or _local_today()
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    months = feedback_months(today=today)
    starts = [datetime.datetime(m.year, m.month, m.day, tzinfo=zone) for m in [*months, _next_month(months[-1])]]
    bucket = Case(
        *(
            When(received_at__gte=start, received_at__lt=following, then=Value(month.isoformat()))
            for month, start, following in zip(months, starts, starts[1:], strict=False)
        ),
        output_field=CharField(),
    )
    rows = (
        Feedback.objects.filter(product=product, received_at__gte=starts[0], received_at__lt=starts[-1])
        .order_by()
        .annotate(bucket=bucket)
        .values("bucket", "sentiment")
        .annotate(n=Count("id"))
    )
    trend = {month.isoformat(): FeedbackMonthCounts(month, dict.fromkeys(SENTIMENTS, 0)) for month in months}
    for row in rows:
        trend[row["bucket"]].counts[row["sentiment"]] = row["n"]
    return list(trend.values())


def dashboard_kpis(*, product: Product) -> list[MetricTrend]:
    """Every KPI of the product with its recent readings, latest value and whether it meets its target (two queries)."""
    return selectors.product_metric_trends(product=product, last=selectors.OVERVIEW_READINGS)


def product_dashboard(*, product: Product, today: datetime.date | None = None) -> dict:
    """Every figure of the product dashboard (six queries whatever the product holds)."""
    today = today or _local_today()
    return {
        "today": today,
        "features_by_quarter": dashboard_features_by_quarter(product=product, today=today),
        "top_demand": dashboard_top_demand(product=product),
        "feedback_trend": dashboard_feedback_trend(product=product, today=today),
        "kpis": dashboard_kpis(product=product),
    }
