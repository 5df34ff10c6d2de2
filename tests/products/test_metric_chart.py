"""A KPI's trend chart, drawn on the server as SVG: titled and described, its target dashed, its points shaped.

The chart is read as XML, as a screen reader or a printer would get it: a ``<title>`` and ``<desc>`` the ``img``
role points at, the target line and its label, one shape per reading (circle on target, diamond off target,
square without a target), and the table of readings beside it.
"""

import datetime
import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from products import charts, selectors
from tests.products.factories import MetricReadingFactory, ProductMetricFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def draw(metric, *, compact: bool = False) -> tuple[ET.Element, str]:
    """The chart's SVG element, and the whole figure's HTML."""
    trend = selectors.metric_trend(metric=metric)
    chart = charts.metric_chart(trend, compact=compact)
    html = render_to_string(
        "products/metrics/partials/_chart.html",
        {"chart": chart, "trend": trend, "compact": compact, "product": metric.product},
    )
    svg = re.search(r"<svg class=\"chart\".*?</svg>", html, re.S).group(0)
    return ET.fromstring(svg), html


def shapes(svg: ET.Element) -> list[str]:
    points = svg.find(f"{SVG}g[@class='points']")
    return [element.get("class") for element in points] if points is not None else []


@pytest.fixture
def teams():
    metric = ProductMetricFactory(name="Weekly active teams", unit="teams", target=Decimal("100"), direction="higher")
    for month, value in [(1, "80"), (2, "100"), (3, "120.5"), (4, "95")]:
        MetricReadingFactory(metric=metric, date=datetime.date(2026, month, 1), value=Decimal(value))
    return metric


def test_the_chart_is_an_image_titled_and_described_by_its_title_and_desc(teams):
    svg, _ = draw(teams)

    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Weekly active teams over time"
    assert desc.text == (
        "4 readings from 1 Jan 2026 to 1 Apr 2026. The latest is 95 teams, off target. "
        "The target is 100 teams (higher is better)."
    )


def test_the_target_is_a_dashed_line_labelled_target_at_the_targets_height(teams):
    svg, _ = draw(teams)

    line = svg.find(f".//{SVG}line[@class='target-line']")
    label = svg.find(f".//{SVG}text[@class='target-label']")
    assert label.text == "Target 100 teams"
    assert line.get("y1") == line.get("y2")
    # The values span 80…120.5: about five ticks of that are steps of 20, so the axis runs 80 → 140 and the
    # target, 100, sits 20/60 of the way up the plot.
    ticks = [text.text for text in svg.findall(f"{SVG}g[@class='axis y-axis']/{SVG}text")][:-1]
    assert ticks == ["80", "100", "120", "140"]
    bottom, top = charts.HEIGHT - charts.BOTTOM, charts.TOP
    assert float(line.get("y1")) == pytest.approx(bottom - (100 - 80) / (140 - 80) * (bottom - top), abs=0.1)


def test_each_reading_is_a_point_shaped_by_whether_it_meets_the_target(teams):
    svg, _ = draw(teams)

    # 80 off, 100 on (at the target counts), 120.5 on, 95 off.
    assert shapes(svg) == ["point off", "point on", "point on", "point off"]
    titles = [element.find(f"{SVG}title").text for element in svg.find(f"{SVG}g[@class='points']")]
    assert titles[0] == "1 Jan 2026: 80 teams (off target)"
    assert titles[2] == "1 Mar 2026: 120.5 teams (on target)"


def test_the_line_joins_the_readings_left_to_right_in_date_order(teams):
    svg, _ = draw(teams)

    path = svg.find(f"{SVG}path[@class='trend-line']").get("d")
    xs = [float(x) for x in re.findall(r"[ML]([0-9.]+) ", path)]
    assert len(xs) == 4 and xs == sorted(xs)
    assert xs[0] == charts.LEFT and xs[-1] == charts.WIDTH - charts.RIGHT


def test_the_axes_are_labelled_with_dates_and_the_unit(teams):
    svg, _ = draw(teams)

    dates = [text.text for text in svg.findall(f"{SVG}g[@class='axis x-axis']/{SVG}text")]
    assert dates == ["1 Jan", "1 Feb", "1 Mar", "1 Apr", "Date"]
    assert svg.find(f"{SVG}g[@class='axis y-axis']/{SVG}text[@class='axis-title']").text == "Value (teams)"


def test_a_lower_is_better_kpi_is_on_target_below_it():
    metric = ProductMetricFactory(unit="s", target=Decimal("2"), direction="lower")
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 1, 1), value=Decimal("3"))
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 2, 1), value=Decimal("1.5"))

    svg, _ = draw(metric)

    assert shapes(svg) == ["point off", "point on"]


def test_the_readings_table_beside_the_chart_is_its_text_alternative(teams):
    _, html = draw(teams)

    table = html[html.index("<details") :]
    assert "Readings of Weekly active teams as a table" in table
    assert re.findall(r"<td>(On target|Off target)</td>", table) == [
        "Off target",
        "On target",
        "On target",
        "Off target",
    ]
    assert ">120.5<" in table and 'datetime="2026-03-01"' in table


def test_a_kpi_without_readings_draws_an_empty_chart_that_says_so():
    metric = ProductMetricFactory(name="New KPI", target=Decimal("10"))

    svg, html = draw(metric)

    assert svg.find(f"{SVG}desc").text == "No readings yet. The target is 10 (higher is better)."
    assert svg.find(f".//{SVG}text[@class='no-data']").text == "No readings yet"
    assert svg.find(f".//{SVG}line[@class='target-line']") is not None
    assert shapes(svg) == []
    assert "No readings yet." in html


def test_a_kpi_without_target_has_no_target_line_and_square_points():
    metric = ProductMetricFactory(target=None, unit="%")
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 1, 1), value=Decimal("12.5"))

    svg, html = draw(metric, compact=True)

    assert svg.find(f".//{SVG}line[@class='target-line']") is None
    assert shapes(svg) == ["point none"]
    assert "No target is set (higher is better)." in svg.find(f"{SVG}desc").text
    assert "No target set" in html
    assert svg.get("viewBox") == f"0 0 {charts.COMPACT_WIDTH} {charts.COMPACT_HEIGHT}"


def test_a_single_reading_equal_to_its_target_draws_without_a_flat_scale_error():
    metric = ProductMetricFactory(target=Decimal("5"))
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 1, 1), value=Decimal("5"))

    svg, _ = draw(metric)

    assert shapes(svg) == ["point on"]
    assert "1 reading, on 1 Jan 2026" in svg.find(f"{SVG}desc").text


def test_the_chart_has_no_style_attribute_for_the_content_security_policy(teams):
    _, html = draw(teams)

    assert "style=" not in html


def test_values_are_written_without_trailing_zeros_and_with_their_unit():
    assert charts.format_value(Decimal("42.50"), "%") == "42.5%"
    assert charts.format_value(Decimal("1500000.00"), "runs") == "1,500,000 runs"
    assert charts.format_value(Decimal("-3.00")) == "-3"
    assert charts.format_value(None) == "–"


def test_large_values_are_shortened_on_the_value_axis():
    metric = ProductMetricFactory(unit="runs", target=Decimal("1500000"))
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 1, 1), value=Decimal("610000"))
    MetricReadingFactory(metric=metric, date=datetime.date(2026, 2, 1), value=Decimal("1240000"))

    svg, _ = draw(metric)

    ticks = [text.text for text in svg.findall(f"{SVG}g[@class='axis y-axis']/{SVG}text")][:-1]
    assert ticks == ["500k", "750k", "1M", "1.25M", "1.5M"]
    assert svg.find(f".//{SVG}text[@class='target-label']").text == "Target 1,500,000 runs"


def test_date_labels_of_readings_close_in_time_do_not_print_over_each_other():
    metric = ProductMetricFactory(target=None)
    days = [datetime.date(2026, 1, 1), datetime.date(2026, 6, 1), *(datetime.date(2026, 12, d) for d in (1, 3, 5))]
    for number, day in enumerate(days):
        MetricReadingFactory(metric=metric, date=day, value=Decimal(number))

    chart = charts.metric_chart(selectors.metric_trend(metric=metric))

    positions = [tick.position for tick in chart.x_ticks]
    assert all(later - earlier >= charts.LABEL_GAP for earlier, later in itertools.pairwise(positions))
    assert chart.x_ticks[-1].label.startswith("Dec") and chart.x_ticks[0].label.startswith("Jan")
