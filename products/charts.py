"""Trend charts of product metrics, drawn on the server as SVG (no script): the geometry a template draws.

``metric_chart`` turns a KPI's trend (``products.selectors.metric_trend``) into coordinates, ticks and texts;
``templates/products/metrics/partials/_chart.html`` draws them with classes only (the CSP forbids inline
styles), with a ``<title>``, a ``<desc>`` and a table of the readings as its text alternative.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from products.selectors import MetricTrend, metric_on_target

# The drawing's coordinate system (the viewBox); CSS scales it to the width it is given.
WIDTH, HEIGHT = 640, 260
# The product page's compact chart is drawn on a smaller canvas, so that its texts stay legible at its size.
COMPACT_WIDTH, COMPACT_HEIGHT = 400, 220
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 20, 44
Y_TICKS = 5
X_TICKS = 6
COMPACT_X_TICKS = 4
UNIT_WITHOUT_SPACE = {"%", "‰"}


def format_value(value: Decimal | None, unit: str = "") -> str:
    """``value`` without trailing zeros (``42.50`` → ``42.5``), with thousands separated, and its unit."""
    if value is None:
        return "–"
    text = f"{Decimal(value).normalize():,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if not unit:
        return text
    return f"{text}{unit}" if unit in UNIT_WITHOUT_SPACE else f"{text} {unit}"


def _nice_step(span: float, ticks: int) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that cuts ``span`` into about ``ticks`` parts."""
    raw = span / max(ticks - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _value_scale(values: list[Decimal]) -> tuple[float, float, list[float]]:
    """The lowest and highest value of the axis and its ticks, round numbers around ``values``."""
    low, high = float(min(values)), float(max(values))
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = _nice_step(high - low, Y_TICKS)
    start, end = math.floor(low / step) * step, math.ceil(high / step) * step
    count = round((end - start) / step)
    return start, end, [start + step * index for index in range(count + 1)]


def _tick_label(value: float) -> str:
    """A value axis tick, short: ``1.5M``, ``180k``, ``2.5``."""
    for size, suffix in ((1_000_000, "M"), (10_000, "k")):
        if abs(value) >= size:
            scaled = format_value(Decimal(repr(round(value / (size if suffix == "M" else 1000), 3))))
            return f"{scaled}{suffix}"
    return format_value(Decimal(repr(round(value, 6))))


def long_date(day: datetime.date) -> str:
    """``1 Mar 2026``."""
    return f"{day.day} {day:%b %Y}"


def _date_label(day: datetime.date, *, long_span: bool) -> str:
    return day.strftime("%b %Y") if long_span else f"{day.day} {day.strftime('%b')}"


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # "12 Mar 2026: 42 %"
    on_target: bool | None

    @property
    def shape(self) -> str:
        """``on`` (a circle), ``off`` (a diamond) or ``none`` (a square: no target to compare)."""
        return {True: "on", False: "off"}.get(self.on_target, "none")

    @property
    def corner(self) -> tuple[float, float]:
        """The top left corner of the square drawn for a point without a target."""
        return self.x - 4, self.y - 4

    @property
    def diamond(self) -> str:
        """The path of a diamond centred on the point (off target)."""
        x, y = self.x, self.y
        return f"M{x:.1f} {y - 6:.1f}L{x + 6:.1f} {y:.1f}L{x:.1f} {y + 6:.1f}L{x - 6:.1f} {y:.1f}Z"


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    """What the chart template draws: the frame, axes with ticks, the line, the points and the target line."""

    id: str
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    title: str
    description: str
    value_axis: str
    points: list[Point]
    line: str
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    target_y: float | None
    target_label: str

    @property
    def date_labels_y(self) -> float:
        return self.bottom + 18

    @property
    def value_labels_x(self) -> int:
        return self.left - 8

    @property
    def centre_x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def centre_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def target_label_x(self) -> int:
        return self.left + 6

    @property
    def axis_title_y(self) -> int:
        return self.height - 4


# How far apart two date labels must be, in the chart's units, not to print over each other ("Mar 2026").
LABEL_GAP = 64


def _apart(ticks: list[Tick]) -> list[Tick]:
    """``ticks`` without those too close to the one before (readings close in time); the last one always kept."""
    kept: list[Tick] = []
    for tick in ticks:
        if kept and tick.position - kept[-1].position < LABEL_GAP:
            if tick is not ticks[-1]:
                continue
            if len(kept) > 1:
                kept.pop()  # the last reading's date matters more than the one just before it
            else:
                continue
        kept.append(tick)
    return kept


def metric_chart(trend: MetricTrend, *, compact: bool = False, id_suffix: str = "") -> Chart:
    """The SVG geometry of ``trend``'s chart: readings over time, the target dashed, points shaped by target."""
    metric = trend.metric
    unit = metric.unit
    width, height = (COMPACT_WIDTH, COMPACT_HEIGHT) if compact else (WIDTH, HEIGHT)
    right, bottom = width - RIGHT, height - BOTTOM
    readings = trend.readings
    values = [reading.value for reading in readings]
    if metric.target is not None:
        values.append(metric.target)
    low, high, y_values = _value_scale(values or [Decimal(0)])

    def y_of(value) -> float:
        return bottom - (float(value) - low) / (high - low) * (bottom - TOP)

    first = readings[0].date if readings else None
    days = (readings[-1].date - first).days if readings else 0

    def x_of(day: datetime.date) -> float:
        if not days:
            return (LEFT + right) / 2
        return LEFT + (day - first).days / days * (right - LEFT)

    points = [
        Point(
            x=x_of(reading.date),
            y=y_of(reading.value),
            label=f"{long_date(reading.date)}: {format_value(reading.value, unit)}",
            on_target=metric_on_target(value=reading.value, target=metric.target, direction=metric.direction),
        )
        for reading in readings
    ]
    line = "".join(f"{'M' if index == 0 else 'L'}{p.x:.1f} {p.y:.1f}" for index, p in enumerate(points))
    wanted = COMPACT_X_TICKS if compact else X_TICKS
    if len(readings) <= wanted:
        chosen = readings
    else:  # evenly spread, the first and the last always among them
        chosen = [readings[round(index * (len(readings) - 1) / (wanted - 1))] for index in range(wanted)]
    long_span = days > 180
    x_ticks = _apart([Tick(x_of(reading.date), _date_label(reading.date, long_span=long_span)) for reading in chosen])
    y_ticks = [Tick(y_of(value), _tick_label(value)) for value in y_values]
    target_y = y_of(metric.target) if metric.target is not None else None
    return Chart(
        id=f"metric-{metric.pk}-chart{id_suffix}",
        width=width,
        height=height,
        left=LEFT,
        right=right,
        top=TOP,
        bottom=bottom,
        title=f"{metric.name} over time",
        description=chart_description(trend),
        value_axis=f"Value ({unit})" if unit else "Value",
        points=points,
        line=line,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        target_y=target_y,
        target_label=f"Target {format_value(metric.target, unit)}" if metric.target is not None else "",
    )


def chart_description(trend: MetricTrend) -> str:
    """The chart in one or two sentences: how many readings over which dates, the latest against the target."""
    metric, unit = trend.metric, trend.metric.unit
    direction = metric.get_direction_display().lower()
    target = (
        f"The target is {format_value(metric.target, unit)} ({direction})."
        if metric.target is not None
        else f"No target is set ({direction})."
    )
    if not trend.readings:
        return f"No readings yet. {target}"
    first, latest = trend.readings[0], trend.latest
    count = len(trend.readings)
    span = (
        f"{count} readings from {long_date(first.date)} to {long_date(latest.date)}"
        if count > 1
        else f"1 reading, on {long_date(latest.date)}"
    )
    state = {True: ", on target", False: ", off target"}.get(trend.on_target, "")
    return f"{span}. The latest is {format_value(latest.value, unit)}{state}. {target}"


def metric_cards(trends: list[MetricTrend], *, compact: bool = False) -> list[dict]:
    """Each KPI's ``trend`` with its ``chart``, as the metric templates take them."""
    suffix = "-compact" if compact else ""
    return [{"trend": trend, "chart": metric_chart(trend, compact=compact, id_suffix=suffix)} for trend in trends]
