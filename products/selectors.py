"""Reads of the products app: derived figures (RICE, demand) and the querysets lists are built from."""

import calendar
import datetime
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OrderBy,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from portfolio.core.models import StrategicObjective, User
from portfolio.core.paginator import COUNT_CAP
from products.filters import FeedbackFilter
from products.models import (
    Competitor,
    Feature,
    Feedback,
    MarketInsight,
    MetricReading,
    Product,
    ProductMember,
    ProductMetric,
    Release,
    Theme,
)

CENT = Decimal("0.01")

# How much one linked piece of feedback counts towards a feature's demand.
IMPORTANCE_WEIGHTS: dict[str, int] = {
    Feedback.Importance.NICE_TO_HAVE: 1,
    Feedback.Importance.IMPORTANT: 2,
    Feedback.Importance.CRITICAL: 3,
}

# How many of a metric's most recent readings the metric list carries.
LATEST_READINGS = 12

# Default orders of the lists. They name foreign-key columns (``product_id``), not relations: ordering by
# ``product`` would join the product table and sort by its name, bypassing the (product_id, ...) indexes.
PRODUCT_ORDERING = ("name", "id")
THEME_ORDERING = ("product_id", "position", "name", "id")
RELEASE_ORDERING = ("product_id", "target_date", "name", "id")
FEATURE_ORDERING = ("product_id", "horizon", "position", "id")
FEEDBACK_ORDERING = ("-received_at", "-id")
COMPETITOR_ORDERING = ("product_id", "name", "id")
INSIGHT_ORDERING = ("product_id", "kind", "title", "id")
METRIC_ORDERING = ("product_id", "name", "id")
METRIC_READING_ORDERING = ("metric_id", "-date", "id")


# -----------------------------------------------------------------------------
# RICE
# -----------------------------------------------------------------------------
def rice_score(*, reach: int, impact: Decimal, confidence: Decimal, effort: Decimal) -> Decimal:
    """Return reach × impact × confidence / effort, rounded half-up to 2 decimals.

    The stored column ``Feature.rice_score`` (a database-generated field) is what lists
    order by; this function is for forms and previews of unsaved values and must agree
    with it. PostgreSQL stores the column as numeric(16, 2), which rounds half away from
    zero, hence ``ROUND_HALF_UP`` here (``products.models.Divide`` keeps SQLite from
    dividing integers).
    """
    effort = Decimal(effort)
    if effort <= 0:
        raise ValueError("Effort must be more than zero person-months.")
    raw = Decimal(reach) * Decimal(impact) * Decimal(confidence) / effort
    return raw.quantize(CENT, rounding=ROUND_HALF_UP)


# -----------------------------------------------------------------------------
# Feature demand
# -----------------------------------------------------------------------------
def importance_weight(importance_field: str) -> Case:
    return Case(
        *(
            When(**{importance_field: importance}, then=Value(weight))
            for importance, weight in IMPORTANCE_WEIGHTS.items()
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def _counted_links():
    """The feedback links that count towards demand: every link but those of archived feedback."""
    return Feedback.features.through.objects.exclude(feedback__status=Feedback.Status.ARCHIVED)


def demand_expressions() -> dict[str, Coalesce]:
    """``demand`` and ``demand_count`` of the feature ``OuterRef("pk")``, counted from its links.

    Correlated subqueries over the link table rather than joins, so that other annotations cannot multiply the
    rows; usable in ``annotate`` and in ``update`` alike.
    """
    links = _counted_links().filter(feature_id=OuterRef("pk")).order_by().values("feature_id")
    count = links.annotate(n=Count("feedback_id")).values("n")
    score = links.annotate(s=Sum(importance_weight("feedback__importance"))).values("s")
    return {
        "demand": Coalesce(Subquery(score, output_field=IntegerField()), 0),
        "demand_count": Coalesce(Subquery(count, output_field=IntegerField()), 0),
    }


def demand_recount(qs: QuerySet[Feature]) -> QuerySet[Feature]:
    """Annotate ``recounted_demand`` and ``recounted_demand_count``: the demand figures counted from the links.

    The stored ``Feature.demand`` and ``demand_count`` must always equal these: the feedback services keep them
    so in the transaction of each write, and ``manage.py recompute_demand`` repairs them.
    """
    expressions = demand_expressions()
    return qs.annotate(recounted_demand=expressions["demand"], recounted_demand_count=expressions["demand_count"])


def feature_demand(*, feature: Feature) -> dict[str, int]:
    """The ``count`` of (not archived) feedback linked to a feature and its importance-weighted ``score``."""
    count, score = Feature.objects.filter(pk=feature.pk).values_list("demand_count", "demand").get()
    return {"count": count, "score": score}


def demand_drift(qs: QuerySet[Feature] | None = None) -> QuerySet[Feature]:
    """The features whose stored demand differs from a recount of their links (none, if the services are right)."""
    recounted = demand_recount(Feature.objects.all() if qs is None else qs)
    return recounted.exclude(demand=F("recounted_demand"), demand_count=F("recounted_demand_count"))


# -----------------------------------------------------------------------------
# Lists (what the API and pages read; fixed number of queries whatever the rows)
# -----------------------------------------------------------------------------
def product_list() -> QuerySet[Product]:
    """Products with owner, objectives and memberships loaded."""
    return (
        Product.objects.select_related("owner")
        .prefetch_related(
            Prefetch("objectives", queryset=StrategicObjective.objects.only("id").order_by("id")),
            Prefetch("memberships", queryset=ProductMember.objects.select_related("user").order_by("user__username")),
        )
        .order_by(*PRODUCT_ORDERING)
    )


def theme_list() -> QuerySet[Theme]:
    """Roadmap themes (swimlanes)."""
    return Theme.objects.order_by(*THEME_ORDERING)


def release_list() -> QuerySet[Release]:
    """Releases."""
    return Release.objects.order_by(*RELEASE_ORDERING)


def feature_list() -> QuerySet[Feature]:
    """Features with their objectives and demand (``demand``, ``demand_count``)."""
    objectives = Prefetch("objectives", queryset=StrategicObjective.objects.only("id").order_by("id"))
    return Feature.objects.prefetch_related(objectives).order_by(*FEATURE_ORDERING)


def feature_get(*, pk: int) -> Feature:
    """One feature as the feature list reads it (objectives and demand loaded)."""
    return feature_list().get(pk=pk)


def product_by_id(*, pk: int) -> Product | None:
    """The product with id ``pk``, or None."""
    return Product.objects.filter(pk=pk).first()


def feedback_list() -> QuerySet[Feedback]:
    """Feedback with the ids of its linked features loaded."""
    features = Prefetch("features", queryset=Feature.objects.only("id").order_by("id"))
    return Feedback.objects.prefetch_related(features).order_by(*FEEDBACK_ORDERING)


def competitor_list() -> QuerySet[Competitor]:
    """Competitors, each with its ``threat_rank`` (low 1, medium 2, high 3: what "order by threat level" sorts)."""
    return with_threat_rank(Competitor.objects.all()).order_by(*COMPETITOR_ORDERING)


def insight_list() -> QuerySet[MarketInsight]:
    """Market insights with the ids of their linked features loaded."""
    features = Prefetch("features", queryset=Feature.objects.only("id").order_by("id"))
    return MarketInsight.objects.prefetch_related(features).order_by(*INSIGHT_ORDERING)


def metric_list() -> QuerySet[ProductMetric]:
    """Product metrics, each with its most recent readings (newest first) in ``latest_readings``."""
    latest = MetricReading.objects.order_by("-date")[:LATEST_READINGS]
    # A sliced prefetch is one windowed query (ROW_NUMBER per metric) for all metrics on the page.
    readings = Prefetch("readings", queryset=latest, to_attr="latest_readings")
    return ProductMetric.objects.prefetch_related(readings).order_by(*METRIC_ORDERING)


def metric_reading_list() -> QuerySet[MetricReading]:
    """Readings of product metrics."""
    return MetricReading.objects.order_by(*METRIC_READING_ORDERING)


# -----------------------------------------------------------------------------
# Product pages (list and detail; fixed number of queries whatever the rows)
# -----------------------------------------------------------------------------
# The functions of the product team, in the order the detail page shows them; other functions follow.
TEAM_FUNCTIONS = ("engineering", "design", "marketing", "sales", "support")
NO_FUNCTION = "No function given"
TOP_DEMAND = 5


def product_table() -> QuerySet[Product]:
    """Products with their owner and ``feature_count``, for the product list page."""
    # A subquery, not Count("features"): a filter joining memberships would otherwise multiply the rows.
    features = Feature.objects.filter(product_id=OuterRef("pk")).order_by().values("product_id")
    count = features.annotate(n=Count("id")).values("n")
    return (
        Product.objects.select_related("owner")
        .annotate(feature_count=Coalesce(Subquery(count, output_field=IntegerField()), 0))
        .order_by(*PRODUCT_ORDERING)
    )


def product_owners() -> QuerySet[User]:
    """Users who own at least one product, by name: the choices of the product list's owner filter."""
    owns = Product.objects.filter(owner_id=OuterRef("pk"))
    return User.objects.filter(Exists(owns)).order_by("first_name", "last_name", "username", "id")


TEAM_ORDERING = ("user__first_name", "user__last_name", "user__username", "id")


class _CountOf(Subquery):
    """``COUNT(*)`` of a (sliced) subquery's rows: a count that stops at the slice's end."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def _new_feedback_count() -> _CountOf:
    """How many of the product's feedback items wait for triage, up to ``COUNT_CAP`` + 1 (the Feedback tab's figure).

    Capped like the feedback lists' counts: at a million items an exact count on every product page would read
    every new item's index entry to print "(12,000 new)"; "(500+ new)" says as much.
    """
    new = Feedback.objects.filter(product_id=OuterRef("pk"), status=Feedback.Status.NEW).order_by().values("pk")
    return _CountOf(new[: COUNT_CAP + 1])


def product_detail(*, slug: str, with_team: bool = False) -> Product:
    """The product with this slug, its owner, objectives and ``new_feedback_count``; ``Product.DoesNotExist`` if none.

    ``with_team`` loads its memberships too, so ``product_team`` and the rules' "is an editor?" read them
    without a query each.
    """
    objectives = Prefetch("objectives", queryset=StrategicObjective.objects.select_related("owner").order_by("title"))
    related = [objectives]
    if with_team:
        team = ProductMember.objects.select_related("user").order_by(*TEAM_ORDERING)
        related.append(Prefetch("memberships", queryset=team))
    return (
        Product.objects.select_related("owner")
        .annotate(new_feedback_count=_new_feedback_count())
        .prefetch_related(*related)
        .get(slug=slug)
    )


def product_team(*, product: Product) -> list[tuple[str, list[ProductMember]]]:
    """The product's members grouped by function: engineering, design, marketing, sales, support, then the rest."""
    prefetched = getattr(product, "_prefetched_objects_cache", {})
    if "memberships" in prefetched:
        members = prefetched["memberships"]
    else:
        members = ProductMember.objects.filter(product=product).select_related("user").order_by(*TEAM_ORDERING)
    labels = dict(ProductMember._meta.get_field("function").choices)
    order = [*TEAM_FUNCTIONS, *(value for value in labels if value not in TEAM_FUNCTIONS), ""]
    groups: dict[str, list[ProductMember]] = {}
    for member in members:
        groups.setdefault(member.function, []).append(member)
    return [(labels.get(function, NO_FUNCTION), groups[function]) for function in order if function in groups]


def product_releases(*, product: Product) -> QuerySet[Release]:
    """The product's releases by target date."""
    return Release.objects.filter(product=product).order_by("target_date", "name", "id")


def product_feature_status_counts(*, product: Product) -> list[tuple[str, str, int]]:
    """``(status, label, count)`` of the product's features for every status, in the status flow's order."""
    counts = dict(Feature.objects.filter(product=product).order_by().values_list("status").annotate(n=Count("id")))
    return [(status, label, counts.get(status, 0)) for status, label in Feature.Status.choices]


def product_top_demand_features(*, product: Product, limit: int = TOP_DEMAND) -> list[Feature]:
    """The product's features most asked for in feedback (``demand``, then ``demand_count``); none without any."""
    features = Feature.objects.filter(product=product)
    return list(features.filter(demand_count__gt=0).order_by("-demand", "-demand_count", "id")[:limit])


# -----------------------------------------------------------------------------
# Deleting a product
# -----------------------------------------------------------------------------
# What a product's delete takes with it without a word: its team, themes and releases (a release or theme with
# features cannot go, as the product's features stop the delete first).
PRODUCT_PARTS = frozenset({"products.productmember", "products.theme", "products.release"})


def product_delete_blockers(*, product: Product) -> list[tuple[str, int]]:
    """``(what, how many)`` of every kind of row that refers to ``product`` and would be lost or cut off with it.

    Found from the relations themselves (features, feedback, projects, risks, report subscriptions, ...), so a
    higher layer's model that refers to products stops the delete without this app importing it.
    """
    blockers = []
    for relation in Product._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)):
            continue
        model = relation.related_model
        # History rows keep a copy of the id (DO_NOTHING); an automatic link table (objectives) is the product's.
        if relation.on_delete is models.DO_NOTHING or model._meta.auto_created:
            continue
        if model._meta.label_lower in PRODUCT_PARTS:
            continue
        count = model._base_manager.filter(**{relation.field.name: product}).count()
        if count:
            opts = model._meta
            blockers.append((str(opts.verbose_name if count == 1 else opts.verbose_name_plural), count))
    return blockers


# A product's members, themes and releases (pages and the members API; fixed number of queries)
# -----------------------------------------------------------------------------
MEMBER_ORDERING = ("product_id", "user_id", "id")


def _feature_count(field: str) -> Coalesce:
    features = Feature.objects.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(features.annotate(n=Count("id")).values("n"), output_field=IntegerField()), 0)


def product_by_slug(*, slug: str) -> Product:
    """The product with this slug and its owner (and ``new_feedback_count``); ``Product.DoesNotExist`` if none."""
    return Product.objects.select_related("owner").annotate(new_feedback_count=_new_feedback_count()).get(slug=slug)


def product_member_list() -> QuerySet[ProductMember]:
    """Memberships of products with their user loaded (the members API)."""
    return ProductMember.objects.select_related("user").order_by(*MEMBER_ORDERING)


def product_member_candidates(*, product: Product) -> QuerySet[User]:
    """Active users who are not yet members of ``product``, by name: who may be added to its team."""
    members = ProductMember.objects.filter(product=product, user_id=OuterRef("pk"))
    return (
        User.objects.filter(is_active=True)
        .exclude(Exists(members))
        .order_by("first_name", "last_name", "username", "id")
    )


def theme_table(*, product: Product) -> QuerySet[Theme]:
    """The product's themes in lane order, each with its ``feature_count``."""
    return (
        Theme.objects.filter(product=product)
        .annotate(feature_count=_feature_count("theme_id"))
        .order_by("position", "name", "id")
    )


def release_table(*, product: Product) -> QuerySet[Release]:
    """The product's releases by target date, each with its ``feature_count``."""
    return (
        Release.objects.filter(product=product)
        .annotate(feature_count=_feature_count("release_id"))
        .order_by("target_date", "name", "id")
    )


def part_feature_count(*, part: Theme | Release) -> int:
    """How many features hang on the theme or release ``part`` (what its deletion leaves without one)."""
    field = "theme" if isinstance(part, Theme) else "release"
    return Feature.objects.filter(**{field: part}).count()


# -----------------------------------------------------------------------------
# The roadmap (timeline, board, list; fixed number of queries whatever the features)
# -----------------------------------------------------------------------------
# The timeline's default window: the previous quarter, the current one and the next three.
WINDOW_BEFORE = 1
WINDOW_QUARTERS = 5
# Cards per swimlane (or per release column) that the timeline shows, and how many undated features its tray
# shows: the 10,000-feature product must open in well under a second. The rest is counted and one click away.
LANE_LIMIT = 40
TRAY_LIMIT = 20
# Cards a board column shows at first, and how many more each "show more" brings.
BOARD_PAGE = 50
# The list page's sort orders: the query value, the label and the columns (ties broken by id).
LIST_ORDERINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "-rice_score": ("RICE score, highest first", ("-rice_score", "id")),
    "rice_score": ("RICE score, lowest first", ("rice_score", "id")),
    "-demand": ("Demand, highest first", ("-demand", "-demand_count", "id")),
    "demand": ("Demand, lowest first", ("demand", "demand_count", "-id")),  # the index read backwards
    "title": ("Title, A to Z", ("title", "id")),
    "-title": ("Title, Z to A", ("-title", "-id")),
    "status": ("Status", ("status", "id")),
    "-status": ("Status, reversed", ("-status", "-id")),
}
DEFAULT_LIST_ORDERING = "-rice_score"


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter (``number`` 1–4 of ``year``)."""

    year: int
    number: int

    @classmethod
    def of(cls, day: datetime.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, key: str) -> "Quarter | None":
        """The quarter written ``2026-Q4``, or None when ``key`` is not one (years 1900–2999)."""
        match = re.fullmatch(r"([0-9]{4})-Q([1-4])", key or "")
        if not match or not 1900 <= int(match[1]) <= 2999:
            return None
        return cls(int(match[1]), int(match[2]))

    def shifted(self, quarters: int) -> "Quarter":
        index = self.year * 4 + self.number - 1 + quarters
        return Quarter(index // 4, index % 4 + 1)

    def minus(self, other: "Quarter") -> int:
        """How many quarters ``self`` is after ``other``."""
        return (self.year - other.year) * 4 + self.number - other.number

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.number * 3 - 2, 1)

    @property
    def end(self) -> datetime.date:
        return self.shifted(1).start - datetime.timedelta(days=1)

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.year}"

    def __str__(self) -> str:
        return self.label


def roadmap_window(
    *, today: datetime.date, first: Quarter | None = None, count: int = WINDOW_QUARTERS
) -> list[Quarter]:
    """The quarters the timeline shows: from ``first`` (default: the quarter before today's), ``count`` of them."""
    first = first or Quarter.of(today).shifted(-WINDOW_BEFORE)
    return [first.shifted(n) for n in range(count)]


def _shift_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months``: the same day of the month (or the month's last), a month's end to a month's end."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    at_month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return datetime.date(year, month + 1, last_day if at_month_end else min(day.day, last_day))


def shift_dates_by_quarters(
    *, start_date: datetime.date | None, end_date: datetime.date | None, quarters: int
) -> tuple[datetime.date | None, datetime.date | None]:
    """Both dates moved by whole quarters, each to the same day of its quarter (a month's end to a month's end).

    A feature that fills a quarter fills the next one (1 Oct – 31 Dec becomes 1 Jan – 31 Mar), rather than
    keeping its length in days and spilling into the quarter after.
    """
    if start_date is None:
        return start_date, end_date
    new_end = None if end_date is None else _shift_months(end_date, 3 * quarters)
    return _shift_months(start_date, 3 * quarters), new_end


def _overlapping(first: datetime.date, last: datetime.date) -> Q:
    """Features whose dates (start and end, or the one of them set) meet ``first``–``last``."""
    both = Q(start_date__lte=last, end_date__gte=first)
    only_start = Q(end_date__isnull=True, start_date__gte=first, start_date__lte=last)
    only_end = Q(start_date__isnull=True, end_date__gte=first, end_date__lte=last)
    return both | only_start | only_end


def _cards(ids: list[int]) -> list[Feature]:
    """The features ``ids`` as cards (owner, theme, release, demand loaded), in the order of ``ids``."""
    rows = Feature.objects.filter(pk__in=ids).select_related("owner", "theme", "release")
    by_id = {row.pk: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def _first_per_group(qs: QuerySet[Feature], group: str, order: tuple[str, ...], limit: int) -> list[int]:
    """The ids of the first ``limit`` features of each ``group`` value, in ``order`` within it (one query)."""
    rank = Window(
        RowNumber(),
        partition_by=[F(group)],
        order_by=[OrderBy(F(f.lstrip("-")), descending=f.startswith("-")) for f in order],
    )
    ranked = qs.annotate(lane_rank=rank).filter(lane_rank__lte=limit).order_by(group, "lane_rank")
    return list(ranked.values_list("pk", flat=True))


def _counts_per_group(qs: QuerySet[Feature], group: str) -> dict:
    return dict(qs.order_by().values_list(group).annotate(n=Count("id")))


@dataclass
class Lane:
    """A swimlane of the timeline: a theme (None: "No theme") and its first cards, with how many it has in all."""

    theme: Theme | None
    cards: list[Feature]
    total: int

    @property
    def key(self) -> str:
        return str(self.theme.pk) if self.theme else "none"

    @property
    def hidden(self) -> int:
        return self.total - len(self.cards)


def roadmap_themes(*, product: Product) -> list[Theme]:
    """The product's themes in swimlane order."""
    return list(Theme.objects.filter(product=product).order_by("position", "name", "id"))


def roadmap_lanes(*, features: QuerySet[Feature], themes: list[Theme], limit: int = LANE_LIMIT) -> list[Lane]:
    """One lane per theme plus "No theme", each with its first ``limit`` of ``features`` (lane order: position)."""
    ids = _first_per_group(features, "theme_id", ("position", "id"), limit)
    counts = _counts_per_group(features, "theme_id")
    cards: dict[int | None, list[Feature]] = {}
    for card in _cards(ids):
        cards.setdefault(card.theme_id, []).append(card)
    lanes = [Lane(theme, cards.get(theme.pk, []), counts.get(theme.pk, 0)) for theme in themes]
    lanes.append(Lane(None, cards.get(None, []), counts.get(None, 0)))
    return lanes


def roadmap_timeline(
    *, features: QuerySet[Feature], themes: list[Theme], window: list[Quarter], limit: int = LANE_LIMIT
) -> list[Lane]:
    """The timeline's lanes: only the features whose dates meet the window's quarters."""
    return roadmap_lanes(
        features=features.filter(_overlapping(window[0].start, window[-1].end)), themes=themes, limit=limit
    )


def roadmap_window_releases(*, product: Product, window: list[Quarter]) -> list[Release]:
    """The product's releases whose target date falls in the window's quarters, by target date."""
    releases = Release.objects.filter(
        product=product, target_date__gte=window[0].start, target_date__lte=window[-1].end
    )
    return list(releases.order_by("target_date", "name", "id"))


POSITION_STEP = 1024
MAX_POSITION = 2**31 - 1  # what the API's position field takes (a 32-bit integer)


def feature_next_position(*, product: Product, horizon: str) -> int:
    """The position after the last feature of ``product`` in ``horizon``: where a new feature goes."""
    last = Feature.objects.filter(product=product, horizon=horizon).aggregate(last=Max("position"))["last"]
    return position_between(last, None)


def position_between(before: int | None, after: int | None) -> int:
    """A position between two neighbours' (None: no neighbour on that side), so only the moved feature is written.

    Positions are spaced by ``POSITION_STEP``: the middle of the gap, or a step past the last one. With no
    gap left (neighbours one apart or equal) the feature takes the upper neighbour's position: equal
    positions sort by id, so it lands next to that neighbour, and still no other row is renumbered.
    """
    if before is None and after is None:
        return POSITION_STEP
    if after is None:
        return min(before + POSITION_STEP, MAX_POSITION)
    if before is None:
        return after // 2 if after > 1 else 0
    if after - before >= 2:
        return (before + after) // 2
    return before


def roadmap_unscheduled(*, features: QuerySet[Feature], limit: int = TRAY_LIMIT) -> tuple[list[Feature], int]:
    """The first ``limit`` features with no dates (lane order) and how many there are."""
    undated = features.filter(start_date__isnull=True, end_date__isnull=True)
    ids = list(undated.order_by("position", "id").values_list("pk", flat=True)[:limit])
    return _cards(ids), undated.count()


def roadmap_in_releases(
    *, features: QuerySet[Feature], themes: list[Theme], releases: list[Release], limit: int = LANE_LIMIT
) -> list[Lane]:
    """The "by release" timeline's lanes: only the features of ``releases``."""
    return roadmap_lanes(features=features.filter(release__in=[r.pk for r in releases]), themes=themes, limit=limit)


def roadmap_without_release(*, features: QuerySet[Feature], limit: int = TRAY_LIMIT) -> tuple[list[Feature], int]:
    """The first ``limit`` features in no release (lane order) and how many there are."""
    loose = features.filter(release__isnull=True)
    ids = list(loose.order_by("position", "id").values_list("pk", flat=True)[:limit])
    return _cards(ids), loose.count()


def roadmap_board(*, features: QuerySet[Feature], limit: int = BOARD_PAGE) -> list[tuple[str, str, list[Feature], int]]:
    """``(horizon, label, first cards, count)`` for now, next and later, cards in ``position`` order."""
    ids = _first_per_group(features, "horizon", ("position", "id"), limit)
    counts = _counts_per_group(features, "horizon")
    cards: dict[str, list[Feature]] = {}
    for card in _cards(ids):
        cards.setdefault(card.horizon, []).append(card)
    return [(value, label, cards.get(value, []), counts.get(value, 0)) for value, label in Feature.Horizon.choices]


def roadmap_board_more(
    *, features: QuerySet[Feature], horizon: str, offset: int, limit: int = BOARD_PAGE
) -> tuple[list[Feature], int]:
    """The next ``limit`` cards of one board column from ``offset``, and how many the column has."""
    column = features.filter(horizon=horizon)
    ids = list(column.order_by("position", "id").values_list("pk", flat=True)[offset : offset + limit])
    return _cards(ids), column.count()


def roadmap_list(*, features: QuerySet[Feature], ordering: str = DEFAULT_LIST_ORDERING) -> QuerySet[Feature]:
    """The features as the list page shows them (owner, theme, release and demand), in one of ``LIST_ORDERINGS``."""
    columns = LIST_ORDERINGS.get(ordering, LIST_ORDERINGS[DEFAULT_LIST_ORDERING])[1]
    return features.select_related("owner", "theme", "release").order_by(*columns)


def roadmap_csv_rows(*, features: QuerySet[Feature]) -> QuerySet[Feature]:
    """The features of the CSV export, in lane order, with what its columns name loaded."""
    return features.select_related("owner", "theme", "release").order_by("horizon", "position", "id")


def roadmap_owners(*, product: Product) -> QuerySet[User]:
    """Who may own the product's features, for the owner filter: its owner and members, by name."""
    return (
        User.objects.filter(Q(owned_products=product) | Q(product_memberships__product=product))
        .distinct()
        .order_by("first_name", "last_name", "username", "id")
    )


def feature_lane_neighbour_positions(*, feature: Feature, direction: str) -> tuple[int | None, int | None]:
    """The positions around the slot one step ``up`` or ``down`` from ``feature`` in its lane (its theme's).

    Up: the two features before it (the nearer one second); down: the two after it. None where there is none.
    """
    lane = Feature.objects.filter(product_id=feature.product_id, theme_id=feature.theme_id).exclude(pk=feature.pk)
    if direction == "up":
        before = lane.filter(Q(position__lt=feature.position) | Q(position=feature.position, id__lt=feature.pk))
        rows = list(before.order_by("-position", "-id").values_list("position", flat=True)[:2])
        nearer, further = (rows + [None, None])[:2]
        return further, nearer
    after = lane.filter(Q(position__gt=feature.position) | Q(position=feature.position, id__gt=feature.pk))
    rows = list(after.order_by("position", "id").values_list("position", flat=True)[:2])
    nearer, further = (rows + [None, None])[:2]
    return nearer, further


# Feature pages (detail, form choices, linked feedback, change history; fixed number of queries)
# -----------------------------------------------------------------------------
FEATURE_FEEDBACK_LIMIT = 20
FEATURE_HISTORY_LIMIT = 50


def feature_detail(*, product: Product, pk: int) -> Feature:
    """The product's feature ``pk`` with release, theme, owner, objectives and demand; ``DoesNotExist`` if none."""
    objectives = Prefetch("objectives", queryset=StrategicObjective.objects.order_by("title", "id"))
    features = Feature.objects.filter(product=product).select_related("release", "theme", "owner")
    return features.prefetch_related(objectives).get(pk=pk)


def feature_form_choices(*, product: Product, feature: Feature | None = None) -> dict[str, QuerySet]:
    """What a feature of ``product`` may hang under or be owned by: its releases, themes, team and all objectives.

    The owner of ``feature`` (an edit) stays a choice when they have left the team, so the edit can keep them.
    """
    team = Q(owned_products=product) | Q(product_memberships__product=product)
    if feature is not None and feature.owner_id is not None:
        team |= Q(pk=feature.owner_id)
    return {
        "release": product_releases(product=product),
        "theme": Theme.objects.filter(product=product).order_by("position", "name", "id"),
        # The ids in a subquery, so the team filter's join cannot repeat a user.
        "owner": User.objects.filter(pk__in=User.objects.filter(team).values("pk")).order_by(
            "first_name", "last_name", "username", "id"
        ),
        "objectives": StrategicObjective.objects.order_by("title", "id"),
    }


def feature_feedback(*, feature: Feature, limit: int = FEATURE_FEEDBACK_LIMIT) -> list[Feedback]:
    """The feedback linked to ``feature``, most important first, then newest; at most ``limit`` items."""
    weight = importance_weight("importance")
    linked = Feedback.objects.filter(features=feature).annotate(weight=weight)
    return list(linked.order_by("-weight", "-received_at", "-id")[:limit])


def feedback_feature_prefill(*, feedback: Feedback) -> dict[str, str]:
    """What the feature form starts from when a feature is created from ``feedback``: its summary and a quote."""
    who = ", ".join(part for part in (feedback.customer_name, feedback.company) if part)
    source = f"{feedback.get_channel_display()}, {feedback.received_at:%d %b %Y}"
    lines = [f"From customer feedback ({source}){f' by {who}' if who else ''}:", "", f"> {feedback.summary}"]
    lines += [f"> {line}" if line else ">" for line in feedback.body.splitlines()]
    title_length = Feature._meta.get_field("title").max_length
    return {"title": feedback.summary[:title_length], "description": "\n".join(lines)}


# The fields the change history reports, in the order it lists them, and what kind of change each is.
HISTORY_FIELDS: dict[str, str] = {
    "title": "changed",
    "description": "changed",
    "status": "status",
    "horizon": "moved",
    "release": "moved",
    "theme": "moved",
    "start_date": "moved",
    "end_date": "moved",
    "position": "moved",
    "owner": "changed",
    "reach": "re-scored",
    "impact": "re-scored",
    "confidence": "re-scored",
    "effort": "re-scored",
}
HISTORY_KINDS = {
    "status": "changed the status",
    "moved": "moved",
    "re-scored": "re-scored",
    "changed": "changed details",
}
RICE_INPUTS = ("reach", "impact", "confidence", "effort")


def _person(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def feature_history(*, feature: Feature, limit: int = FEATURE_HISTORY_LIMIT) -> list[dict]:
    """The feature's saves, newest first: who, when, what the save did and each field's from → to.

    Each entry is ``{"when", "who", "action", "changes": [{"field", "old", "new"}]}``. ``action`` says what the
    save did: "created the feature", "moved, re-scored", "changed the status", "changed details", ….
    Names stand in for ids (theme, release, owner), labels for choices, and a re-score also gives the RICE
    score before and after. At most ``limit`` entries, in four queries whatever the history's length (the
    rows, then the themes, releases and people named, each looked up once).
    """
    rows = list(
        Feature.history.filter(id=feature.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    fields = {name: Feature._meta.get_field(name) for name in HISTORY_FIELDS}
    ids: dict[str, set[int]] = {"release": set(), "theme": set(), "owner": set()}
    for row in rows:
        for name, seen in ids.items():
            if getattr(row, f"{name}_id") is not None:
                seen.add(getattr(row, f"{name}_id"))
    names = {
        "release": dict(Release.objects.filter(pk__in=ids["release"]).values_list("pk", "name")),
        "theme": dict(Theme.objects.filter(pk__in=ids["theme"]).values_list("pk", "name")),
        "owner": {user.pk: _person(user) for user in User.objects.filter(pk__in=ids["owner"])},
    }

    def shown(name: str, row) -> str:
        if name in names:
            key = getattr(row, f"{name}_id")
            return "" if key is None else names[name].get(key, f"(deleted, #{key})")
        value = getattr(row, name)
        if value is None or value == "":
            return ""
        if fields[name].choices:
            return str(dict(fields[name].flatchoices).get(value, value))
        if hasattr(value, "isoformat"):
            return f"{value.day} {value:%b %Y}"
        return str(value)

    def score(row) -> Decimal:
        return rice_score(reach=row.reach, impact=row.impact, confidence=row.confidence, effort=row.effort)

    entries = []
    for row, older in zip(rows[:limit], rows[1 : limit + 1] + [None], strict=False):
        changes, kinds = [], []
        if row.history_type == "~" and older is not None:
            for name, kind in HISTORY_FIELDS.items():
                old, new = shown(name, older), shown(name, row)
                if old != new:
                    changes.append({"field": fields[name].verbose_name, "old": old, "new": new})
                    if HISTORY_KINDS[kind] not in kinds:
                        kinds.append(HISTORY_KINDS[kind])
            if any(getattr(row, name) != getattr(older, name) for name in RICE_INPUTS):
                changes.append({"field": "RICE score", "old": str(score(older)), "new": str(score(row))})
        action = {"+": "created the feature", "-": "deleted the feature"}.get(row.history_type)
        action = action or ", ".join(kinds) or "saved it unchanged"
        entries.append({"when": row.history_date, "who": row.history_user, "action": action, "changes": changes})
    return entries


# -----------------------------------------------------------------------------
# Market analysis: competitors, insights, the comparison table (fixed number of queries whatever the rows)
# -----------------------------------------------------------------------------
# How much a competitor threatens the product, for sorting: the most threatening first.
THREAT_RANKS: dict[str, int] = {
    Competitor.Threat.LOW: 1,
    Competitor.Threat.MEDIUM: 2,
    Competitor.Threat.HIGH: 3,
}
MARKET_COMPETITOR_ORDERING = ("-threat_rank", "name", "id")


def with_threat_rank(qs: QuerySet[Competitor]) -> QuerySet[Competitor]:
    """Annotate ``threat_rank`` (``THREAT_RANKS``) on competitors."""
    rank = Case(
        *(When(threat_level=level, then=Value(value)) for level, value in THREAT_RANKS.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    return qs.annotate(threat_rank=rank)


def market_competitors(*, product: Product) -> QuerySet[Competitor]:
    """The product's competitors, the most threatening first, then by name."""
    return with_threat_rank(Competitor.objects.filter(product=product)).order_by(*MARKET_COMPETITOR_ORDERING)


def market_competitor(*, product: Product, pk: int) -> Competitor:
    """The product's competitor ``pk``; ``Competitor.DoesNotExist`` if it has none with that id."""
    return Competitor.objects.get(product=product, pk=pk)


# The feedback inbox, an item's page, and the searches that link feedback and features (fixed number of queries)
# -----------------------------------------------------------------------------
# The inbox's views: the value in the address, its label and the statuses it shows (None: every status).
FEEDBACK_VIEWS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "new": ("New", (Feedback.Status.NEW,)),
    "triaged": ("Triaged", (Feedback.Status.TRIAGED, Feedback.Status.LINKED)),
    "archived": ("Archived", (Feedback.Status.ARCHIVED,)),
    "all": ("All", None),
}
LINK_SEARCH_LIMIT = 20


def _linked_features() -> Prefetch:
    return Prefetch("features", queryset=Feature.objects.only("id", "title", "product_id").order_by("title", "id"))


def market_insight(*, product: Product, pk: int) -> MarketInsight:
    """The product's insight ``pk`` with its linked features; ``MarketInsight.DoesNotExist`` if none."""
    return MarketInsight.objects.filter(product=product).prefetch_related(_linked_features()).get(pk=pk)


@dataclass
class InsightGroup:
    """The product's insights of one kind (opportunities, trends, …) and their summed estimated value."""

    kind: str
    label: str
    insights: list[MarketInsight]

    @property
    def total_value(self) -> Decimal | None:
        """The sum of the estimated values given (None when no insight of the group has one)."""
        values = [insight.estimated_value for insight in self.insights if insight.estimated_value is not None]
        return sum(values, Decimal(0)) if values else None


def market_insight_groups(*, product: Product) -> list[InsightGroup]:
    """The product's insights grouped by kind (every kind, in the kinds' order), largest estimated value first.

    Each insight carries its linked features (id and title), in two queries whatever the number of insights.
    """
    insights = (
        MarketInsight.objects.filter(product=product)
        .prefetch_related(_linked_features())
        .order_by("kind", F("estimated_value").desc(nulls_last=True), "title", "id")
    )
    by_kind: dict[str, list[MarketInsight]] = {}
    for insight in insights:
        by_kind.setdefault(insight.kind, []).append(insight)
    return [InsightGroup(kind, label, by_kind.get(kind, [])) for kind, label in MarketInsight.Kind.choices]


def feature_insights(*, feature: Feature) -> list[MarketInsight]:
    """The market insights linked to ``feature``, by kind, then largest estimated value first."""
    linked = MarketInsight.objects.filter(features=feature)
    return list(linked.order_by("kind", F("estimated_value").desc(nulls_last=True), "title", "id"))


def insight_feature_choices(*, product: Product) -> QuerySet[Feature]:
    """The features an insight of ``product`` may be linked to: the product's own, by title."""
    return Feature.objects.filter(product=product).only("id", "title", "product_id").order_by("title", "id")


# Product metrics (KPI trends) and the feedback of the month (fixed number of queries)
# -----------------------------------------------------------------------------
# How many of a KPI's most recent readings the product page's compact chart shows.
OVERVIEW_READINGS = 12


def metric_on_target(*, value: Decimal | None, target: Decimal | None, direction: str) -> bool | None:
    """Whether ``value`` meets ``target``: at or above it when higher is better, at or below when lower is.

    None when there is no value or no target to compare.
    """
    if value is None or target is None:
        return None
    if direction == ProductMetric.Direction.LOWER:
        return value <= target
    return value >= target


@dataclass(frozen=True)
class MetricTrend:
    """A KPI's readings in date order, its latest value, the change since the reading before and its target."""

    metric: ProductMetric
    readings: list[MetricReading]
    latest: MetricReading | None
    previous: MetricReading | None
    change: Decimal | None
    on_target: bool | None

    @property
    def rows(self) -> list[tuple[MetricReading, bool | None]]:
        """Each reading in date order with whether it meets the target (None without one)."""
        metric = self.metric
        return [
            (reading, metric_on_target(value=reading.value, target=metric.target, direction=metric.direction))
            for reading in self.readings
        ]

    @property
    def improved(self) -> bool | None:
        """Whether the change went the good way for the KPI's direction (None without a change)."""
        if not self.change:
            return None
        return (self.change > 0) == (self.metric.direction == ProductMetric.Direction.HIGHER)


def metric_trend(*, metric: ProductMetric, readings: list[MetricReading] | None = None) -> MetricTrend:
    """The trend of ``metric`` from ``readings`` (any order; read from the database when not given)."""
    if readings is None:
        readings = list(MetricReading.objects.filter(metric=metric))
    ordered = sorted(readings, key=lambda reading: (reading.date, reading.pk or 0))
    latest = ordered[-1] if ordered else None
    previous = ordered[-2] if len(ordered) > 1 else None
    change = latest.value - previous.value if previous is not None else None
    on_target = metric_on_target(
        value=latest.value if latest else None, target=metric.target, direction=metric.direction
    )
    return MetricTrend(metric, ordered, latest, previous, change, on_target)


def product_metric_trends(*, product: Product, last: int | None = None) -> list[MetricTrend]:
    """Every KPI of ``product`` by name with its trend; only its ``last`` readings when given (two queries)."""
    readings = MetricReading.objects.order_by("-date", "-id")
    if last is not None:
        readings = readings[:last]  # one windowed query for all the product's KPIs
    metrics = ProductMetric.objects.filter(product=product).order_by("name", "id")
    metrics = metrics.prefetch_related(Prefetch("readings", queryset=readings, to_attr="trend_readings"))
    return [metric_trend(metric=metric, readings=metric.trend_readings) for metric in metrics]


def product_metric(*, product: Product, pk: int) -> ProductMetric:
    """The KPI ``pk`` of ``product``; ``ProductMetric.DoesNotExist`` if it has none such."""
    return ProductMetric.objects.filter(product=product).get(pk=pk)


def metric_reading_count(*, metric: ProductMetric) -> int:
    """How many readings ``metric`` has (what its deletion takes with it)."""
    return MetricReading.objects.filter(metric=metric).count()


def product_metric_reading(*, product: Product, pk: int) -> MetricReading:
    """The reading ``pk`` of one of ``product``'s KPIs, with its KPI; ``MetricReading.DoesNotExist`` if none."""
    return MetricReading.objects.select_related("metric").filter(metric__product=product).get(pk=pk)


@dataclass(frozen=True)
class FeedbackMonth:
    """How much feedback a product received in one calendar month, and its split by sentiment."""

    month: datetime.date  # the month's first day
    total: int
    negative: int
    neutral: int
    positive: int

    @property
    def sentiments(self) -> list[tuple[str, str, int, int]]:
        """``(sentiment, label, count, percent of the total)`` for negative, neutral and positive."""
        labels = dict(Feedback.Sentiment.choices)
        counts = {"negative": self.negative, "neutral": self.neutral, "positive": self.positive}
        return [
            (name, labels[name], count, round(100 * count / self.total) if self.total else 0)
            for name, count in counts.items()
        ]

    @property
    def segments(self) -> list[dict]:
        """The sentiment bar's parts: ``name``, ``start`` and ``width`` in percent of the total (none when empty)."""
        parts, start = [], 0.0
        for name, count in (("negative", self.negative), ("neutral", self.neutral), ("positive", self.positive)):
            if count and self.total:
                width = 100 * count / self.total
                parts.append({"name": name, "start": start, "width": width})
                start += width
        return parts


def _month_bounds(today: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instants of ``today``'s calendar month and of the next, in the organisation's time zone."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = datetime.datetime(today.year, today.month, 1, tzinfo=zone)
    following = datetime.datetime(today.year + today.month // 12, today.month % 12 + 1, 1, tzinfo=zone)
    return start, following


def feedback_this_month(*, product: Product, today: datetime.date | None = None) -> FeedbackMonth:
    """The feedback ``product`` received this calendar month (organisation time zone), by sentiment (one query)."""
    if today is None:
        today = timezone.localtime(timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
    start, following = _month_bounds(today)
    received = Feedback.objects.filter(product=product, received_at__gte=start, received_at__lt=following)
    counts = received.aggregate(
        total=Count("id"),
        **{name: Count("id", filter=Q(sentiment=name)) for name in Feedback.Sentiment.values},
    )
    return FeedbackMonth(month=start.date(), **counts)


# Feedback CSV export (one query whatever the number of rows, read as it is streamed)
# -----------------------------------------------------------------------------
FEEDBACK_EXPORT_COLUMNS = (
    "id",
    "summary",
    "body",
    "channel",
    "customer_name",
    "company",
    "email",
    "segment",
    "sentiment",
    "importance",
    "received_at",
    "status",
)
FEATURE_TITLES_SEPARATOR = " | "
EXPORT_CHUNK = 2000


class JoinedTitles(models.Aggregate):
    """The titles of a group joined by `` | ``: ``STRING_AGG`` on PostgreSQL, ``GROUP_CONCAT`` on SQLite."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ' | ')"
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra_context)


def feedback_export_rows(*, feedback: QuerySet[Feedback]) -> Iterator[tuple]:
    """``feedback`` (already filtered) as export rows: the export's columns and ``features``, its linked titles.

    One query: the titles come from a correlated subquery, and the rows are read in chunks as they are written.
    """
    titles = (
        Feature.objects.filter(feedback=OuterRef("pk"))
        .order_by()
        .values("feedback")
        .annotate(titles=JoinedTitles("title"))
        .values("titles")
    )
    rows = feedback.order_by(*FEEDBACK_ORDERING).annotate(features_titles=Subquery(titles))
    for *values, joined in rows.values_list(*FEEDBACK_EXPORT_COLUMNS, "features_titles").iterator(EXPORT_CHUNK):
        # In title order on every database (SQLite before 3.44 cannot order inside GROUP_CONCAT).
        titles = sorted(joined.split(FEATURE_TITLES_SEPARATOR)) if joined else []
        yield (*values, FEATURE_TITLES_SEPARATOR.join(titles))


def feedback_inbox(*, queryset: QuerySet[Feedback], view: str) -> QuerySet[Feedback]:
    """The items of ``queryset`` in the inbox's ``view`` (``FEEDBACK_VIEWS``), newest first, linked features loaded."""
    statuses = FEEDBACK_VIEWS[view][1]
    if statuses is not None:
        queryset = queryset.filter(status__in=statuses)
    return queryset.prefetch_related(_linked_features()).order_by(*FEEDBACK_ORDERING)


def feedback_view_counts(*, queryset: QuerySet[Feedback]) -> dict[str, int]:
    """How many items of ``queryset`` each inbox view shows, each counted up to ``COUNT_CAP`` + 1 (one query each).

    ``{"new": 3, "triaged": 5, "archived": 1, "all": 9}``; a figure above ``COUNT_CAP`` means "more than that".
    Each count stops at the cap, so the inbox costs the same at a million items as at a hundred.
    """
    counts = {}
    for view, (_label, statuses) in FEEDBACK_VIEWS.items():
        rows = queryset if statuses is None else queryset.filter(status__in=statuses)
        counts[view] = rows.order_by()[: COUNT_CAP + 1].count()
    return counts


def product_new_feedback_count(*, product: Product) -> int:
    """How many of the product's feedback items wait for triage, up to ``COUNT_CAP`` + 1 (the Feedback tab's figure)."""
    new = Feedback.objects.filter(product=product, status=Feedback.Status.NEW)
    return new.order_by()[: COUNT_CAP + 1].count()


def feedback_detail(*, product: Product, pk: int) -> Feedback:
    """The product's feedback item ``pk`` with its linked features; ``Feedback.DoesNotExist`` if none."""
    item = Feedback.objects.filter(product=product).prefetch_related(_linked_features()).get(pk=pk)
    item.product = product  # the rules read the product's owner from it
    return item


def feedback_feature_candidates(*, product: Product, q: str, feedback: Feedback | None = None) -> list[Feature]:
    """Up to 20 of the product's features whose title or description has every word of ``q``, by title.

    The features ``feedback`` is already linked to are left out: what is offered is what may still be linked.
    """
    features = Feature.objects.filter(product=product)
    for word in (q or "").split():
        features = features.filter(Q(title__icontains=word) | Q(description__icontains=word))
    if feedback is not None:
        linked = Feedback.features.through.objects.filter(feedback_id=feedback.pk, feature_id=OuterRef("pk"))
        features = features.exclude(Exists(linked))
    return list(features.only("id", "title", "status", "product_id").order_by("title", "id")[:LINK_SEARCH_LIMIT])


def feature_feedback_candidates(*, feature: Feature, q: str) -> list[Feedback]:
    """Up to 20 of the product's items, not archived and not yet linked to ``feature``, matching ``q``, newest first.

    The search is the inbox's (``FeedbackFilter``'s ``q``: summary, body, company), so it finds the same items.
    """
    items = Feedback.objects.filter(product_id=feature.product_id).exclude(status=Feedback.Status.ARCHIVED)
    if q:
        items = FeedbackFilter({"q": q}, queryset=items).qs
    linked = Feedback.features.through.objects.filter(feature_id=feature.pk, feedback_id=OuterRef("pk"))
    return list(items.exclude(Exists(linked)).order_by(*FEEDBACK_ORDERING)[:LINK_SEARCH_LIMIT])
