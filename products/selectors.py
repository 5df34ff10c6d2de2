"""Reads of the products app: derived figures (RICE, demand) and the querysets lists are built from."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from portfolio.core.models import StrategicObjective, User
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
def _importance_weight(importance_field: str) -> Case:
    return Case(
        *(
            When(**{importance_field: importance}, then=Value(weight))
            for importance, weight in IMPORTANCE_WEIGHTS.items()
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def feature_demand(*, feature: Feature) -> dict[str, int]:
    """Return the ``count`` of feedback linked to a feature and its importance-weighted ``score`` (any status)."""
    count, score = (
        features_with_demand(Feature.objects.filter(pk=feature.pk)).values_list("demand_count", "demand").get()
    )
    return {"count": count, "score": score}


def features_with_demand(qs: QuerySet[Feature]) -> QuerySet[Feature]:
    """Annotate ``demand_count`` and ``demand`` (importance-weighted) from linked feedback.

    Correlated subqueries over the link table rather than joins: combined with other
    ``Count`` annotations a join would multiply rows and inflate every count.
    """
    links = (
        Feedback.features.through.objects.filter(feature_id=OuterRef("pk"))
        .order_by()
        .values("feature_id")  # group by the feature: one row per outer feature
    )
    count = links.annotate(n=Count("feedback_id")).values("n")
    score = links.annotate(s=Sum(_importance_weight("feedback__importance"))).values("s")
    return qs.annotate(
        demand_count=Coalesce(Subquery(count, output_field=IntegerField()), 0),
        demand=Coalesce(Subquery(score, output_field=IntegerField()), 0),
    )


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
    return features_with_demand(Feature.objects.prefetch_related(objectives)).order_by(*FEATURE_ORDERING)


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
    """Competitors."""
    return Competitor.objects.order_by(*COMPETITOR_ORDERING)


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


def product_detail(*, slug: str) -> Product:
    """The product with this slug, with its owner and objectives loaded; ``Product.DoesNotExist`` if none."""
    objectives = Prefetch("objectives", queryset=StrategicObjective.objects.select_related("owner").order_by("title"))
    return Product.objects.select_related("owner").prefetch_related(objectives).get(slug=slug)


def product_team(*, product: Product) -> list[tuple[str, list[ProductMember]]]:
    """The product's members grouped by function: engineering, design, marketing, sales, support, then the rest."""
    members = (
        ProductMember.objects.filter(product=product)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username", "id")
    )
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
    features = features_with_demand(Feature.objects.filter(product=product))
    return list(features.filter(demand_count__gt=0).order_by("-demand", "-demand_count", "id")[:limit])


# -----------------------------------------------------------------------------
# Feature pages (detail, form choices, linked feedback, change history; fixed number of queries)
# -----------------------------------------------------------------------------
FEATURE_FEEDBACK_LIMIT = 20
FEATURE_HISTORY_LIMIT = 50


def product_by_slug(*, slug: str) -> Product | None:
    """The product with this slug and its owner, or None: the frame of the feature pages."""
    return Product.objects.select_related("owner").filter(slug=slug).first()


def feature_detail(*, product: Product, pk: int) -> Feature:
    """The product's feature ``pk`` with release, theme, owner, objectives and demand; ``DoesNotExist`` if none."""
    objectives = Prefetch("objectives", queryset=StrategicObjective.objects.order_by("title", "id"))
    features = Feature.objects.filter(product=product).select_related("release", "theme", "owner")
    return features_with_demand(features.prefetch_related(objectives)).get(pk=pk)


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
    weight = _importance_weight("importance")
    linked = Feedback.objects.filter(features=feature).annotate(weight=weight)
    return list(linked.order_by("-weight", "-received_at", "-id")[:limit])


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
