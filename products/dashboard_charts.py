"""The product dashboard's charts, drawn on the server as SVG: Python computes the geometry, templates draw it.

``stacked_bars`` stacks counts per column (features by status per quarter, feedback by sentiment per month);
``demand_bars`` lays the most requested features out as horizontal bars. Each series has its own fill pattern as
well as its colour (``templates/products/dashboard/partials/_patterns.html``), every segment its count written on
it when there is room and a ``<title>``; the templates add a ``<desc>`` and a table as the text alternative, and
link every number to the list behind it. The CSP forbids inline styles: the templates use classes only.
"""

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from products.charts import _nice_step
from products.dashboard import EARLIER, LATER, UNDATED, FeedbackMonthCounts, QuarterColumn
from products.models import Feature, Feedback, Product

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 56
# A segment shorter than this has no room for its count (its <title> and the table still give it).
LABEL_MIN_HEIGHT = 14
# The patterns that tell the series apart besides their colour, in series order.
PATTERNS = ("solid", "hatch", "dots", "cross", "stripes")


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    pattern: str


@dataclass(frozen=True)
class Segment:
    series: Series
    count: int
    x: float
    y: float
    width: float
    height: float
    title: str
    href: str

    @property
    def show_count(self) -> bool:
        return self.height >= LABEL_MIN_HEIGHT

    @property
    def centre_x(self) -> float:
        return self.x + self.width / 2

    @property
    def centre_y(self) -> float:
        return self.y + self.height / 2


@dataclass(frozen=True)
class Column:
    label: str
    total: int
    x: float  # the column's centre
    total_y: float
    segments: list[Segment]
    href: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class StackedChart:
    id: str
    title: str
    description: str
    value_axis: str
    category_axis: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    series: list[Series]
    columns: list[Column]
    y_ticks: list[Tick]

    @property
    def centre_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def labels_y(self) -> int:
        return self.bottom + 18

    @property
    def axis_title_y(self) -> int:
        return self.height - 6

    @property
    def value_labels_x(self) -> int:
        return self.left - 8


def series_of(choices: list[tuple[str, str]]) -> list[Series]:
    """The chart's series from ``(key, label)`` choices, each given its pattern in turn."""
    return [Series(key, label, PATTERNS[index % len(PATTERNS)]) for index, (key, label) in enumerate(choices)]


def _count_scale(highest: int) -> tuple[int, list[int]]:
    """The axis top and its integer ticks for counts up to ``highest`` (at least 1)."""
    step = max(1, math.ceil(_nice_step(max(highest, 1), 5)))
    top = max(step, math.ceil(highest / step) * step)
    return top, list(range(0, top + 1, step))


def stacked_bars(
    *,
    id: str,
    title: str,
    description: str,
    value_axis: str,
    category_axis: str,
    series: list[Series],
    columns: list[dict],
) -> StackedChart:
    """The geometry of a stacked bar chart; each of ``columns`` is ``{label, counts: {series key: n}, hrefs, href}``.

    ``hrefs`` maps a series key to the address of its list in that column; ``href`` is the column's whole list.
    """
    width, height = WIDTH, HEIGHT
    right, bottom = width - RIGHT, height - BOTTOM
    highest = max((sum(column["counts"].values()) for column in columns), default=0)
    top_value, ticks = _count_scale(highest)
    slot = (right - LEFT) / max(len(columns), 1)
    bar = slot * 0.6

    def y_of(value: float) -> float:
        return bottom - value / top_value * (bottom - TOP)

    drawn = []
    for index, column in enumerate(columns):
        centre = LEFT + slot * (index + 0.5)
        stacked, segments = 0, []
        for one in series:
            count = column["counts"].get(one.key, 0)
            if not count:
                continue
            y_top, y_bottom = y_of(stacked + count), y_of(stacked)
            segments.append(
                Segment(
                    series=one,
                    count=count,
                    x=centre - bar / 2,
                    y=y_top,
                    width=bar,
                    height=y_bottom - y_top,
                    title=f"{column['label']}: {one.label.lower()} {count}",
                    href=column["hrefs"].get(one.key, column["href"]),
                )
            )
            stacked += count
        drawn.append(Column(column["label"], stacked, centre, y_of(stacked) - 4, segments, column["href"]))
    return StackedChart(
        id=id,
        title=title,
        description=description,
        value_axis=value_axis,
        category_axis=category_axis,
        width=width,
        height=height,
        left=LEFT,
        right=right,
        top=TOP,
        bottom=bottom,
        series=series,
        columns=drawn,
        y_ticks=[Tick(y_of(value), str(value)) for value in ticks],
    )


# --- The most requested features, as horizontal bars ----------------------------------------------------------

BAR_HEIGHT, BAR_GAP = 22, 8
BARS_LEFT, BARS_RIGHT, BARS_TOP, BARS_BOTTOM = 220, 56, 8, 44
TITLE_CHARS = 32


@dataclass(frozen=True)
class Bar:
    label: str  # the feature's title, shortened to fit
    full_label: str
    value: int
    count: int
    y: float
    width: float
    href: str
    title: str

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT / 2

    @property
    def end_x(self) -> float:
        return BARS_LEFT + self.width


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    value_axis: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    bars: list[Bar]
    x_ticks: list[Tick]
    bar_height: int = BAR_HEIGHT

    @property
    def labels_y(self) -> int:
        return self.bottom + 16

    @property
    def axis_title_y(self) -> int:
        return self.height - 4

    @property
    def name_x(self) -> int:
        return self.left - 8

    @property
    def centre_x(self) -> float:
        return (self.left + self.right) / 2


def _shorten(text: str, limit: int = TITLE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def demand_bars(*, id: str, title: str, description: str, value_axis: str, rows: list[dict]) -> BarChart:
    """The geometry of horizontal bars; each of ``rows`` is ``{label, value, count, href}``, drawn in order."""
    width = WIDTH
    right = width - BARS_RIGHT
    height = BARS_TOP + max(len(rows), 1) * (BAR_HEIGHT + BAR_GAP) + BARS_BOTTOM
    bottom = height - BARS_BOTTOM
    highest = max((row["value"] for row in rows), default=0)
    top_value, ticks = _count_scale(highest)

    def x_of(value: float) -> float:
        return BARS_LEFT + value / top_value * (right - BARS_LEFT)

    bars = [
        Bar(
            label=_shorten(row["label"]),
            full_label=row["label"],
            value=row["value"],
            count=row["count"],
            y=BARS_TOP + index * (BAR_HEIGHT + BAR_GAP) + BAR_GAP / 2,
            width=x_of(row["value"]) - BARS_LEFT,
            href=row["href"],
            title=f"{row['label']}: demand {row['value']} from {row['count']} feedback item{'s' * (row['count'] != 1)}",
        )
        for index, row in enumerate(rows)
    ]
    return BarChart(
        id=id,
        title=title,
        description=description,
        value_axis=value_axis,
        width=width,
        height=height,
        left=BARS_LEFT,
        right=right,
        top=BARS_TOP,
        bottom=bottom,
        bars=bars,
        x_ticks=[Tick(x_of(value), str(value)) for value in ticks],
    )


# --- The product dashboard's charts, from its figures ---------------------------------------------------------


def _query(base: str, **params) -> str:
    pairs = [(name, value) for name, value in params.items() if value not in (None, "")]
    return f"{base}?{urlencode(pairs)}" if pairs else base


# The buckets around the quarters, short enough for their column (the table gives them in full).
SHORT_LABELS = {EARLIER: "Earlier", LATER: "Later", UNDATED: "No end date"}


def features_chart(*, product: Product, columns: list[QuarterColumn]) -> StackedChart:
    """Features by status per quarter of their end date; each segment links to the roadmap list of those features."""
    base = reverse("products:roadmap_list", kwargs={"slug": product.slug})
    total = sum(column.total for column in columns)
    busiest = max(columns, key=lambda column: column.total, default=None)
    description = (
        f"{total} feature{'s' * (total != 1)} counted by the quarter their end date falls in, stacked by status."
        + (f" The busiest is {busiest.label} with {busiest.total}." if busiest and busiest.total else "")
    )
    drawn = []
    for column in columns:
        dates = {
            "ends_after": column.start.isoformat() if column.start else None,
            "ends_before": column.end.isoformat() if column.end else None,
        }
        drawn.append(
            {
                "label": SHORT_LABELS.get(column.key, column.label),
                "counts": column.counts,
                "hrefs": {status: _query(base, status=status, **dates) for status in column.counts},
                "href": _query(base, **dates),
            }
        )
    return stacked_bars(
        id="dashboard-features-chart",
        title="Features by status per quarter",
        description=description,
        value_axis="Features",
        category_axis="Quarter of the end date",
        series=series_of(Feature.Status.choices),
        columns=drawn,
    )


def feedback_chart(*, product: Product, months: list[FeedbackMonthCounts]) -> StackedChart:
    """Feedback received per month by sentiment; each segment links to the inbox filtered to those items."""
    base = reverse("products:feedback_list", kwargs={"slug": product.slug})
    total = sum(month.total for month in months)
    negative = sum(month.counts.get("negative", 0) for month in months)
    description = (
        f"{total} feedback item{'s' * (total != 1)} received over the last {len(months)} months, "
        f"stacked by sentiment; {negative} negative."
    )
    drawn = []
    for month in months:
        dates = {"received_after": month.month.isoformat(), "received_before": month.end.isoformat()}
        drawn.append(
            {
                "label": month.month.strftime("%b %y"),
                "counts": month.counts,
                "hrefs": {name: _query(base, view="all", sentiment=name, **dates) for name in month.counts},
                "href": _query(base, view="all", **dates),
            }
        )
    return stacked_bars(
        id="dashboard-feedback-chart",
        title="Feedback per month by sentiment",
        description=description,
        value_axis="Feedback items",
        category_axis="Month received",
        series=series_of(Feedback.Sentiment.choices),
        columns=drawn,
    )


def top_demand_chart(*, product: Product, features: list[Feature]) -> BarChart:
    """The most requested features as bars of their demand; each bar links to the feature's page."""
    rows = [
        {
            "label": feature.title,
            "value": feature.demand,
            "count": feature.demand_count,
            "href": reverse("products:feature_detail", kwargs={"slug": product.slug, "pk": feature.pk}),
        }
        for feature in features
    ]
    description = (
        f"The {len(rows)} features with the most demand from linked feedback; "
        f"{rows[0]['label']} leads with {rows[0]['value']}."
        if rows
        else "No feedback is linked to any feature yet."
    )
    return demand_bars(
        id="dashboard-demand-chart",
        title=f"Top {len(rows)} features by demand" if rows else "Top features by demand",
        description=description,
        value_axis="Demand (nice to have 1, important 2, critical 3)",
        rows=rows,
    )
